"""The leak scan's listing: this deployment's marked resources, attachments first, and
their deletion in that order."""

from privatelink.clouds.google.inventory import SERVICE_ATTACHMENTS
from tests.clouds.google.conftest import OWNER, build_front


def test_our_resources_are_listed_by_their_marks_in_deletion_order(
    gateway, front, fake_google, settings
):
    gateway.create_service_attachment("psc", front.rule.self_link, front.nat.self_link, OWNER)
    settings.DEPLOYMENT_ID = "another-deployment"
    build_front(gateway, owner="privatelink/9", suffix="-other")
    settings.DEPLOYMENT_ID = "test-deployment"

    found = gateway.our_resources()

    assert [r.kind for r in found] == [
        "serviceAttachments",
        "forwardingRules",
        "backendServices",
        "healthChecks",
        "subnetworks",
        "subnetworks",
        "networks",
    ]
    assert {r.name for r in found} == {"psc", "ilb", "bes", "hc", "nodes", "nat", "net"}
    assert all(r.owner == OWNER for r in found)
    assert {r.region for r in found if r.kind != "networks"} == {"europe-west1"}


def test_deleting_every_resource_listed_leaves_only_others(gateway, front, fake_google, settings):
    gateway.create_service_attachment("psc", front.rule.self_link, front.nat.self_link, OWNER)

    for resource in gateway.our_resources():
        gateway.delete_resource(resource)

    assert fake_google.resources() == []
    assert gateway.our_resources((SERVICE_ATTACHMENTS,)) == []
