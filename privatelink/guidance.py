"""What a customer must know before creating a VPC endpoint, from the database only: the
create-vpc-endpoint command (one subnet per availability zone), how many endpoints the
service accepts, and the ports the endpoint's security group must allow."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from console.catalog import Routing
from console.models import Service
from privatelink.engine import planner, project_vpc
from privatelink.models import PORT_POOL, PrivateLink


def zones_of(service: Service) -> list[str]:
    """The availability zones the service's Project VPC spans in its region."""
    vpc = service.project_vpc
    if vpc is None:
        return []
    return [s["availability_zone"] for s in vpc.subnets if s.get("availability_zone")]


def subnet_count(service: Service) -> int:
    """One subnet per zone: the Project VPC's zones, or as many as it will have."""
    return len(zones_of(service)) or project_vpc.ZONE_COUNT


def endpoint_command(privatelink: PrivateLink, service: Service) -> str:
    """The create-vpc-endpoint command, with one subnet per availability zone (as the
    platform advises, for fault tolerance)."""
    region = service.cloud.removeprefix("aws-")
    subnets = " ".join(f"SUBNET_ID_{n}" for n in range(1, subnet_count(service) + 1))
    return (
        "aws ec2 create-vpc-endpoint --vpc-endpoint-type Interface --vpc-id VPC_ID "
        f"--subnet-ids {subnets} --security-group-ids SG_ID "
        f"--service-name {privatelink.aws_service_name or 'SERVICE_NAME'} --region {region}"
    )


@dataclass(frozen=True)
class PortsToOpen:
    ports: str
    components: list[str]


def ports_to_open(service: Service) -> list[PortsToOpen]:
    """What the endpoint's security group must let in, from the components switched on now:
    per-node components (Kafka brokers) take their ports from the pool, the others keep
    their own port."""
    enabled = planner.enabled_components(service)
    per_node = [c.label for c in enabled if c.routing == Routing.PER_NODE]
    pool = f"{PORT_POOL.start}-{PORT_POOL.stop - 1}"
    return ([PortsToOpen(pool, per_node)] if per_node else []) + [
        PortsToOpen(str(c.dynamic_port), [c.label])
        for c in enabled
        if c.routing != Routing.PER_NODE
    ]


def before_connecting(privatelink: PrivateLink, service: Service) -> dict[str, Any]:
    """The template context of the "Connect your VPC" part of the page."""
    return {
        "command": endpoint_command(privatelink, service),
        "zones": zones_of(service),
        "subnet_count": subnet_count(service),
        "region": service.cloud.removeprefix("aws-"),
        "max_connections": settings.PRIVATELINK_MAX_CONNECTIONS,
        "ports_to_open": ports_to_open(service),
    }
