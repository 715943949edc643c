"""The gateway's port mapping group: made once by name, its endpoints attached, read back,
detached, and its deletion; a refused endpoint comes out as a Terminal refusal."""

import pytest

from privatelink.clouds.google import MappedPort, Terminal
from privatelink.clouds.google.endpoint_groups import instance_path
from tests.clouds.google.conftest import OWNER, REGION

ZONE = f"{REGION}-b"


def _port(gateway, client_port: int, node: str = "kafka-1", zone: str = ZONE) -> MappedPort:
    return MappedPort(client_port, instance_path(gateway.project, zone, node), 9092)


def test_a_group_maps_ports_to_nodes_and_is_found_again_by_its_name(gateway, front):
    group = gateway.create_endpoint_group(
        "neg", front.network.self_link, front.nodes.self_link, OWNER
    )
    again = gateway.create_endpoint_group(
        "neg", front.network.self_link, front.nodes.self_link, OWNER
    )

    gateway.attach_ports("neg", [_port(gateway, 10001), _port(gateway, 10002, "kafka-2")])
    gateway.detach_ports("neg", [_port(gateway, 10001)])

    assert again == group
    assert gateway.mapped_ports("neg") == [_port(gateway, 10002, "kafka-2")]
    gateway.delete_endpoint_group("neg")
    assert gateway.endpoint_group("neg") is None
    assert gateway.mapped_ports("neg") == []


def test_a_node_outside_the_region_is_refused(gateway, front):
    gateway.create_endpoint_group("neg", front.network.self_link, front.nodes.self_link, OWNER)

    with pytest.raises(Terminal):
        gateway.attach_ports("neg", [_port(gateway, 10001, zone="us-east1-b")])

    assert gateway.mapped_ports("neg") == []


def test_a_group_of_the_name_that_is_not_ours_is_not_taken(gateway, front):
    gateway.create_endpoint_group("neg", front.network.self_link, front.nodes.self_link, "other/1")

    with pytest.raises(Terminal, match="not marked as"):
        gateway.create_endpoint_group("neg", front.network.self_link, front.nodes.self_link, OWNER)
