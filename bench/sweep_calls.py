"""AWS calls of one sweep over N converged PrivateLinks on the fake AWS.

The PrivateLinks are laid out as the reconciler leaves them (a tagged NLB and endpoint
service allowing the principal, no listeners), through the gateway's own operations,
which is much quicker than reconciling each one.
"""

from dataclasses import dataclass

from bench import fake_aws
from console.models import ProjectVPC
from privatelink import sweep
from privatelink.engine import naming
from privatelink.gateway import Gateway
from privatelink.models import PrivateLink
from tests.factories import ProjectFactory, ServiceFactory

PRINCIPAL = "arn:aws:iam::111122223333:role/app"


@dataclass(frozen=True)
class SweepFigures:
    n: int
    calls: int
    reads: int
    mutating: int
    drifted: int
    queued: int
    by_operation: dict[str, int]


def _lay_out(n: int) -> None:
    gateway = Gateway("eu-west-1")
    project = ProjectFactory(name=f"sweep-{n}")
    vpc = ProjectVPC.objects.create(project=project, cloud="aws-eu-west-1", cidr="10.0.0.0/16")
    aws_vpc = gateway.create_vpc("10.0.0.0/16", naming.project_vpc_owner(vpc.pk))
    zones = gateway.availability_zones()[:3]
    subnets = [
        gateway.create_subnet(aws_vpc, f"10.0.{i}.0/24", zone, naming.project_vpc_owner(vpc.pk))
        for i, zone in enumerate(zones)
    ]
    vpc.aws_vpc_id = aws_vpc
    vpc.subnets = [
        {"subnet_id": s, "availability_zone": z, "cidr": f"10.0.{i}.0/24"}
        for i, (s, z) in enumerate(zip(subnets, zones, strict=True))
    ]
    vpc.state = ProjectVPC.State.ACTIVE
    vpc.save()
    for i in range(n):
        service = ServiceFactory(project=project, project_vpc=vpc, name=f"s-{i}", nodes=1)
        link = PrivateLink.objects.create(
            service=service, principals=[PRINCIPAL], generation=1, observed_generation=1
        )
        owner = naming.owner(link.pk)
        balancer = gateway.create_load_balancer(naming.load_balancer_name(link.pk), subnets, owner)
        endpoint = gateway.create_endpoint_service(
            balancer.arn, owner, naming.client_token(link.pk)
        )
        gateway.modify_principals(endpoint.service_id, add={PRINCIPAL}, remove=set())
        PrivateLink.objects.filter(pk=link.pk).update(
            state=PrivateLink.State.ACTIVE,
            nlb_arn=balancer.arn,
            aws_service_id=endpoint.service_id,
            aws_service_name=endpoint.service_name,
            endpoint_service_state=endpoint.state,
        )


def measure(n: int) -> tuple[SweepFigures, SweepFigures]:
    """One sweep without the leak scan, then one with it (the rotation's two kinds)."""
    fake_aws.reset()
    PrivateLink.objects.all().delete()
    _lay_out(n)
    # Turn 0 is a leak-scan turn (sweep.leak_scan_due); turn 1 is not.
    return _one_sweep(n, turn=1), _one_sweep(n, turn=0)


def _one_sweep(n: int, turn: int) -> SweepFigures:
    with fake_aws.counted() as count:
        report = sweep.sweep(turn=turn)
    return SweepFigures(
        n=n,
        calls=count.total,
        reads=count.reads,
        mutating=count.mutating,
        drifted=len(report.drifted),
        queued=len(report.queued),
        by_operation=dict(count.calls),
    )
