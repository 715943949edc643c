"""The network, its subnets and the internal load balancer, through the gateway."""

import pytest

from privatelink.clouds.google import Terminal, publishing
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


def test_free_nat_range_looks_from_the_place_it_is_given_and_wraps_around():
    # The 5th /26 of 172.24.0.0/16; the last one taken sends the search back to the first.
    assert free_nat_range([], start=5) == "172.24.1.64/26"
    assert free_nat_range(["172.24.255.192/26"], start=1023) == "172.24.0.0/26"
    assert free_nat_range([], start=1024 + 5) == "172.24.1.64/26"


def test_a_nat_range_another_link_took_after_the_listing_is_given_up_for_another(
    gateway, fake_google, monkeypatch
):
    network = gateway.create_network("net", OWNER)
    gateway.create_subnet("nodes", network, "10.0.0.0/24", OWNER)
    # Another link's NAT subnet, made between this link's listing and its insert: the
    # first listing does not show it.
    other = gateway.create_subnet(
        "nat-other", network, "172.24.1.64/26", "privatelink/8", psc_nat=True
    )
    listings = []
    shown = gateway.subnets_of

    def subnets_of(where):
        listings.append(where)
        found = shown(where)
        return [s for s in found if s.name != other.name] if len(listings) == 1 else found

    monkeypatch.setattr(gateway, "subnets_of", subnets_of)

    nat = publishing._create_nat_subnet(gateway, "nat-5", network, OWNER, privatelink_id=5)

    assert len(listings) == 2
    assert (nat.name, nat.ip_cidr_range) == ("nat-5", "172.24.1.128/26")


def test_a_nat_subnet_refused_for_another_reason_is_not_tried_again(gateway, monkeypatch):
    network = gateway.create_network("net", OWNER)
    listings = []
    monkeypatch.setattr(gateway, "subnets_of", lambda where: listings.append(where) or [])

    def refuse(*args, **kwargs):
        raise Terminal("invalid", "Invalid value for field 'resource.name'.", "create_subnetwork")

    monkeypatch.setattr(gateway, "create_subnet", refuse)

    with pytest.raises(Terminal):
        publishing._create_nat_subnet(gateway, "nat-5", network, OWNER, privatelink_id=5)
    assert len(listings) == 1


def test_deleting_in_order_leaves_nothing(gateway, front, fake_google):
    gateway.delete_forwarding_rule("ilb")
    gateway.delete_backend_service("bes")
    gateway.delete_health_check("hc")
    gateway.delete_subnet("nodes")
    gateway.delete_subnet("nat")
    gateway.delete_network("net")
    gateway.delete_network("net")  # already gone: as good as deleted

    assert fake_google.resources() == []
