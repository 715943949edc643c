"""The service attachment, its accept list and its connected endpoints, through the
gateway and a customer using the real SDK."""

import pytest

from fakegoogle.pytest_plugin import PLATFORM_PROJECT
from privatelink.clouds.google import Gone, Retryable
from tests.clouds.google.conftest import CUSTOMER, OWNER, REGION, STRANGER


@pytest.fixture
def attachment(gateway, front):
    return gateway.create_service_attachment(
        "psc", front.rule.self_link, front.nat.self_link, OWNER
    )


def test_attachment_publishes_the_rule_through_its_nat_subnet_accepting_no_one(attachment, front):
    assert attachment.path == f"projects/{PLATFORM_PROJECT}/regions/{REGION}/serviceAttachments/psc"
    assert attachment.target_service == front.rule.self_link
    assert attachment.nat_subnets == (front.nat.self_link,)
    assert attachment.accepted_endpoints == attachment.rejected_endpoints == frozenset()
    assert attachment.wholesale == frozenset()
    assert attachment.owned_by(OWNER)
    assert attachment.endpoints == ()


def test_a_customers_endpoint_waits_pending(gateway, attachment, fake_google):
    made = fake_google.customer(CUSTOMER).create_endpoint(attachment.path, "kafka")

    [endpoint] = gateway.connected_endpoints("psc")

    assert endpoint.status == "PENDING"
    assert endpoint.psc_connection_id == made.psc_connection_id
    assert endpoint.project == CUSTOMER
    assert endpoint.path == f"projects/{CUSTOMER}/regions/{REGION}/forwardingRules/kafka"
    assert endpoint.nat_ips == ()


def test_accepting_an_endpoint_shows_on_the_next_read_and_leaves_its_sibling_pending(
    gateway, attachment, fake_google
):
    customer = fake_google.customer(CUSTOMER)
    customer.create_endpoint(attachment.path, "first")
    customer.create_endpoint(attachment.path, "second")
    first = _path("first")

    gateway.set_endpoint_lists("psc", [first], [])

    found = gateway.service_attachment("psc")
    assert found.accepted_endpoints == {first}
    assert {e.path: (e.status, e.nat_ips) for e in found.endpoints} == {
        first: ("ACCEPTED", ("172.24.0.2",)),
        _path("second"): ("PENDING", ()),
    }


def test_an_endpoint_taken_off_the_list_is_pending_again(gateway, attachment, fake_google):
    fake_google.customer(CUSTOMER).create_endpoint(attachment.path, "mine")
    gateway.set_endpoint_lists("psc", [_path("mine")], [])

    gateway.set_endpoint_lists("psc", [], [])

    [endpoint] = gateway.connected_endpoints("psc")
    assert endpoint.status == "PENDING"
    assert endpoint.nat_ips == ()


def test_rejecting_one_endpoint_leaves_its_accepted_sibling_accepted(
    gateway, attachment, fake_google
):
    customer = fake_google.customer(CUSTOMER)
    customer.create_endpoint(attachment.path, "kept")
    customer.create_endpoint(attachment.path, "refused")
    kept, refused = _path("kept"), _path("refused")
    gateway.set_endpoint_lists("psc", [kept, refused], [])

    gateway.set_endpoint_lists("psc", [kept], [refused])

    found = gateway.service_attachment("psc")
    assert (found.accepted_endpoints, found.rejected_endpoints) == ({kept}, {refused})
    assert {e.path: e.status for e in found.endpoints} == {kept: "ACCEPTED", refused: "REJECTED"}


def test_an_endpoint_on_both_lists_is_only_refused(gateway, attachment, fake_google):
    fake_google.customer(CUSTOMER).create_endpoint(attachment.path, "mine")

    gateway.set_endpoint_lists("psc", [_path("mine")], [_path("mine")])

    found = gateway.service_attachment("psc")
    assert found.accepted_endpoints == frozenset()
    assert [e.status for e in found.endpoints] == ["REJECTED"]


def test_an_attachment_that_lists_projects_is_read_as_such_and_rewritten_by_endpoint(
    gateway, attachment, fake_google
):
    fake_google.customer(CUSTOMER).create_endpoint(attachment.path, "mine")
    _list_projects(gateway, [CUSTOMER], [STRANGER])
    by_project = gateway.service_attachment("psc")

    gateway.set_endpoint_lists("psc", [_path("mine")], [])

    assert by_project.wholesale == {CUSTOMER, STRANGER}
    assert [e.status for e in by_project.endpoints] == ["ACCEPTED"]
    found = gateway.service_attachment("psc")
    assert (found.wholesale, found.accepted_endpoints) == (frozenset(), {_path("mine")})
    assert [e.status for e in found.endpoints] == ["ACCEPTED"]


def test_the_accept_list_can_be_emptied_which_the_sdks_own_patch_cannot_do(
    gateway, attachment, fake_google
):
    fake_google.customer(CUSTOMER).create_endpoint(attachment.path, "mine")
    gateway.set_endpoint_lists("psc", [_path("mine")], [])

    gateway.set_endpoint_lists("psc", [], [])

    found = gateway.service_attachment("psc")
    assert found.accepted_endpoints == frozenset()
    assert [e.status for e in found.endpoints] == ["PENDING"]


def _path(name: str, project: str = CUSTOMER) -> str:
    return f"projects/{project}/regions/{REGION}/forwardingRules/{name}"


def _list_projects(gateway, accepted: list[str], rejected: list[str]) -> None:
    """The lists by project, as the console wrote them before it accepted by endpoint."""
    found = gateway.service_attachment("psc")
    body = {
        "fingerprint": found.fingerprint,
        "consumerAcceptLists": [{"projectIdOrNum": p, "connectionLimit": 0} for p in accepted],
        "consumerRejectLists": rejected,
    }
    gateway._merge_patch(found.path, body)


def test_a_patch_that_lost_its_fingerprint_is_retryable(gateway, attachment, fake_google):
    fake_google.fail(
        1, 412, "conditionNotMet", "Supplied fingerprint does not match.", "/serviceAttachments/psc"
    )

    with pytest.raises(Retryable) as lost:
        gateway.set_endpoint_lists("psc", [_path("theirs", STRANGER)], [])

    assert lost.value.code == "conditionNotMet"
    gateway.set_endpoint_lists("psc", [_path("theirs", STRANGER)], [])
    assert gateway.service_attachment("psc").accepted_endpoints == {_path("theirs", STRANGER)}


def test_a_patch_over_a_fingerprint_another_writer_moved_on_is_retryable(gateway, attachment):
    stale = gateway.service_attachment("psc")
    gateway.set_endpoint_lists("psc", [_path("theirs", STRANGER)], [])

    with pytest.raises(Retryable) as lost:
        gateway._patch_lists(stale, {_path("mine")}, set())

    assert lost.value.code == "conditionNotMet"
    assert gateway.service_attachment("psc").accepted_endpoints == {_path("theirs", STRANGER)}


def test_accept_list_update_of_a_missing_attachment_is_gone(gateway, front):
    with pytest.raises(Gone):
        gateway.set_endpoint_lists("psc", [_path("mine")], [])


def test_deleting_the_attachment_closes_the_customers_endpoint(gateway, attachment, fake_google):
    customer = fake_google.customer(CUSTOMER)
    customer.create_endpoint(attachment.path, "mine")

    gateway.delete_service_attachment("psc")
    gateway.delete_service_attachment("psc")

    assert gateway.service_attachment("psc") is None
    assert gateway.connected_endpoints("psc") == []
    assert customer.endpoint(REGION, "mine").status == "CLOSED"
