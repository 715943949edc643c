"""Branches of the engine: AWS in transition, foreign resources, removed principals,
the lease, the client factory and error classification."""

from datetime import timedelta

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from console.models import AuditEvent, ProjectVPC
from privatelink import actions
from privatelink.clouds.aws.gateway import Gone, Retryable, Terminal, clients
from privatelink.clouds.aws.gateway.errors import classify
from privatelink.engine import lease, naming, reconcile
from privatelink.models import PrivateLink, PrivateLinkConnection, ReconcileLease
from tests.constants import CUSTOMER_ACCOUNT, CUSTOMER_ROLE, OTHER_ACCOUNT_ROLE
from tests.privatelink.aws_state import aws_inventory
from tests.privatelink.engine import converge


def test_a_provisioning_nlb_requeues_the_run_instead_of_waiting(fake_aws, privatelink, service):
    fake_aws.set_delays(nlb=600)
    outcome = reconcile.reconcile_service(service.pk)

    privatelink.refresh_from_db()
    assert outcome.requeue_after is not None
    assert outcome.requeue_after > 0
    assert privatelink.state == PrivateLink.State.CREATING
    assert privatelink.aws.nlb_state == "provisioning"
    assert aws_inventory(fake_aws)["endpoint_services"] == []


def test_a_pending_endpoint_service_requeues_and_then_becomes_active(
    fake_aws, privatelink, service
):
    fake_aws.set_delays(endpoint_service=600)
    outcome = reconcile.reconcile_service(service.pk)
    privatelink.refresh_from_db()
    assert outcome.requeue_after is not None
    assert privatelink.aws.endpoint_service_state == "Pending"
    assert privatelink.state == PrivateLink.State.CREATING

    fake_aws.set_delays(endpoint_service=0)
    converge(service)
    privatelink.refresh_from_db()
    assert privatelink.state == PrivateLink.State.ACTIVE
    assert AuditEvent.objects.filter(
        action="privatelink.endpoint_service_available", actor=None
    ).exists()


def test_a_load_balancer_of_the_same_name_without_our_tags_is_never_adopted(
    fake_aws, privatelink, service
):
    ec2 = fake_aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.60.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.60.1.0/24", AvailabilityZone="eu-west-1a")
    foreign = fake_aws.client("elbv2").create_load_balancer(
        Name=naming.load_balancer_name(privatelink.pk),
        Subnets=[subnet["Subnet"]["SubnetId"]],
        Scheme="internal",
        Type="network",
    )["LoadBalancers"][0]["LoadBalancerArn"]

    outcome = reconcile.reconcile_service(service.pk)

    privatelink.refresh_from_db()
    assert "without this console's tags" in outcome.error
    assert "without this console's tags" in privatelink.last_error
    assert privatelink.aws.nlb_arn == ""
    assert [lb["LoadBalancerArn"] for lb in aws_inventory(fake_aws)["load_balancers"]] == [foreign]


def test_removing_the_principal_of_a_connected_account_rejects_its_connection(
    fake_aws, privatelink, service, developer
):
    converge(service)
    privatelink.refresh_from_db()
    customer = fake_aws.customer(CUSTOMER_ACCOUNT, CUSTOMER_ROLE)
    endpoint = customer.create_endpoint(privatelink.aws.service_name)
    converge(service)
    assert PrivateLinkConnection.objects.get().state == PrivateLinkConnection.State.ACTIVE

    actions.replace_principals(privatelink, [OTHER_ACCOUNT_ROLE], actor=developer)
    converge(service)

    connection = PrivateLinkConnection.objects.get()
    assert connection.state == PrivateLinkConnection.State.REJECTED
    assert "was removed" in connection.rejection_reason
    assert customer.describe_endpoint(endpoint.id).state == "rejected"
    assert aws_inventory(fake_aws)["dns_records"] == {}


def test_the_project_vpc_is_built_with_one_subnet_in_each_of_three_zones(fake_aws, project, queued):
    vpc = ProjectVPC.objects.create(project=project, cloud="aws-eu-west-1", cidr="10.8.0.0/16")
    reconcile.reconcile_project_vpc(vpc.pk)
    reconcile.reconcile_project_vpc(vpc.pk)

    vpc.refresh_from_db()
    assert vpc.state == ProjectVPC.State.ACTIVE
    assert vpc.aws_vpc_id.startswith("vpc-")
    assert sorted(s["availability_zone"] for s in vpc.subnets) == [
        "eu-west-1a",
        "eu-west-1b",
        "eu-west-1c",
    ]
    ec2 = fake_aws.client("ec2")
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "cidr", "Values": ["10.8.0.0/16"]}])["Vpcs"]
    assert [v["VpcId"] for v in vpcs] == [vpc.aws_vpc_id]
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc.aws_vpc_id]}])
    assert len(subnets["Subnets"]) == 3
    assert AuditEvent.objects.filter(action="project_vpc.active", actor=None).count() == 1


def test_a_lease_is_held_by_one_claimant_until_released_or_expired(db):
    assert lease.claim("service:1", "first")
    assert not lease.claim("service:1", "second")
    lease.release("service:1", "second")  # not the holder: no effect
    assert not lease.claim("service:1", "second")
    lease.release("service:1", "first")
    assert lease.claim("service:1", "second")
    ReconcileLease.objects.filter(key="service:1").update(
        expires=timezone.now() - timedelta(seconds=1)
    )
    assert lease.claim("service:1", "third")  # a crashed holder's lease runs out


def test_fake_aws_without_credentials_is_refused(monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1")
    monkeypatch.delenv("AWS_ACCESS_KEY_ID", raising=False)
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY", raising=False)
    with pytest.raises(ImproperlyConfigured, match="dummy values"):
        clients.client("ec2", "eu-west-1")


def test_clients_use_standard_retries_and_explicit_timeouts(monkeypatch, settings):
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    config = clients.client("ec2", "eu-west-1").meta.config
    assert config.retries["mode"] == "standard"
    assert config.retries["total_max_attempts"] == settings.AWS_MAX_ATTEMPTS
    assert (config.connect_timeout, config.read_timeout) == (
        settings.AWS_CONNECT_TIMEOUT,
        settings.AWS_READ_TIMEOUT,
    )


@pytest.mark.parametrize(
    ("code", "status", "kind"),
    [
        ("LoadBalancerNotFound", 400, Gone),
        ("InvalidVpcEndpointServiceId.NotFound", 400, Gone),
        ("Throttling", 400, Retryable),
        ("RequestLimitExceeded", 503, Retryable),
        ("InternalError", 500, Retryable),
        ("ValidationError", 400, Terminal),
        ("InvalidParameterValue", 400, Terminal),
        ("DuplicateLoadBalancerName", 400, Terminal),
    ],
)
def test_aws_errors_are_classified_in_one_place(code, status, kind):
    error = ClientError(
        {"Error": {"Code": code, "Message": "m"}, "ResponseMetadata": {"HTTPStatusCode": status}},
        "Op",
    )
    assert type(classify(error, "op")) is kind


def test_network_failures_are_retryable():
    assert isinstance(classify(EndpointConnectionError(endpoint_url="http://x")), Retryable)


def test_the_shared_budget_allows_a_burst_of_ten_then_one_call_per_second(db):
    from privatelink.clouds.aws.gateway import budget

    waits = [budget.reserve("ec2-endpoint-services:eu-west-1") for _ in range(12)]

    assert waits[:10] == [0.0] * 10
    assert 0.9 < waits[10] <= 1.0
    assert 1.9 < waits[11] <= 2.0


def test_budgeted_calls_on_real_aws_wait_their_turn_and_then_retry_later(db, monkeypatch):
    from privatelink.clouds.aws.gateway import Gateway, budget

    def no_network(**kwargs):
        raise AssertionError("no AWS call may be made past the budget")

    class NoNetwork(Gateway):
        def _client(self, name):
            client = super()._client(name)
            client.meta.events.register_first("before-send", no_network, unique_id="no-network")
            return client

    monkeypatch.setattr(clients, "mode", lambda: "aws")
    for _ in range(budget.BURST + 2):
        budget.reserve("ec2-endpoint-services:eu-west-1")
    with pytest.raises(Retryable, match="budget"):
        NoNetwork("eu-west-1").accept_connections("vpce-svc-1", ["vpce-1"])


def test_after_aws_loses_everything_the_next_runs_rebuild_the_vpc_and_the_privatelink(
    fake_aws, privatelink, service, queued
):
    converge(service)
    old_vpc = ProjectVPC.objects.get().aws_vpc_id
    fake_aws.reset()

    converge(service)

    privatelink.refresh_from_db()
    vpc = ProjectVPC.objects.get()
    assert privatelink.state == PrivateLink.State.ACTIVE
    assert privatelink.last_error == ""
    assert vpc.aws_vpc_id != old_vpc
    assert len(aws_inventory(fake_aws)["load_balancers"]) == 1


def test_endpoint_services_are_described_in_batches_and_a_missing_id_does_not_hide_the_rest(
    fake_aws, privatelink, service
):
    from privatelink.clouds.aws.gateway import Gateway

    converge(service)
    privatelink.refresh_from_db()
    calls = []

    def count(params, **kwargs):
        calls.append(len(params.get("ServiceIds", [])))

    class Counting(Gateway):
        def _client(self, name):
            client = super()._client(name)
            client.meta.events.register(
                "before-call.ec2.DescribeVpcEndpointServiceConfigurations", count, unique_id="count"
            )
            return client

    missing = [f"vpce-svc-{i:017x}" for i in range(150)]
    found = Counting("eu-west-1").endpoint_services([*missing, privatelink.aws.service_id])

    assert list(found) == [privatelink.aws.service_id]
    assert max(calls) <= 100
