"""Would a client of an Interface endpoint reach a healthy target at HOST:PORT, zone by zone?

What AWS does on that path, read from the fake's state (every account): the endpoint's
connection must be accepted; HOST must resolve to the endpoint (itself, or a Route 53
CNAME chain to one of its DNS names); the endpoint's security groups must let the port in;
the endpoint service's NLB must listen on the port; and the NLB node of the client's zone
(matched by zone ID, the same physical zone in every account) must forward to a healthy
target: one in its own zone, or in another zone when cross-zone load balancing is on. An
IP target's zone is the zone of the subnet of the NLB's VPC that holds the IP.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from moto.ec2.models import EC2Backend, ec2_backends
from moto.ec2.models.subnets import Subnet
from moto.ec2.models.vpcs import VPCEndPoint
from moto.elbv2.models import FakeLoadBalancer, FakeTargetGroup, elbv2_backends
from moto.route53.models import route53_backends

from fakeaws.endpoint_services import find_service

CROSS_ZONE = "load_balancing.cross_zone.enabled"
ALL_PROTOCOLS = {"-1", "all"}
TCP = {"tcp", "6"}
MAX_CNAME_HOPS = 8


class NotFound(ValueError):
    """The endpoint named does not exist in any account."""


@dataclass(frozen=True)
class ZoneReach:
    zone: str  # the zone's name in the endpoint owner's account
    zone_id: str
    subnet_id: str
    reachable: bool
    reason: str  # why not; on success, which target answers

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def reach(endpoint_id: str, host: str, port: int) -> list[ZoneReach]:
    """One answer per subnet (zone) of the endpoint, in zone-ID order."""
    backend, endpoint = _endpoint(endpoint_id)
    subnets = [backend.get_subnet(s) for s in endpoint.subnet_ids or []]
    problem = _common_problem(backend, endpoint, host, port)
    answers = []
    for subnet in sorted(subnets, key=lambda s: s.availability_zone_id):
        reachable, reason = (False, problem) if problem else _zone(backend, endpoint, subnet, port)
        answers.append(
            ZoneReach(
                zone=subnet.availability_zone,
                zone_id=subnet.availability_zone_id,
                subnet_id=subnet.id,
                reachable=reachable,
                reason=reason,
            )
        )
    return answers


def _endpoint(endpoint_id: str) -> tuple[EC2Backend, VPCEndPoint]:
    for account_backends in list(ec2_backends.values()):
        for backend in list(dict.values(account_backends)):
            endpoint = backend.vpc_end_points.get(endpoint_id)
            if endpoint is not None:
                return backend, endpoint
    raise NotFound(f"no VPC endpoint {endpoint_id} in any account")


def _common_problem(backend: EC2Backend, endpoint: VPCEndPoint, host: str, port: int) -> str:
    """What stops every zone alike, or "" when nothing does."""
    if endpoint.state != "available":
        return f"no accepted connection: the endpoint is {endpoint.state}"
    if not _resolves_to(host, endpoint):
        return f"{host} does not resolve to {endpoint.id}"
    if not _security_groups_allow(backend, endpoint, port):
        return f"the endpoint's security groups do not allow TCP port {port}"
    balancer = _load_balancer(backend, endpoint)
    if balancer is None:
        return "the endpoint service or its load balancer no longer exists"
    if _listener_group(balancer, port) is None:
        return f"no listener on port {port}"
    return ""


def _zone(
    backend: EC2Backend, endpoint: VPCEndPoint, subnet: Subnet, port: int
) -> tuple[bool, str]:
    """Whether the NLB node of the subnet's zone forwards to a healthy target, and why."""
    balancer = _load_balancer(backend, endpoint)
    assert balancer is not None  # checked by _common_problem
    group = _listener_group(balancer, port)
    assert group is not None
    provider = _ec2_of(balancer)
    zone_id = subnet.availability_zone_id
    if zone_id not in {s.availability_zone_id for s in balancer.subnets}:
        return False, f"the load balancer has no node in {zone_id}"
    healthy = {
        ip: _zone_of(provider, balancer.vpc_id, ip)
        for ip, state in _target_states(group, provider).items()
        if state == "healthy"
    }
    if not healthy:
        states = sorted(set(_target_states(group, provider).values())) or ["none registered"]
        return False, f"no healthy target on port {port} (targets: {', '.join(states)})"
    here = sorted(ip for ip, zone in healthy.items() if zone == zone_id)
    if here:
        return True, f"{here[0]} in {zone_id}"
    if _cross_zone(balancer, group):
        ip = sorted(healthy)[0]
        return True, f"{ip} in {healthy[ip] or 'an unknown zone'} (cross-zone)"
    zones = ", ".join(sorted({z or "an unknown zone" for z in healthy.values()}))
    return False, f"healthy target only in {zones}, and cross-zone load balancing is off"


def _resolves_to(host: str, endpoint: VPCEndPoint) -> bool:
    """Whether HOST is one of the endpoint's DNS names or a CNAME chain to one."""
    own = {entry["dns_name"].rstrip(".").lower() for entry in endpoint.dns_entries or []}
    name = host.rstrip(".").lower()
    for _ in range(MAX_CNAME_HOPS):
        if name in own:
            return True
        target = _cname(name)
        if target is None:
            return False
        name = target
    return False


def _cname(name: str) -> str | None:
    for record in _record_sets():
        if record.type == "CNAME" and record.name.rstrip(".").lower() == name and record.records:
            value = record.records[0]
            value = value.get("Value", "") if isinstance(value, dict) else str(value)
            return value.rstrip(".").lower()
    return None


def _record_sets() -> Iterator[Any]:
    for account_backends in list(route53_backends.values()):
        for backend in list(dict.values(account_backends)):
            for zone in list(backend.zones.values()):
                yield from list(zone.rrsets)


def _security_groups_allow(backend: EC2Backend, endpoint: VPCEndPoint, port: int) -> bool:
    """A rule letting TCP `port` in from the endpoint's VPC (a range overlapping it, or a
    security group its clients may be in). No group named: the VPC's default, as AWS does."""
    groups = [backend.get_security_group_from_id(g) for g in endpoint.security_group_ids]
    if not endpoint.security_group_ids:
        groups = [backend.get_default_security_group(endpoint.vpc_id)]
    network = ipaddress.IPv4Network(backend.get_vpc(endpoint.vpc_id).cidr_block)
    for group in groups:
        for rule in group.ingress_rules if group is not None else []:
            protocol = (rule.ip_protocol or "").lower()
            if protocol in ALL_PROTOCOLS:
                ports_match = True
            elif protocol in TCP and rule.from_port is not None and rule.to_port is not None:
                ports_match = rule.from_port <= port <= rule.to_port
            else:
                ports_match = False
            cidr = rule.ip_range.get("CidrIp")
            source_match = bool(rule.source_group) or (
                cidr is not None and ipaddress.IPv4Network(cidr, strict=False).overlaps(network)
            )
            if ports_match and source_match:
                return True
    return False


def _load_balancer(backend: EC2Backend, endpoint: VPCEndPoint) -> FakeLoadBalancer | None:
    service = find_service(backend.region_name, endpoint.service_name)
    if service is None:
        return None
    owner = service.ec2_backend
    elbv2 = elbv2_backends[owner.account_id][owner.region_name]
    for arn in service.network_load_balancer_arns:
        balancer: FakeLoadBalancer | None = elbv2.load_balancers.get(arn)
        if balancer is not None:
            return balancer
    return None


def _elbv2_of(balancer: FakeLoadBalancer) -> Any:
    account, region = _account_and_region(balancer.arn)
    return elbv2_backends[account][region]


def _ec2_of(balancer: FakeLoadBalancer) -> EC2Backend:
    account, region = _account_and_region(balancer.arn)
    backend: EC2Backend = ec2_backends[account][region]
    return backend


def _account_and_region(arn: str) -> tuple[str, str]:
    parts = arn.split(":")
    return parts[4], parts[3]


def _listener_group(balancer: FakeLoadBalancer, port: int) -> FakeTargetGroup | None:
    elbv2 = _elbv2_of(balancer)
    for listener in balancer.listeners.values():
        if int(listener.port) != port:
            continue
        for action in listener.default_actions:
            arn = action.data.get("TargetGroupArn") or action.data.get("target_group_arn")
            if arn and arn in elbv2.target_groups:
                group: FakeTargetGroup = elbv2.target_groups[arn]
                return group
    return None


def _target_states(group: FakeTargetGroup, provider: EC2Backend) -> dict[str, str]:
    return {
        target_id: group.health_for(target, provider).status
        for target_id, target in list(group.targets.items())
    }


def _zone_of(provider: EC2Backend, vpc_id: str, ip: str) -> str:
    """The zone ID of the VPC's subnet holding `ip` ("" when none does)."""
    address = ipaddress.IPv4Address(ip)
    for subnet in provider.describe_subnets(filters={"vpc-id": [vpc_id]}):
        if address in ipaddress.IPv4Network(subnet.cidr_block):
            return str(subnet.availability_zone_id)
    return ""


def _cross_zone(balancer: FakeLoadBalancer, group: FakeTargetGroup) -> bool:
    """The target group's own setting, else the load balancer's (AWS's precedence)."""
    own = str(group.attributes.get(CROSS_ZONE, "use_load_balancer_configuration"))
    if own in {"true", "false"}:
        return own == "true"
    return str(balancer.attrs.get(CROSS_ZONE, "false")) == "true"
