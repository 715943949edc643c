"""boto3 clients in the worker's threads pool: each thread keeps its own clients (a botocore
session is not thread-safe), threads share the parsed service models and the assumed
roles' credentials, and a kept client never carries a caller's event handlers to the next."""

import threading

import pytest

from privatelink.clouds.aws.gateway import clients

ROLE = "arn:aws:iam::111111111111:role/pl"


def _in_thread(work):
    found = []
    thread = threading.Thread(target=lambda: found.append(work()))
    thread.start()
    thread.join()
    return found[0]


@pytest.fixture
def dummy_fake(monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")


@pytest.fixture
def renewable_role(monkeypatch, settings):
    """Real AWS mode, where only the AssumeRole call (shared by all threads, cached for the
    hour) is replaced: its key is what the test says."""
    settings.AWS_ENDPOINT_URL = ""
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    key = ["AKIA1"]

    def credentials(region, role):
        return {"AccessKeyId": key[0], "SecretAccessKey": "s", "SessionToken": "t"}

    monkeypatch.setattr(clients, "_role_credentials", credentials)
    return key


def _signing_key(client):
    return client._request_signer._credentials.access_key


def test_a_client_is_kept_within_a_thread_and_never_shared_with_another(dummy_fake):
    here = clients.client("ec2", "eu-west-1")

    assert clients.client("ec2", "eu-west-1") is here
    there = _in_thread(lambda: clients.client("ec2", "eu-west-1"))
    assert there is not here
    assert clients.client("elbv2", "eu-west-1") is not here
    assert clients.client("ec2", "eu-central-1") is not here


def test_threads_share_the_parsed_service_model(dummy_fake):
    here = clients.client("ec2", "eu-west-1")
    there = _in_thread(lambda: clients.client("ec2", "eu-west-1"))

    # The model's parsed JSON (tens of MiB for EC2) exists once in the process.
    assert here.meta.service_model._service_description is (
        there.meta.service_model._service_description
    )


def test_a_role_client_is_per_thread_and_made_anew_when_the_credentials_are_renewed(
    renewable_role,
):
    here = clients.client("ec2", "eu-west-1", ROLE)
    there = _in_thread(lambda: clients.client("ec2", "eu-west-1", ROLE))

    assert here is not there
    assert clients.client("ec2", "eu-west-1", ROLE) is here
    assert _signing_key(here) == _signing_key(there) == "AKIA1"
    renewable_role[0] = "AKIA2"
    renewed = clients.client("ec2", "eu-west-1", ROLE)
    assert renewed is not here
    assert _signing_key(renewed) == "AKIA2"
    assert clients.client("ec2", "eu-west-1", ROLE) is renewed


def test_each_role_has_its_own_client_and_a_thread_keeps_only_a_few(renewable_role):
    roles = [f"arn:aws:iam::{n:012d}:role/pl" for n in range(clients.MAX_CLIENTS_PER_THREAD + 1)]
    first = clients.client("ec2", "eu-west-1", roles[0])

    assert clients.client("ec2", "eu-west-1", roles[1]) is not first
    for role in roles[1:]:
        clients.client("ec2", "eu-west-1", role)
    assert len(clients._kept()) == clients.MAX_CLIENTS_PER_THREAD
    # The least recently used one fell out and is built again when its account comes back.
    assert clients.client("ec2", "eu-west-1", roles[0]) is not first


def test_a_callers_event_handler_is_gone_at_the_next_hand_out(fake_aws):
    seen = []
    first = clients.client("ec2", fake_aws.region)
    first.meta.events.register("before-call", lambda model, **_: seen.append(model.name))
    first.describe_vpcs()
    assert seen == ["DescribeVpcs"]

    again = clients.client("ec2", fake_aws.region)
    again.describe_vpcs()

    assert again is first
    assert seen == ["DescribeVpcs"]  # the handler did not come along
    # The client still works as built, and takes new handlers.
    again.meta.events.register("before-call", lambda model, **_: seen.append(model.name))
    again.describe_subnets()
    assert seen == ["DescribeVpcs", "DescribeSubnets"]


def test_a_client_no_caller_touched_is_handed_out_with_its_handlers_as_they_are(fake_aws):
    first = clients.client("ec2", fake_aws.region)
    first.describe_vpcs()
    handlers = first.meta.events._emitter

    again = clients.client("ec2", fake_aws.region)

    # Not replaced by a copy of the handlers as built: botocore's caches stay warm.
    assert again is first
    assert again.meta.events._emitter is handlers
    again.meta.events.register("before-call", lambda **_: None)
    assert clients.client("ec2", fake_aws.region).meta.events._emitter is not handlers


def test_a_new_client_is_the_callers_own(dummy_fake):
    kept = clients.client("ec2", "eu-west-1")

    assert clients.new_client("ec2", "eu-west-1") is not kept
    assert clients.client("ec2", "eu-west-1") is kept


def test_other_credentials_for_the_fake_make_another_client(dummy_fake, monkeypatch):
    first = clients.client("ec2", "eu-west-1")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "other")

    assert clients.client("ec2", "eu-west-1") is not first
