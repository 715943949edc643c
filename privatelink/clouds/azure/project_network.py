"""The virtual network a Project VPC stands for on Azure, in the platform subscription: the
Project VPC's range, a subnet for the load balancers' frontends and the NAT subnet of the
private link services.

Nodes keep the addresses the inventory gives them in the range's zone quarters
(`console.zones`); an IP-based backend pool only needs them inside the network. The first
quarter holds the frontends, the fourth (which no zone uses) the NAT addresses. The row
records both subnets in `subnets`, without the `cidr` key the inventory lays nodes out by.
"""

import ipaddress

from console.models import ProjectVPC
from privatelink.clouds.azure.names import virtual_network_name
from privatelink.clouds.azure.network import NAT_SUBNET, NODES_SUBNET, AzureVirtualNetwork
from privatelink.clouds.azure.operations import AzureGateway
from privatelink.clouds.project_vpc_records import record_active, record_removed
from privatelink.engine import naming


def subnet_prefixes(cidr: str) -> tuple[str, str]:
    """(frontends' subnet, NAT subnet): the first and the last quarter of the range."""
    quarters = list(ipaddress.IPv4Network(cidr).subnets(prefixlen_diff=2))
    return str(quarters[0]), str(quarters[-1])


def recorded_subnet(vpc: ProjectVPC, name: str) -> dict[str, str] | None:
    return next((s for s in vpc.subnets if s.get("name") == name and s.get("subnet_id")), None)


def is_built(vpc: ProjectVPC) -> bool:
    return all(recorded_subnet(vpc, name) for name in (NODES_SUBNET, NAT_SUBNET))


def subnet_id(vpc: ProjectVPC, name: str) -> str:
    recorded = recorded_subnet(vpc, name)
    return recorded["subnet_id"] if recorded else ""


def network_id(vpc: ProjectVPC) -> str:
    recorded = recorded_subnet(vpc, NODES_SUBNET)
    return recorded.get("virtual_network_id", "") if recorded else ""


def _subnets_of(network: AzureVirtualNetwork) -> list[dict[str, str]]:
    return [
        {
            "name": subnet.name,
            "subnet_id": subnet.id,
            "address_prefix": subnet.address_prefix,
            "virtual_network_id": network.id,
        }
        for subnet in network.subnets
        if subnet.name in (NODES_SUBNET, NAT_SUBNET)
    ]


def ensure_network(vpc: ProjectVPC, gateway: AzureGateway) -> ProjectVPC:
    """Find (by name, ours by its tags) or create the network; record it as active."""
    owner = naming.project_vpc_owner(vpc.pk)
    nodes_prefix, nat_prefix = subnet_prefixes(vpc.cidr)
    network = gateway.create_virtual_network(
        virtual_network_name(vpc.pk), vpc.cidr, nodes_prefix, nat_prefix, owner
    )
    return record_active(
        vpc,
        _subnets_of(network),
        was_built=is_built(vpc),
        made={"virtual_network_id": network.id, "subnets": [s.id for s in network.subnets]},
    )


def remove_network(vpc: ProjectVPC, gateway: AzureGateway) -> None:
    """Delete the network (only ever asked with no service in it) if it is ours, then the row."""
    name = virtual_network_name(vpc.pk)
    network = gateway.virtual_network(name)
    if network is not None and network.owned_by(naming.project_vpc_owner(vpc.pk)):
        gateway.delete_virtual_network(name)
    record_removed(vpc, {"virtual_network_id": network.id if network else ""})
