"""The nodes' virtual network through the gateway: its two subnets, create-once by name,
and deletes that are done when there is nothing left."""

import pytest

from privatelink.clouds.azure import Terminal
from privatelink.clouds.azure.network import NAT_SUBNET, NODES_SUBNET
from privatelink.clouds.azure.tags import TAG_DEPLOYMENT, TAG_OWNER
from tests.clouds.azure.conftest import GROUP, OWNER


def test_the_network_has_the_nodes_subnet_and_a_nat_subnet_without_network_policies(network):
    vnet = network.vnet

    assert vnet.name == "vnet-my-kafka"
    assert f"/resourceGroups/{GROUP}/" in vnet.id
    assert vnet.address_prefixes == ("10.20.0.0/16",)
    assert vnet.provisioning_state == "Succeeded"
    nodes, nat = vnet.subnet(NODES_SUBNET), vnet.subnet(NAT_SUBNET)
    assert nodes is not None
    assert nat is not None
    assert nodes.address_prefix == "10.20.0.0/24"
    assert nodes.private_link_service_network_policies == "Enabled"
    assert nat.address_prefix == "10.20.1.0/24"
    assert nat.private_link_service_network_policies == "Disabled"
    assert vnet.tags == {TAG_DEPLOYMENT: "test-deployment", TAG_OWNER: OWNER}
    assert vnet.owned_by(OWNER)


def test_creating_twice_finds_the_first_network_and_keeps_its_subnets(network, fake_azure):
    network.gateway.put_subnet("vnet-my-kafka", "extra", "10.20.2.0/24")

    again = network.gateway.create_virtual_network(
        "vnet-my-kafka", "10.20.0.0/16", "10.20.0.0/24", "10.20.1.0/24", OWNER
    )

    assert again.id == network.vnet.id
    assert {s.name for s in again.subnets} == {NODES_SUBNET, NAT_SUBNET, "extra"}
    networks = [r for r in fake_azure.resources() if r["type"].endswith("/virtualNetworks")]
    assert len(networks) == 1


def test_a_network_of_another_owner_under_the_name_is_refused_and_left_alone(network):
    with pytest.raises(Terminal) as refusal:
        network.gateway.create_virtual_network(
            "vnet-my-kafka", "10.30.0.0/16", "10.30.0.0/24", "10.30.1.0/24", "privatelink/8"
        )

    assert refusal.value.code == "NameTakenByAnother"
    kept = network.gateway.virtual_network("vnet-my-kafka")
    assert kept is not None
    assert kept.address_prefixes == ("10.20.0.0/16",)


def test_a_subnet_is_put_with_the_nat_flag_and_deleted(network):
    subnet = network.gateway.put_subnet(
        "vnet-my-kafka", "nat-2", "10.20.3.0/24", private_link_nat=True
    )

    assert subnet.private_link_service_network_policies == "Disabled"
    assert subnet.provisioning_state == "Succeeded"
    network.gateway.delete_subnet("vnet-my-kafka", "nat-2")
    vnet = network.gateway.virtual_network("vnet-my-kafka")
    assert vnet is not None
    assert vnet.subnet("nat-2") is None


def test_a_missing_network_reads_as_none_and_deleting_it_twice_is_done(network):
    network.gateway.delete_virtual_network("vnet-my-kafka")
    network.gateway.delete_virtual_network("vnet-my-kafka")

    assert network.gateway.virtual_network("vnet-my-kafka") is None
