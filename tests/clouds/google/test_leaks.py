"""A PrivateLink without a row leaves marked resources: listed in Google's order, removed."""

from privatelink.clouds.google import leaks
from privatelink.clouds.google.inventory import SERVICE_ATTACHMENTS
from tests.clouds.google.conftest import OWNER, build_front


def test_resources_of_a_link_without_a_row_are_leaks_in_deletion_order(gateway, fake_google):
    front = build_front(gateway)  # for privatelink/7 (OWNER)
    gateway.create_service_attachment("psc", front.rule.self_link, front.nat.self_link, OWNER)

    found = leaks.leaks(gateway, known_links={8})
    still_known = leaks.leaks(gateway, known_links={7})

    assert [leak.kind for leak in found] == [
        SERVICE_ATTACHMENTS,
        "forwardingRules",
        "backendServices",
        "healthChecks",
        "subnetworks",
        "subnetworks",
    ]
    assert still_known == []


def test_removing_the_leaks_leaves_only_the_network(gateway, fake_google):
    front = build_front(gateway)
    gateway.create_service_attachment("psc", front.rule.self_link, front.nat.self_link, OWNER)
    due = leaks.leaks(gateway, known_links=set())

    removed = leaks.remove_leaks(gateway, due)

    assert removed == [leak.resource_id for leak in due]
    assert [r["kind"] for r in fake_google.resources()] == ["compute#network"]
