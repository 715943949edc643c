"""Customers' endpoints observed as connections, accepted and refused by project."""

import pytest

from privatelink.clouds.driver import Phase
from privatelink.clouds.google import connections
from tests.clouds.google.conftest import CUSTOMER, OWNER, STRANGER


@pytest.fixture
def attachment(gateway, front):
    return gateway.create_service_attachment(
        "psc", front.rule.self_link, front.nat.self_link, [CUSTOMER], OWNER
    )


def test_endpoints_are_observed_with_their_project_and_phase(gateway, attachment, fake_google):
    mine = fake_google.customer(CUSTOMER).create_endpoint(attachment.path, "mine")
    fake_google.customer(STRANGER).create_endpoint(attachment.path, "theirs")

    observed = connections.observe(gateway, [attachment.path, "projects/p/regions/r/x/gone"])

    by_owner = {c.owner: c for c in observed}
    assert set(by_owner) == {CUSTOMER, STRANGER}
    assert by_owner[CUSTOMER].phase == Phase.AVAILABLE
    assert by_owner[CUSTOMER].status == "accepted"
    assert by_owner[CUSTOMER].endpoint_id == str(mine.psc_connection_id)
    assert by_owner[STRANGER].phase == Phase.PENDING
    assert {c.service_id for c in observed} == {attachment.path}


def test_accepting_an_endpoint_lists_its_project(gateway, attachment, fake_google):
    fake_google.customer(STRANGER).create_endpoint(attachment.path, "theirs")
    [pending] = connections.observe(gateway, [attachment.path])

    connections.accept(gateway, attachment.path, [pending.endpoint_id])

    assert gateway.service_attachment("psc").accepted_projects == {CUSTOMER, STRANGER}
    [accepted] = connections.observe(gateway, [attachment.path])
    assert accepted.status == connections.status_of(Phase.ACCEPTED)


def test_rejecting_an_endpoint_refuses_its_project(gateway, attachment, fake_google):
    fake_google.customer(CUSTOMER).create_endpoint(attachment.path, "mine")
    [accepted] = connections.observe(gateway, [attachment.path])

    connections.reject(gateway, attachment.path, [accepted.endpoint_id])
    connections.reject(gateway, attachment.path, [accepted.endpoint_id])  # nothing to change

    found = gateway.service_attachment("psc")
    assert found.rejected_projects == {CUSTOMER}
    assert found.accepted_projects == frozenset()
    [rejected] = connections.observe(gateway, [attachment.path])
    assert rejected.phase == Phase.REJECTED
    assert rejected.status == connections.status_of(Phase.REJECTED)
