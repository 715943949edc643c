"""Operations are waited for by the console's own polling, against the configured endpoint
(the SDK's ExtendedOperation would poll Google), within GOOGLE_OPERATION_WAIT_SECONDS."""

import time

import pytest

from privatelink.clouds.google import Retryable
from privatelink.clouds.google.clients import compute
from tests.clouds.google.conftest import OWNER


def test_a_running_insert_is_waited_for_through_the_consoles_own_clients(gateway, fake_google):
    fake_google.set_delays(provisioning=0.5)

    started = time.monotonic()
    network = gateway.create_network("net", OWNER)

    assert time.monotonic() - started >= 0.5
    assert network.name == "net"
    assert compute().global_operations._transport._host == fake_google.endpoint_url


def test_an_operation_past_the_wait_is_left_running_and_retryable(
    gateway, google_settings, fake_google
):
    google_settings.GOOGLE_OPERATION_WAIT_SECONDS = 0.2
    fake_google.set_delays(provisioning=3)

    with pytest.raises(Retryable) as running:
        gateway.create_network("net", OWNER)

    assert running.value.code == "OperationInProgress"
    assert running.value.retry_after == google_settings.GOOGLE_POLLING_INTERVAL
    # Google goes on with it: once over, the next run finds the network by its name.
    fake_google.set_delays(provisioning=0)
    time.sleep(3)
    assert gateway.network("net") is not None


def test_a_regional_delete_is_waited_for_until_the_resource_is_gone(gateway, front, fake_google):
    fake_google.set_delays(deletion=0.3)

    gateway.delete_forwarding_rule("ilb")

    assert gateway.forwarding_rule("ilb") is None


def test_every_call_keeps_the_callers_lease(gateway, fake_google):
    calls = []
    gateway.before_call = lambda: calls.append(1)
    fake_google.set_delays(provisioning=0.3)

    gateway.create_network("net", OWNER)

    # A read, the insert, at least one wait, and the read of what was made.
    assert len(calls) >= 4
