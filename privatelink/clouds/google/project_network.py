"""The VPC network a Project VPC stands for on Google, in the platform project: a
custom-mode network and one regional subnet for the nodes over the Project VPC's whole
range (a Google subnet spans the region's zones, so the inventory's zone quarters all lie
in it). The PSC NAT subnets are each service attachment's own, made with the attachment.

The row records the nodes' subnet in `subnets`, without the `cidr` key the inventory lays
nodes out by.
"""

from console.models import ProjectVPC
from privatelink.clouds.google import parts
from privatelink.clouds.google.names import network_name, nodes_subnet_name
from privatelink.clouds.google.network import GoogleNetwork, GoogleSubnet
from privatelink.clouds.google.operations import GoogleGateway
from privatelink.clouds.project_vpc_records import record_active, record_removed
from privatelink.engine import naming

NODES_SUBNET = "nodes"


def recorded_subnet(vpc: ProjectVPC) -> dict[str, str] | None:
    return next(
        (s for s in vpc.subnets if s.get("name") == NODES_SUBNET and s.get("subnet_id")), None
    )


def is_built(vpc: ProjectVPC) -> bool:
    return recorded_subnet(vpc) is not None


def network_link(vpc: ProjectVPC) -> str:
    recorded = recorded_subnet(vpc)
    return recorded.get("network_id", "") if recorded else ""


def _record(network: GoogleNetwork, subnet: GoogleSubnet) -> list[dict[str, str]]:
    return [
        {
            "name": NODES_SUBNET,
            "subnet_id": subnet.self_link,
            "address_prefix": subnet.ip_cidr_range,
            "network_id": network.self_link,
        }
    ]


def ensure_network(vpc: ProjectVPC, gateway: GoogleGateway) -> ProjectVPC:
    """Find (by name, ours by its marks) or create the network and the nodes' subnet;
    record them as active."""
    ensure_nodes_network(vpc, gateway)
    return vpc


def ensure_nodes_network(
    vpc: ProjectVPC, gateway: GoogleGateway
) -> tuple[GoogleNetwork, GoogleSubnet]:
    """`ensure_network`, and the network and nodes' subnet as Google reads them now."""
    owner = naming.project_vpc_owner(vpc.pk)
    parts.settle(gateway, parts.network_parts(vpc.pk), deleting=False)
    network = gateway.create_network(network_name(vpc.pk), owner)
    subnet = gateway.create_subnet(nodes_subnet_name(vpc.pk), network, vpc.cidr, owner)
    record_active(
        vpc,
        _record(network, subnet),
        was_built=is_built(vpc),
        made={"network": network.self_link, "subnets": [subnet.self_link]},
    )
    return network, subnet


def remove_network(vpc: ProjectVPC, gateway: GoogleGateway) -> None:
    """Delete the nodes' subnet and the network (only ever asked with no service in it, so
    no NAT subnet is left) if they are ours, then the row."""
    owner = naming.project_vpc_owner(vpc.pk)
    parts.settle(gateway, parts.network_parts(vpc.pk), deleting=True)
    subnet = gateway.subnet(nodes_subnet_name(vpc.pk))
    if subnet is not None and subnet.owned_by(owner):
        gateway.delete_subnet(subnet.name)
    network = gateway.network(network_name(vpc.pk))
    if network is not None and network.owned_by(owner):
        gateway.delete_network(network.name)
    record_removed(vpc, {"network": network.self_link if network else ""})
