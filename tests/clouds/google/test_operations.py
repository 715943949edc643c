"""No operation is waited for in a worker's thread: a change still running when Google
answers is recorded by its resource and the call ends with InProgress, asking to be run
again after GOOGLE_POLLING_INTERVAL; a later call looks at that operation (through the
console's own clients, not the SDK's, which would poll Google) instead of starting the
change again, and picks up where it was left, even when the record is lost."""

import time

import pytest
from django.core.cache import cache
from google.cloud import compute_v1

from privatelink.clouds.errors import InProgress
from privatelink.clouds.google import GoogleGateway, Terminal
from privatelink.clouds.google.clients import compute
from tests.clouds.google.conftest import OWNER

# Longer than any test takes: an operation started with it is still running at the end.
LONG = 60
# Short enough to wait out in a test.
SHORT = 0.3


class CountingGateway(GoogleGateway):
    """Notes the name of every Compute request it makes."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []

    def _call(self, operation, work):
        self.calls.append(operation)
        return super()._call(operation, work)


@pytest.fixture
def counting(google_settings) -> CountingGateway:
    return CountingGateway()


def _wait_out(seconds: float = SHORT) -> None:
    """Let an operation started with a delay of `seconds` be over (in Google's time)."""
    time.sleep(seconds + 0.1)


def test_a_running_insert_is_left_running_and_the_call_asks_to_be_run_again(
    counting, google_settings, fake_google
):
    fake_google.set_delays(provisioning=LONG)

    with pytest.raises(InProgress) as running:
        counting.create_network("net", OWNER)

    assert running.value.code == "OperationInProgress"
    assert running.value.retry_after == google_settings.GOOGLE_POLLING_INTERVAL
    # The read and the insert, and no wait for the operation.
    assert counting.calls == ["get_network", "create_network"]
    assert compute().global_operations._transport._host == fake_google.endpoint_url


def test_a_later_call_looks_at_the_running_insert_instead_of_inserting_again(counting, fake_google):
    fake_google.set_delays(provisioning=SHORT)
    with pytest.raises(InProgress):
        counting.create_network("net", OWNER)
    with pytest.raises(InProgress):
        counting.create_network("net", OWNER)
    _wait_out()

    network = counting.create_network("net", OWNER)

    assert network.name == "net"
    assert counting.calls == [
        *("get_network", "create_network"),
        *("get_network", "get_operation"),
        "get_network",  # made: found by its name
    ]


def test_an_insert_whose_record_is_lost_is_found_running_by_its_name(counting, fake_google):
    fake_google.set_delays(provisioning=SHORT)
    with pytest.raises(InProgress):
        counting.create_subnet("nodes", _network(fake_google), "10.0.0.0/24", OWNER)
    # The worker died before the record was written (or it was evicted).
    cache.clear()

    # Google refuses a second insert of a name being made: still in progress.
    with pytest.raises(InProgress):
        counting.create_subnet("nodes", _network(fake_google), "10.0.0.0/24", OWNER)
    _wait_out()

    subnet = counting.create_subnet("nodes", _network(fake_google), "10.0.0.0/24", OWNER)
    assert subnet.ip_cidr_range == "10.0.0.0/24"
    assert [r["name"] for r in fake_google.resources() if r["name"] == "nodes"] == ["nodes"]


def test_a_running_delete_is_not_started_again_and_is_done_once_over(counting, front, fake_google):
    fake_google.set_delays(deletion=SHORT)
    with pytest.raises(InProgress):
        counting.delete_forwarding_rule("ilb")
    with pytest.raises(InProgress):
        counting.delete_forwarding_rule("ilb")
    _wait_out()

    counting.delete_forwarding_rule("ilb")

    assert counting.forwarding_rule("ilb") is None
    assert counting.calls.count("delete_forwarding_rule") == 1


def test_a_delete_whose_record_is_lost_is_found_running(counting, front, fake_google):
    fake_google.set_delays(deletion=SHORT)
    with pytest.raises(InProgress):
        counting.delete_forwarding_rule("ilb")
    cache.clear()

    # Google refuses to delete what it is deleting (resourceNotReady): still in progress.
    with pytest.raises(InProgress):
        counting.delete_forwarding_rule("ilb")
    _wait_out()

    counting.delete_forwarding_rule("ilb")
    assert counting.forwarding_rule("ilb") is None


def test_a_change_waits_for_the_running_change_of_the_same_resource(counting, front, fake_google):
    fake_google.set_delays(provisioning=SHORT)
    attachment = counting.create_service_attachment
    with pytest.raises(InProgress):
        attachment("psc", front.rule.self_link, front.nat.self_link, OWNER)
    _wait_out()
    attachment("psc", front.rule.self_link, front.nat.self_link, OWNER)
    with pytest.raises(InProgress):
        counting.set_endpoint_lists("psc", [], [])

    with pytest.raises(InProgress):
        counting.set_endpoint_lists("psc", [], [])

    assert counting.calls.count("patch_service_attachment") == 1


def test_an_earlier_operation_done_with_an_error_raises_it_classified(
    counting, fake_google, monkeypatch
):
    fake_google.set_delays(provisioning=LONG)
    with pytest.raises(InProgress):
        counting.create_network("net", OWNER)
    failed = compute_v1.Operation(
        name="operation-1",
        status=compute_v1.Operation.Status.DONE,
        http_error_status_code=403,
        error=compute_v1.Error(
            errors=[compute_v1.Errors(code="QUOTA_EXCEEDED", message="Quota 'NETWORKS' exceeded.")]
        ),
    )
    monkeypatch.setattr(counting, "_operation", lambda recorded: failed)

    with pytest.raises(Terminal) as refused:
        counting.create_network("net", OWNER)

    assert refused.value.code == "QUOTA_EXCEEDED"
    assert counting.calls.count("create_network") == 1


def test_every_call_keeps_the_callers_lease(gateway, fake_google):
    calls = []
    gateway.before_call = lambda: calls.append(1)
    fake_google.set_delays(provisioning=LONG)
    with pytest.raises(InProgress):
        gateway.create_network("net", OWNER)
    with pytest.raises(InProgress):
        gateway.create_network("net", OWNER)

    # A read and the insert; then a read and the look at the operation.
    assert len(calls) == 4


def _network(fake_google):
    """The network `net`, made at once whatever the delays."""
    delays = fake_google.set_delays()
    fake_google.set_delays(provisioning=0)
    network = GoogleGateway().create_network("net", OWNER)
    fake_google.set_delays(**delays)
    return network
