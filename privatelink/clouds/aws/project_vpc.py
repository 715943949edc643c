"""Building a Project VPC in the platform account: the VPC and one subnet in each of 3 zones."""

from django.core.cache import cache

from console import audit_log
from console.models import ProjectVPC
from console.zones import ZONE_COUNT, subnet_cidrs
from privatelink.clouds.aws.gateway import Gateway, Retryable, Terminal
from privatelink.engine import lease, naming

# A check in AWS (3 calls) vouches for the VPC this long to the NLB creations of its other
# links: a burst of creations in one VPC checks it once, not once per link. Long enough to
# cover a burst's first seconds, short enough that a VPC lost in AWS is seen again soon; an
# NLB created meanwhile in a vanished subnet fails, and its retry checks afresh.
CHECK_VOUCHES_SECONDS = 10
# What AWS (and moto) answers a subnet create whose range overlaps a subnet of the VPC.
SUBNET_CONFLICT = "InvalidSubnet.Conflict"


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
    aws_vpc_id = gateway.find_vpc(owner) or _create_vpc(vpc, gateway, owner)
    if vpc.aws_vpc_id != aws_vpc_id:
        vpc.aws_vpc_id = aws_vpc_id
        vpc.save(update_fields=["aws_vpc_id", "updated"])
    existing = {s["availability_zone"]: s for s in gateway.subnets(aws_vpc_id)}
    zones = gateway.availability_zones()[:ZONE_COUNT]
    taken = {s["cidr"] for s in existing.values()}
    free = [c for c in subnet_cidrs(vpc.cidr) if c not in taken]
    for zone in zones:
        if zone not in existing:
            existing[zone] = _create_subnet(gateway, aws_vpc_id, free.pop(0), zone, owner)
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


def _create_vpc(vpc: ProjectVPC, gateway: Gateway, owner: str) -> str:
    """The VPC made by one run alone: AWS takes no idempotency token for a VPC, so two runs
    that both found none (the VPC's reconcile and a link's build) would make one each."""
    with lease.held(f"project-vpc-create:{vpc.pk}") as held:
        if not held.claimed:
            raise Retryable(
                "VpcBeingCreated",
                f"Another run is creating the VPC of Project VPC {vpc.pk}; the next run uses it.",
                "create_vpc",
            )
        # The holder before this run may have made it since this run looked.
        return gateway.find_vpc(owner) or gateway.create_vpc(vpc.cidr, owner)


def _create_subnet(
    gateway: Gateway, aws_vpc_id: str, cidr: str, zone: str, owner: str
) -> dict[str, str]:
    """The VPC's subnet of `cidr` in `zone`, made now or by another run a moment ago.

    The VPC's own reconcile and a link's check before its NLB is created both make missing
    subnets, in the same order: the one that comes second finds the range taken by the
    subnet the other just made, and uses it.
    """
    try:
        return gateway.create_subnet(aws_vpc_id, cidr, zone, owner)
    except Terminal as exc:
        if exc.code != SUBNET_CONFLICT:
            raise
        refusal = exc
    in_the_way = [s for s in gateway.tagged_subnets(aws_vpc_id) if s.overlaps(cidr)]
    foreign = [s for s in in_the_way if not s.owned_by(owner)]
    if foreign:
        taken = ", ".join(f"{s.subnet_id} ({s.cidr})" for s in foreign)
        raise Terminal(
            "ForeignSubnet",
            f"The range {cidr} of the Project VPC's subnet in {zone} is taken in "
            f"{aws_vpc_id} by {taken}, which lacks this Project VPC's tags; it is left "
            "alone. Remove it, or free the range.",
            "create_subnet",
        ) from refusal
    for subnet in in_the_way:
        if (subnet.cidr, subnet.availability_zone) == (cidr, zone):
            return subnet.entry()
    # Ours, but made for another zone by a run that saw the VPC otherwise, or not yet shown
    # by AWS's reads (eventually consistent): the next run sees it and plans around it.
    raise Retryable(
        SUBNET_CONFLICT,
        f"The range {cidr} was taken in {aws_vpc_id} by a subnet another run is making; "
        "the next run uses it.",
        "create_subnet",
    ) from refusal


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
