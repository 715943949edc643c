"""What a customer must know before creating a VPC endpoint, from the database only: the
create-vpc-endpoint command (one subnet in each of the service's zones, named by zone ID),
how many endpoints the service accepts, and the ports the endpoint's security group must
allow."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from console import catalog, zones
from console.catalog import Component, Routing
from console.models import Service
from privatelink.engine import planner
from privatelink.models import PORT_POOL, PrivateLink

POOL_RANGE = f"{PORT_POOL.start}-{PORT_POOL.stop - 1}"


def zones_of(service: Service) -> list[str]:
    """The availability zones (names in the platform's account) the Project VPC spans."""
    vpc = service.project_vpc
    if vpc is None:
        return []
    return [s["availability_zone"] for s in vpc.subnets if s.get("availability_zone")]


def zone_ids_of(service: Service) -> list[str]:
    """The zone IDs of the Project VPC's subnets: the zones where an endpoint reaches the
    service's load balancer, the same zones in every AWS account."""
    vpc = service.project_vpc
    return zones.zone_ids(vpc.subnets) if vpc else []


def subnet_count(service: Service) -> int:
    """One subnet per zone: the Project VPC's zones, or as many as it will have."""
    return len(zones_of(service)) or zones.ZONE_COUNT


def endpoint_command(privatelink: PrivateLink, service: Service) -> str:
    """The create-vpc-endpoint command, with one subnet per availability zone (as the
    platform advises, for fault tolerance)."""
    region = catalog.region_of(service.cloud)
    subnets = " ".join(f"SUBNET_ID_{n}" for n in range(1, subnet_count(service) + 1))
    return (
        "aws ec2 create-vpc-endpoint --vpc-endpoint-type Interface --vpc-id VPC_ID "
        f"--subnet-ids {subnets} --security-group-ids SG_ID "
        f"--service-name {privatelink.aws_details.service_name or 'SERVICE_NAME'} "
        f"--region {region}"
    )


@dataclass(frozen=True)
class PortsToOpen:
    ports: str
    components: list[str]


def pool_component(service: Service) -> str:
    """The label of the service's own component when its privatelink ports come from the
    pool (Kafka's brokers), else "". That range is worth opening with the endpoint, which
    comes first: the brokers' ports are taken from it when access is switched on, and
    brokers added later take new ones."""
    own = service.type.privatelink_components[:1]
    return own[0].label if own and own[0].routing == Routing.PER_NODE else ""


def _spans(ports: list[int]) -> str:
    """10000, 10001, 10002, 10005 -> "10000-10002, 10005"."""
    spans: list[list[int]] = []
    for port in sorted(set(ports)):
        if spans and port == spans[-1][1] + 1:
            spans[-1][1] = port
        else:
            spans.append([port, port])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


def ports_to_open(privatelink: PrivateLink, service: Service) -> list[PortsToOpen]:
    """The exact ports of the components switched on now: per-node components (Kafka
    brokers) have the pool ports given to their listeners (the whole pool until they have
    some), the others keep their own port."""
    enabled = planner.enabled_components(service)
    given: dict[str, list[int]] = {}
    if privatelink.pk and any(c.routing == Routing.PER_NODE for c in enabled):
        for component, port in privatelink.listeners.values_list("component", "port"):
            given.setdefault(component, []).append(port)

    def ports(component: Component) -> str:
        if component.routing != Routing.PER_NODE:
            return str(component.dynamic_port)
        return _spans(given[component.name]) if given.get(component.name) else POOL_RANGE

    return [PortsToOpen(ports(c), [c.label]) for c in enabled]


def before_connecting(privatelink: PrivateLink, service: Service) -> dict[str, Any]:
    """The template context of the "Connect your VPC" part of the page."""
    return {
        "command": endpoint_command(privatelink, service),
        "zones": zones_of(service),
        "zone_ids": zone_ids_of(service),
        "subnet_count": subnet_count(service),
        "region": catalog.region_of(service.cloud),
        "max_connections": settings.PRIVATELINK_MAX_CONNECTIONS,
        "pool_range": POOL_RANGE,
        "pool_component": pool_component(service),
        "ports_to_open": ports_to_open(privatelink, service),
    }
