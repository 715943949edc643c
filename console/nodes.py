"""Where a service's nodes run: their names, zones, and private IPs from their zone's subnet.

Used when a service is created, when a plan change adds or removes nodes, and when a node
is replaced. Callers hold the transaction; nothing here calls AWS.
"""

import ipaddress
import re
from collections.abc import Callable, Collection

from console import changes, zones
from console.errors import InvalidInput
from console.models import ProjectVPC, Service, ServiceNode
from console.registry import Registry

ScalingCheck = Callable[[Service, int], None]
_scaling_checks: Registry[ScalingCheck] = Registry()


def register_scaling_check(check: ScalingCheck) -> ScalingCheck:
    """Apps that build per-node infrastructure (privatelink: NLB listeners) refuse a node
    count they cannot carry out, before anything is saved."""
    return _scaling_checks.add(check)


def check_scaling(service: Service, node_count: int) -> None:
    for check in _scaling_checks:
        check(service, node_count)


# Addresses below .10 of each /24 are left to the network (gateway, DNS, reserved).
FIRST_HOST_OCTET = 10
# A service without a Project VPC still needs addresses to show; they are never routed.
PUBLIC_NETWORK = ipaddress.IPv4Network("10.255.0.0/16")


def node_number(node: ServiceNode) -> int:
    """The N of `<service>-N`, so nodes sort as 1, 2, ..., 10 and not 1, 10, 2."""
    match = re.search(r"-(\d+)$", node.name)
    return int(match.group(1)) if match else 0


def zone_networks(service: Service) -> dict[str, ipaddress.IPv4Network]:
    """Zone name -> the range of the service's subnet there, in zone order: the Project
    VPC's subnets once built, else the quarters it will have. An IP target's zone is its
    subnet's, so a node's address must lie in its own zone's subnet."""
    vpc = service.project_vpc
    built = [s for s in vpc.subnets if s.get("cidr")] if vpc else []
    if built:
        return {s["availability_zone"]: ipaddress.IPv4Network(s["cidr"]) for s in built}
    cidr = vpc.cidr if vpc else str(PUBLIC_NETWORK)
    return {
        zone: ipaddress.IPv4Network(block)
        for zone, block in zip(
            zones.default_zone_names(service.cloud), zones.subnet_cidrs(cidr), strict=False
        )
    }


def free_addresses(
    service: Service, zone: str, count: int, also_taken: Collection[str] = ()
) -> list[str]:
    """`count` addresses of `zone`'s subnet that no node of the service's network uses,
    lowest first (a zone the network does not know: anywhere in it).

    InvalidInput names the plan when the Project VPC has no room left.
    """
    vpc: ProjectVPC | None = service.project_vpc
    whole = vpc.network if vpc else PUBLIC_NETWORK
    subnet = zone_networks(service).get(zone, whole)
    same_network = (
        ServiceNode.objects.filter(service__project_vpc=vpc)
        if vpc
        else ServiceNode.objects.filter(service__project_vpc__isnull=True)
    )
    taken = set(same_network.values_list("private_ip", flat=True)) | set(also_taken)
    found: list[str] = []
    for address in subnet.hosts():
        offset = int(address) - int(subnet.network_address)
        if offset < FIRST_HOST_OCTET or int(address) & 0xFF < FIRST_HOST_OCTET:
            continue
        if str(address) in taken:
            continue
        found.append(str(address))
        if len(found) == count:
            return found
    where = f"The Project VPC {vpc.cidr}" if vpc else "The network"
    nodes = "1 more node" if count == 1 else f"{count} more nodes"
    raise InvalidInput(f"{where} has no room for {nodes} in {zone} ({subnet}).", field="plan")


def add_nodes(service: Service, count: int) -> list[ServiceNode]:
    """Add `count` nodes with the lowest free numbers, each in the zone with fewest nodes."""
    existing = list(service.nodes.all())
    used = {node_number(n) for n in existing}
    numbers = [n for n in range(1, len(used) + count + 1) if n not in used][:count]
    zone_list = list(zone_networks(service))
    load = {zone: 0 for zone in zone_list}
    for node in existing:
        if node.availability_zone in load:
            load[node.availability_zone] += 1
    chosen = []
    for _ in numbers:
        # The emptiest zone first, ties by zone order: nodes stay spread over the zones.
        zone = min(zone_list, key=lambda z: (load[z], zone_list.index(z)))
        load[zone] += 1
        chosen.append(zone)
    addresses: dict[str, list[str]] = {
        zone: free_addresses(service, zone, chosen.count(zone)) for zone in dict.fromkeys(chosen)
    }
    added = [
        ServiceNode(
            service=service,
            name=f"{service.name}-{number}",
            private_ip=addresses[zone].pop(0),
            availability_zone=zone,
        )
        for number, zone in zip(numbers, chosen, strict=True)
    ]
    # bulk_create sends no post_save: the pages showing the nodes are told here.
    changes.service_changed(service.pk)
    return ServiceNode.objects.bulk_create(added)


def remove_nodes(service: Service, count: int) -> list[str]:
    """Remove the `count` highest-numbered nodes; returns their names."""
    doomed = sorted(service.nodes.all(), key=node_number)[-count:] if count > 0 else []
    names = [n.name for n in doomed]
    ServiceNode.objects.filter(pk__in=[n.pk for n in doomed]).delete()
    return names
