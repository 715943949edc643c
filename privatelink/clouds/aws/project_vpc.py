"""Building a Project VPC in the platform account: the VPC and one subnet in each of 3 zones."""

from django.core.cache import cache

from console import audit_log
from console.models import ProjectVPC
from console.zones import ZONE_COUNT, subnet_cidrs
from privatelink.clouds.aws.gateway import Gateway
from privatelink.engine import naming

# A check in AWS (3 calls) vouches for the VPC this long to the NLB creations of its other
# links: a burst of creations in one VPC checks it once, not once per link. Long enough to
# cover a burst's first seconds, short enough that a VPC lost in AWS is seen again soon; an
# NLB created meanwhile in a vanished subnet fails, and its retry checks afresh.
CHECK_VOUCHES_SECONDS = 10


def is_built(vpc: ProjectVPC) -> bool:
    return bool(
        vpc.aws_vpc_id
        and len(vpc.subnets) >= ZONE_COUNT
        and all(s.get("subnet_id") and s.get("availability_zone_id") for s in vpc.subnets)
    )


def _checked_key(vpc: ProjectVPC) -> str:
    return f"project-vpc-checked:{vpc.pk}"


def _as_checked(vpc: ProjectVPC) -> tuple[str, list[str]]:
    return vpc.aws_vpc_id, [s["subnet_id"] for s in vpc.subnets]


def checked_for_new_load_balancer(vpc: ProjectVPC, gateway: Gateway) -> ProjectVPC:
    """The VPC as checked in AWS before an NLB is created in it: by this call, or by another
    run within CHECK_VOUCHES_SECONDS that found what the row still records."""
    if is_built(vpc) and cache.get(_checked_key(vpc)) == _as_checked(vpc):
        return vpc
    return ensure_project_vpc(vpc, gateway)


def ensure_project_vpc(vpc: ProjectVPC, gateway: Gateway) -> ProjectVPC:
    """Find or create the VPC (by its ownership tag) and its subnets; record them as active."""
    owner = naming.project_vpc_owner(vpc.pk)
    aws_vpc_id = gateway.find_vpc(owner) or gateway.create_vpc(vpc.cidr, owner)
    if vpc.aws_vpc_id != aws_vpc_id:
        vpc.aws_vpc_id = aws_vpc_id
        vpc.save(update_fields=["aws_vpc_id", "updated"])
    existing = {s["availability_zone"]: s for s in gateway.subnets(aws_vpc_id)}
    zones = gateway.availability_zones()[:ZONE_COUNT]
    taken = {s["cidr"] for s in existing.values()}
    free = [c for c in subnet_cidrs(vpc.cidr) if c not in taken]
    for zone in zones:
        if zone not in existing:
            existing[zone] = gateway.create_subnet(aws_vpc_id, free.pop(0), zone, owner)
    subnets = [existing[zone] for zone in zones]
    became_active = vpc.state != ProjectVPC.State.ACTIVE or not is_built(vpc)
    if became_active or (vpc.subnets, vpc.last_error) != (subnets, ""):
        # Only a change is saved: a save replaces the change token of every service in the
        # VPC (console.changes), and every NLB creation checks its VPC here.
        vpc.subnets = subnets
        vpc.state = ProjectVPC.State.ACTIVE
        vpc.last_error = ""
        vpc.save(update_fields=["subnets", "state", "last_error", "updated"])
    if became_active:
        audit_log.record(
            "project_vpc.active",
            project=vpc.project,
            after={"aws_vpc_id": aws_vpc_id, "subnets": [s["subnet_id"] for s in subnets]},
        )
    cache.set(_checked_key(vpc), _as_checked(vpc), CHECK_VOUCHES_SECONDS)
    return vpc


def remove_project_vpc(vpc: ProjectVPC, gateway: Gateway) -> None:
    """Delete the VPC's subnets and the VPC from AWS (found by the ownership tag), then the row.

    Only ever asked for a VPC without services, so nothing of ours still sits in it.
    """
    cache.delete(_checked_key(vpc))
    aws_vpc_id = gateway.find_vpc(naming.project_vpc_owner(vpc.pk))
    if aws_vpc_id:
        for subnet in gateway.subnets(aws_vpc_id):
            gateway.delete_subnet(subnet["subnet_id"])
        gateway.delete_vpc(aws_vpc_id)
    audit_log.record(
        "project_vpc.deleted",
        project=vpc.project,
        after={"cloud": vpc.cloud, "cidr": vpc.cidr, "aws_vpc_id": aws_vpc_id or ""},
    )
    vpc.delete()
