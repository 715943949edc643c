"""Where a service's nodes run: their names, private IPs from the Project VPC and zones.

Used when a service is created, when a plan change adds or removes nodes, and when a node
is replaced. Callers hold the transaction; nothing here calls AWS.
"""

import ipaddress
import re
from collections.abc import Callable, Collection

from console import changes
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


def _zones(service: Service) -> list[str]:
    vpc = service.project_vpc
    zones = [s["availability_zone"] for s in vpc.subnets] if vpc else []
    return zones or [f"{service.cloud.removeprefix('aws-')}{z}" for z in "abc"]


def free_addresses(service: Service, count: int, also_taken: Collection[str] = ()) -> list[str]:
    """`count` addresses no node of the service's network uses, lowest first.

    InvalidInput names the plan when the Project VPC has no room left.
    """
    vpc: ProjectVPC | None = service.project_vpc
    network = vpc.network if vpc else PUBLIC_NETWORK
    same_network = (
        ServiceNode.objects.filter(service__project_vpc=vpc)
        if vpc
        else ServiceNode.objects.filter(service__project_vpc__isnull=True)
    )
    taken = set(same_network.values_list("private_ip", flat=True)) | set(also_taken)
    found: list[str] = []
    for address in network.hosts():
        if int(address) & 0xFF < FIRST_HOST_OCTET or str(address) in taken:
            continue
        found.append(str(address))
        if len(found) == count:
            return found
    where = f"The Project VPC {vpc.cidr}" if vpc else "The network"
    raise InvalidInput(f"{where} has no room for {count} more nodes.", field="plan")


def add_nodes(service: Service, count: int) -> list[ServiceNode]:
    """Add `count` nodes with the lowest free numbers, each in the zone with fewest nodes."""
    existing = list(service.nodes.all())
    used = {node_number(n) for n in existing}
    numbers = [n for n in range(1, len(used) + count + 1) if n not in used][:count]
    addresses = free_addresses(service, count)
    zones = _zones(service)
    load = {zone: 0 for zone in zones}
    for node in existing:
        if node.availability_zone in load:
            load[node.availability_zone] += 1
    added = []
    for number, address in zip(numbers, addresses, strict=True):
        # The emptiest zone first, ties by zone order: nodes stay spread over the zones.
        zone = min(zones, key=lambda z: (load[z], zones.index(z)))
        load[zone] += 1
        added.append(
            ServiceNode(
                service=service,
                name=f"{service.name}-{number}",
                private_ip=address,
                availability_zone=zone,
            )
        )
    # bulk_create sends no post_save: the pages showing the nodes are told here.
    changes.service_changed(service.pk)
    return ServiceNode.objects.bulk_create(added)


def remove_nodes(service: Service, count: int) -> list[str]:
    """Remove the `count` highest-numbered nodes; returns their names."""
    doomed = sorted(service.nodes.all(), key=node_number)[-count:] if count > 0 else []
    names = [n.name for n in doomed]
    ServiceNode.objects.filter(pk__in=[n.pk for n in doomed]).delete()
    return names
