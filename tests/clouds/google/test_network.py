"""The network, its subnets and the internal load balancer, through the gateway."""

import pytest

from privatelink.clouds.google import Terminal
from privatelink.clouds.google.labels import TAG_OWNER, tags_of
from privatelink.clouds.google.network import free_nat_range
from tests.clouds.google.conftest import OWNER, build_front


def test_front_is_built_and_marked_as_the_owners(gateway, fake_google):
    front = build_front(gateway)

    assert front.nat.purpose == "PRIVATE_SERVICE_CONNECT"
    assert front.nodes.purpose == "PRIVATE"
    assert front.rule.ip_address == "10.0.0.2"
    assert front.rule.ports == ("9092",)
    assert front.rule.owned_by(OWNER)
    kept = fake_google.resources()
    assert len(kept) == 6
    assert all(tags_of(r["description"])[TAG_OWNER] == OWNER for r in kept)
    [rule] = [r for r in kept if r["kind"] == "compute#forwardingRule"]
    assert rule["labels"] == {
        "privatelink-console-deployment": "test-deployment",
        "privatelink-console-owner": "privatelink-7",
    }


def test_building_again_reuses_what_an_earlier_run_made(gateway, fake_google):
    first = build_front(gateway)
    second = build_front(gateway)

    assert second == first
    assert len(fake_google.resources()) == 6


def test_a_name_taken_by_another_owner_is_left_alone(gateway, fake_google):
    gateway.create_network("net", "privatelink/8")

    with pytest.raises(Terminal) as refused:
        gateway.create_network("net", OWNER)

    assert refused.value.code == "NameTakenByAnother"


def test_more_than_five_ports_take_all_ports(gateway, front):
    service = gateway.backend_service("bes")
    rule = gateway.create_forwarding_rule("wide", service, front.nodes, range(9092, 9099), OWNER)

    assert rule.ports == ()
    assert gateway.forwarding_rule("wide").ip_address == "10.0.0.3"


def test_free_nat_range_is_the_first_26_of_the_reserved_range_not_taken():
    assert free_nat_range(["10.0.0.0/24"]) == "172.24.0.0/26"
    assert free_nat_range(["172.24.0.0/26", "172.24.0.64/27"]) == "172.24.0.128/26"


def test_deleting_in_order_leaves_nothing(gateway, front, fake_google):
    gateway.delete_forwarding_rule("ilb")
    gateway.delete_backend_service("bes")
    gateway.delete_health_check("hc")
    gateway.delete_subnet("nodes")
    gateway.delete_subnet("nat")
    gateway.delete_network("net")
    gateway.delete_network("net")  # already gone: as good as deleted

    assert fake_google.resources() == []
