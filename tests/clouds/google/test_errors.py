"""Compute's answers sorted into Gone, Retryable and Terminal: through the real SDK against
the fake where the fake can answer so, else from the SDK's own exceptions."""

import time

import pytest

from privatelink.clouds.google import Gone, GoogleGateway, Retryable, Terminal, is_quota
from tests.clouds.google.conftest import OWNER
from tests.ports import free_port


def test_throttling_is_retryable_with_googles_retry_after(gateway, fake_google):
    fake_google.throttle(requests=1, retry_after=7)

    with pytest.raises(Retryable) as throttled:
        gateway.network("net")

    assert throttled.value.code == "rateLimitExceeded"
    assert throttled.value.retry_after == 7
    assert throttled.value.operation == "get_network"
    assert gateway.network("net") is None  # the next request is answered


def test_not_found_is_gone_and_a_read_of_it_is_none(gateway):
    assert gateway.service_attachment("nope") is None
    with pytest.raises(Gone) as gone:
        gateway._call(
            "get_network",
            lambda: gateway._compute.networks.get(project=gateway.project, network="nope"),
        )

    assert gone.value.code == "notFound"


def test_invalid_request_is_terminal_with_googles_message(gateway, front):
    with pytest.raises(Terminal) as refused:
        gateway.create_subnet("again", front.network, "10.0.0.0/25", OWNER)

    assert refused.value.code == "invalid"
    assert "conflicts with existing subnetwork 'nodes'" in refused.value.message


def test_quota_exceeded_is_terminal_and_a_quota(gateway, front, fake_google):
    fake_google.set_quotas(service_attachments=0)

    with pytest.raises(Terminal) as refused:
        gateway.create_service_attachment("psc", front.rule.self_link, front.nat.self_link, OWNER)

    assert refused.value.code == "quotaExceeded"
    assert is_quota(refused.value)


def test_a_read_answered_503_once_is_retried_by_the_sdk_itself(gateway, fake_google):
    fake_google.fail(1, 503, "backendError", path="/global/networks/net")

    assert gateway.network("net") is None


def test_a_read_answered_503_for_good_fails_retryable_within_the_retry_seconds(
    gateway, google_settings, fake_google
):
    google_settings.GOOGLE_RETRY_SECONDS = 0.5
    fake_google.fail(1000, 503, "backendError", path="/global/networks/net")

    started = time.monotonic()
    with pytest.raises(Retryable) as unavailable:
        gateway.network("net")

    assert time.monotonic() - started < 5
    assert unavailable.value.code == "RetryError"


def test_server_errors_and_resources_not_ready_are_retryable(gateway, fake_google):
    # An insert is not retried by the SDK: the console's task retries it.
    fake_google.fail(1, 503, "backendError", path="/global/networks")
    with pytest.raises(Retryable) as unavailable:
        gateway._call(
            "insert_network",
            lambda: gateway._compute.networks.insert(
                project=gateway.project, network_resource={"name": "net"}
            ),
        )
    fake_google.fail(1, 400, "resourceNotReady", path="/global/networks")
    with pytest.raises(Retryable) as not_ready:
        gateway.create_network("net", OWNER)

    assert unavailable.value.code == "backendError"
    assert not_ready.value.code == "resourceNotReady"
    assert gateway.create_network("net", OWNER).name == "net"


def test_a_name_another_run_just_took_is_retryable(gateway, fake_google):
    fake_google.fail(1, 409, "alreadyExists", path="/global/networks")

    with pytest.raises(Retryable) as raced:
        gateway.create_network("net", OWNER)

    assert raced.value.code == "alreadyExists"


def test_no_answer_at_all_is_retryable(google_settings):
    google_settings.GOOGLE_ENDPOINT_URL = f"http://127.0.0.1:{free_port()}"

    with pytest.raises(Retryable) as unreachable:
        GoogleGateway().network("net")

    assert unreachable.value.code == "ConnectionError"
