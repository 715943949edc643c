"""The service attachment, its accept list and its connected endpoints, through the
gateway and a customer using the real SDK."""

import pytest

from fakegoogle.pytest_plugin import PLATFORM_PROJECT
from privatelink.clouds.google import Gone, Retryable
from tests.clouds.google.conftest import CUSTOMER, OWNER, REGION, STRANGER


@pytest.fixture
def attachment(gateway, front):
    return gateway.create_service_attachment(
        "psc", front.rule.self_link, front.nat.self_link, [CUSTOMER], OWNER
    )


def test_attachment_publishes_the_rule_through_its_nat_subnet(attachment, front):
    assert attachment.path == f"projects/{PLATFORM_PROJECT}/regions/{REGION}/serviceAttachments/psc"
    assert attachment.target_service == front.rule.self_link
    assert attachment.nat_subnets == (front.nat.self_link,)
    assert attachment.accepted_projects == {CUSTOMER}
    assert attachment.owned_by(OWNER)
    assert attachment.endpoints == ()


def test_listed_customers_endpoint_is_accepted_with_a_nat_address(gateway, attachment, fake_google):
    made = fake_google.customer(CUSTOMER).create_endpoint(attachment.path, "kafka")

    [endpoint] = gateway.connected_endpoints("psc")

    assert endpoint.status == "ACCEPTED"
    assert endpoint.psc_connection_id == made.psc_connection_id
    assert endpoint.project == CUSTOMER
    assert endpoint.nat_ips == ("172.24.0.2",)


def test_accepting_a_project_shows_on_the_next_read(gateway, attachment, fake_google):
    fake_google.customer(STRANGER).create_endpoint(attachment.path, "theirs")
    assert [e.status for e in gateway.connected_endpoints("psc")] == ["PENDING"]

    gateway.set_accepted_projects("psc", [CUSTOMER, STRANGER])

    assert gateway.service_attachment("psc").accepted_projects == {CUSTOMER, STRANGER}
    assert [e.status for e in gateway.connected_endpoints("psc")] == ["ACCEPTED"]


def test_a_project_taken_off_the_list_has_its_endpoint_pending_again(
    gateway, attachment, fake_google
):
    fake_google.customer(CUSTOMER).create_endpoint(attachment.path, "mine")

    gateway.set_accepted_projects("psc", [STRANGER])

    [endpoint] = gateway.connected_endpoints("psc")
    assert endpoint.status == "PENDING"
    assert endpoint.nat_ips == ()


def test_rejecting_a_project_rejects_its_endpoints_and_accepting_it_again_undoes_it(
    gateway, attachment, fake_google
):
    fake_google.customer(CUSTOMER).create_endpoint(attachment.path, "mine")

    gateway.reject_projects("psc", [CUSTOMER])
    rejected = gateway.service_attachment("psc")
    gateway.set_accepted_projects("psc", [CUSTOMER])

    assert rejected.rejected_projects == {CUSTOMER}
    assert rejected.accepted_projects == frozenset()
    assert [e.status for e in rejected.endpoints] == ["REJECTED"]
    accepted = gateway.service_attachment("psc")
    assert accepted.rejected_projects == frozenset()
    assert [e.status for e in accepted.endpoints] == ["ACCEPTED"]


def test_the_accept_list_can_be_emptied_which_the_sdks_own_patch_cannot_do(
    gateway, attachment, fake_google
):
    fake_google.customer(CUSTOMER).create_endpoint(attachment.path, "mine")

    gateway.set_accepted_projects("psc", [])

    found = gateway.service_attachment("psc")
    assert found.accepted_projects == frozenset()
    assert [e.status for e in found.endpoints] == ["PENDING"]


def test_a_patch_that_lost_its_fingerprint_is_retryable(gateway, attachment, fake_google):
    fake_google.fail(
        1, 412, "conditionNotMet", "Supplied fingerprint does not match.", "/serviceAttachments/psc"
    )

    with pytest.raises(Retryable) as lost:
        gateway.set_accepted_projects("psc", [STRANGER])

    assert lost.value.code == "conditionNotMet"
    gateway.set_accepted_projects("psc", [STRANGER])
    assert gateway.service_attachment("psc").accepted_projects == {STRANGER}


def test_a_patch_over_a_fingerprint_another_writer_moved_on_is_retryable(gateway, attachment):
    stale = gateway.service_attachment("psc")
    gateway.set_accepted_projects("psc", [STRANGER])

    with pytest.raises(Retryable) as lost:
        gateway._patch_lists(stale, {CUSTOMER}, set())

    assert lost.value.code == "conditionNotMet"
    assert gateway.service_attachment("psc").accepted_projects == {STRANGER}


def test_accept_list_update_of_a_missing_attachment_is_gone(gateway, front):
    with pytest.raises(Gone):
        gateway.set_accepted_projects("psc", [CUSTOMER])


def test_deleting_the_attachment_closes_the_customers_endpoint(gateway, attachment, fake_google):
    customer = fake_google.customer(CUSTOMER)
    customer.create_endpoint(attachment.path, "mine")

    gateway.delete_service_attachment("psc")
    gateway.delete_service_attachment("psc")

    assert gateway.service_attachment("psc") is None
    assert gateway.connected_endpoints("psc") == []
    assert customer.endpoint(REGION, "mine").status == "CLOSED"
