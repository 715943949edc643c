"""Customers' endpoints observed as connections, accepted and refused one at a time."""

import pytest

from privatelink.clouds.driver import Phase
from privatelink.clouds.google import connections
from tests.clouds.google.conftest import CUSTOMER, OWNER, REGION, STRANGER


@pytest.fixture
def attachment(gateway, front):
    return gateway.create_service_attachment(
        "psc", front.rule.self_link, front.nat.self_link, OWNER
    )


def test_endpoints_are_observed_with_their_project_and_phase(gateway, attachment, fake_google):
    mine = fake_google.customer(CUSTOMER).create_endpoint(attachment.path, "mine")
    fake_google.customer(STRANGER).create_endpoint(attachment.path, "theirs")
    gateway.set_endpoint_lists(
        "psc", [f"projects/{CUSTOMER}/regions/{REGION}/forwardingRules/mine"], []
    )

    observed = connections.observe(gateway, [attachment.path, "projects/p/regions/r/x/gone"])

    by_owner = {c.owner: c for c in observed}
    assert set(by_owner) == {CUSTOMER, STRANGER}
    assert by_owner[CUSTOMER].phase == Phase.AVAILABLE
    assert by_owner[CUSTOMER].status == "accepted"
    assert by_owner[CUSTOMER].endpoint_id == str(mine.psc_connection_id)
    assert by_owner[STRANGER].phase == Phase.PENDING
    assert {c.service_id for c in observed} == {attachment.path}


def test_accepting_an_endpoint_accepts_no_other_of_its_project(gateway, attachment, fake_google):
    customer = fake_google.customer(CUSTOMER)
    first = customer.create_endpoint(attachment.path, "first")
    customer.create_endpoint(attachment.path, "second")

    connections.accept(gateway, attachment.path, [str(first.psc_connection_id)])

    found = gateway.service_attachment("psc")
    assert found.accepted_endpoints == {
        f"projects/{CUSTOMER}/regions/{REGION}/forwardingRules/first"
    }
    assert found.wholesale == frozenset()
    phases = {c.endpoint_id: c for c in connections.observe(gateway, [attachment.path])}
    accepted = phases.pop(str(first.psc_connection_id))
    assert accepted.status == connections.status_of(Phase.ACCEPTED)
    assert [c.phase for c in phases.values()] == [Phase.PENDING]


def test_rejecting_an_endpoint_refuses_it_alone(gateway, attachment, fake_google):
    customer = fake_google.customer(CUSTOMER)
    kept = customer.create_endpoint(attachment.path, "kept")
    refused = customer.create_endpoint(attachment.path, "refused")
    connections.accept(gateway, attachment.path, [str(kept.psc_connection_id)])

    connections.reject(gateway, attachment.path, [str(refused.psc_connection_id)])
    connections.reject(gateway, attachment.path, [str(refused.psc_connection_id)])  # no change

    found = gateway.service_attachment("psc")
    assert found.rejected_endpoints == {
        f"projects/{CUSTOMER}/regions/{REGION}/forwardingRules/refused"
    }
    phases = {c.endpoint_id: c.phase for c in connections.observe(gateway, [attachment.path])}
    assert phases == {
        str(kept.psc_connection_id): Phase.AVAILABLE,
        str(refused.psc_connection_id): Phase.REJECTED,
    }
