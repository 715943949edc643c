"""ARM's answers sorted into Gone, Retryable and Terminal: through the real SDK against
the fake where the fake can answer so, else from the SDK's own exceptions."""

import datetime
import threading
import time
from email.utils import format_datetime
from types import SimpleNamespace

import pytest
from azure.core.exceptions import (
    ClientAuthenticationError,
    HttpResponseError,
    ServiceResponseTimeoutError,
)

from privatelink.clouds.azure import AzureGateway, Gone, Retryable, Terminal
from privatelink.clouds.azure.errors import classify
from privatelink.clouds.azure.load_balancers import RuleTarget
from privatelink.clouds.errors import InProgress
from tests.clouds.azure.conftest import OWNER
from tests.ports import free_port


def test_throttling_is_retryable_with_arms_retry_after(gateway, fake_azure):
    fake_azure.throttle(requests=1, retry_after=7)

    with pytest.raises(Retryable) as throttled:
        gateway.virtual_network("vnet-my-kafka")

    assert throttled.value.code == "SubscriptionRequestsThrottled"
    assert throttled.value.retry_after == 7
    assert throttled.value.operation == "get_virtual_network"
    # The next request is answered.
    assert gateway.virtual_network("vnet-my-kafka") is None


def test_a_long_retry_after_is_not_waited_out_in_the_workers_thread(azure_settings, fake_azure):
    azure_settings.AZURE_MAX_RETRIES = 3
    fake_azure.throttle(requests=1, retry_after=600)

    with pytest.raises(Retryable) as throttled:
        AzureGateway().virtual_network("vnet-my-kafka")

    assert throttled.value.retry_after == 600


def test_the_sdks_own_retries_wait_out_a_short_throttling(azure_settings, fake_azure):
    azure_settings.AZURE_MAX_RETRIES = 2
    fake_azure.throttle(requests=2, retry_after=0)

    vnet = AzureGateway().create_virtual_network(
        "vnet-my-kafka", "10.20.0.0/16", "10.20.0.0/24", "10.20.1.0/24", OWNER
    )

    assert vnet.provisioning_state == "Succeeded"


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (500, "InternalServerError"),
        (503, "ServiceUnavailable"),
        (409, "AnotherOperationInProgress"),
        (429, "TooManyRequests"),
    ],
)
def test_arms_hiccups_and_conflicts_are_retryable(gateway, fake_azure, status, code):
    fake_azure.fail(1, status, code, "try again")

    with pytest.raises(Retryable) as hiccup:
        gateway.virtual_network("vnet-my-kafka")

    assert (hiccup.value.code, hiccup.value.message) == (code, "try again")
    assert hiccup.value.retry_after is None


def test_a_put_still_running_ends_the_call_at_once_without_polling(
    azure_settings, network, fake_azure
):
    fake_azure.set_delays(provisioning=30)
    before = fake_azure.requests()

    with pytest.raises(InProgress) as running:
        network.gateway.put_subnet("vnet-my-kafka", "extra", "10.20.2.0/24")

    assert running.value.code == "OperationInProgress"
    assert running.value.operation == "put_subnet"
    assert running.value.retry_after == azure_settings.AZURE_POLLING_INTERVAL
    # The PUT and one look at the subnet; the operation's URL is never polled.
    after = fake_azure.requests()
    assert (after["writes"] - before["writes"], after["reads"] - before["reads"]) == (1, 1)


def test_a_write_refused_while_another_operation_runs_is_looked_at_again_later(
    azure_settings, network, fake_azure
):
    fake_azure.fail(1, 409, "AnotherOperationInProgress", "another operation is in progress")

    with pytest.raises(InProgress) as busy:
        network.gateway.put_subnet("vnet-my-kafka", "extra", "10.20.2.0/24")

    assert (busy.value.code, busy.value.operation) == ("AnotherOperationInProgress", "put_subnet")
    assert busy.value.retry_after == azure_settings.AZURE_POLLING_INTERVAL


def test_a_missing_resource_is_gone(gateway):
    with pytest.raises(Gone) as gone:
        gateway.change_rules("lb-nothing", {})

    assert gone.value.code == "ResourceNotFound"
    assert "lb-nothing" in gone.value.message


def test_a_refused_request_is_terminal_with_arms_code_and_message(network):
    with pytest.raises(Terminal) as refusal:
        network.gateway.put_subnet("vnet-my-kafka", "outside", "10.99.0.0/24")

    assert refusal.value.code == "NetcfgSubnetRangeOutsideVnet"
    assert "10.99.0.0/24" in refusal.value.message
    assert refusal.value.operation == "put_subnet"
    assert str(refusal.value).startswith("put_subnet: NetcfgSubnetRangeOutsideVnet: ")


def test_a_resource_being_deleted_is_not_written_and_its_delete_not_sent_again(
    azure_settings, network, fake_azure
):
    network.gateway.create_load_balancer("lb-my-kafka", network.nodes_subnet_id, OWNER)
    fake_azure.set_delays(deletion=60)
    with pytest.raises(InProgress):
        network.gateway.delete_load_balancer("lb-my-kafka")
    writes = fake_azure.requests()["writes"]

    with pytest.raises(InProgress) as busy:
        network.gateway.remove_rule("lb-my-kafka", 10000)
    with pytest.raises(InProgress) as deleting:
        network.gateway.delete_load_balancer("lb-my-kafka")

    assert busy.value.operation == "change_rules"
    assert deleting.value.operation == "delete_load_balancer"
    assert fake_azure.requests()["writes"] == writes  # no PUT, no second DELETE
    assert network.gateway.load_balancer("lb-my-kafka").provisioning_state == "Deleting"


def test_a_resource_still_provisioning_is_found_by_name_and_not_put_again(
    azure_settings, network, fake_azure
):
    fake_azure.set_delays(provisioning=30)
    with pytest.raises(InProgress):
        network.gateway.create_load_balancer("lb-my-kafka", network.nodes_subnet_id, OWNER)
    writes = fake_azure.requests()["writes"]

    with pytest.raises(InProgress):
        network.gateway.create_load_balancer("lb-my-kafka", network.nodes_subnet_id, OWNER)
    with pytest.raises(InProgress):
        network.gateway.add_rule(
            "lb-my-kafka", 10000, RuleTarget(9092, ("10.20.0.10",), network.vnet.id)
        )
    with pytest.raises(InProgress):
        network.gateway.delete_load_balancer("lb-my-kafka")

    assert fake_azure.requests()["writes"] == writes
    assert network.gateway.load_balancer("lb-my-kafka").provisioning_state == "Updating"


def test_once_azure_is_done_the_next_call_carries_on(azure_settings, network, fake_azure):
    fake_azure.set_delays(provisioning=0.3)
    with pytest.raises(InProgress):
        network.gateway.create_load_balancer("lb-my-kafka", network.nodes_subnet_id, OWNER)
    time.sleep(0.3)

    found = network.gateway.create_load_balancer("lb-my-kafka", network.nodes_subnet_id, OWNER)
    assert found.provisioning_state == "Succeeded"
    assert found.frontend_ip


def test_a_resource_whose_put_failed_in_azure_is_refused_terminally(network):
    failed = {"id": "/lb-my-kafka", "properties": {"provisioningState": "Failed"}}

    with pytest.raises(Terminal) as refusal:
        network.gateway._settled("change_rules", failed)

    assert refusal.value.code == "ProvisioningFailed"
    assert refusal.value.operation == "change_rules"


def test_an_unreachable_arm_is_retryable(azure_settings):
    azure_settings.AZURE_ENDPOINT_URL = f"https://127.0.0.1:{free_port()}"

    with pytest.raises(Retryable) as unreachable:
        AzureGateway().virtual_network("vnet-my-kafka")

    assert unreachable.value.code == "ServiceRequestError"


def _http_error(status: int, code: str, message: str = "words") -> HttpResponseError:
    error = HttpResponseError(message=f"({code}) {message}")
    error.status_code = status
    error.error = type("Error", (), {"code": code, "message": message})()  # type: ignore[assignment]
    return error


@pytest.mark.parametrize(
    ("status", "code", "expected"),
    [
        (404, "ResourceNotFound", Gone),
        (404, "ParentResourceNotFound", Gone),
        (409, "AnotherOperationInProgress", Retryable),
        (409, "RetryableError", Retryable),
        (400, "ReferencedResourceNotProvisioned", Retryable),
        (412, "PreconditionFailed", Retryable),
        (429, "TooManyRequests", Retryable),
        (500, "InternalServerError", Retryable),
        (503, "ServiceUnavailable", Retryable),
        (400, "InvalidRequestFormat", Terminal),
        (409, "Conflict", Terminal),
        (403, "AuthorizationFailed", Terminal),
        # The platform's resource group missing is a configuration problem, not a deletion.
        (400, "ResourceGroupNotFound", Terminal),
    ],
)
def test_each_status_and_code_is_sorted(status, code, expected):
    sorted_error = classify(_http_error(status, code), "an_operation")

    assert type(sorted_error) is expected
    assert (sorted_error.code, sorted_error.message) == (code, "words")
    assert sorted_error.operation == "an_operation"


def test_a_retry_after_given_as_an_http_date_is_read_as_seconds_from_now():
    error = _http_error(429, "TooManyRequests")
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=10)
    error.response = SimpleNamespace(headers={"Retry-After": format_datetime(later, usegmt=True)})

    retry_after = classify(error).retry_after

    assert retry_after is not None
    assert 9 * 60 < retry_after <= 10 * 60


def test_timeouts_are_retryable_and_authentication_failures_terminal():
    timeout = classify(ServiceResponseTimeoutError("read timed out"), "get_load_balancer")
    refused = classify(ClientAuthenticationError("no credential available"), "list")

    assert isinstance(timeout, Retryable)
    assert timeout.code == "ServiceResponseTimeoutError"
    assert isinstance(refused, Terminal)


def test_every_call_first_keeps_the_callers_lease(network):
    calls = []
    network.gateway.before_call = lambda: calls.append(threading.get_ident())

    network.gateway.virtual_network("vnet-my-kafka")
    network.gateway.put_subnet("vnet-my-kafka", "extra", "10.20.2.0/24")

    assert len(calls) == 3  # the read; the PUT and the look at the subnet after it
