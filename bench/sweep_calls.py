"""AWS calls of one sweep over N converged PrivateLinks on the fake AWS.

The PrivateLinks are laid out as the reconciler leaves them, by bench/aws_layout.py.
"""

from dataclasses import dataclass

from bench import aws_layout, fake_aws
from console.models import ProjectVPC
from privatelink import sweep
from privatelink.clouds.aws.gateway import Gateway
from privatelink.models import PrivateLink
from tests.factories import ProjectFactory, ServiceFactory


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
    subnets = aws_layout.lay_out_vpc(vpc, gateway)
    for i in range(n):
        service = ServiceFactory(project=project, project_vpc=vpc, name=f"s-{i}", nodes=1)
        aws_layout.lay_out_link(service, gateway, subnets)


def measure(n: int) -> tuple[SweepFigures, SweepFigures]:
    """One sweep without the leak scan, then one with it (the rotation's two kinds)."""
    fake_aws.reset()
    # One account holds all N links, as if its NLB quota (AWS's 50 is adjustable) were N.
    fake_aws.post("/fakeaws/quotas", {"load_balancers_per_region": max(n, 50)})
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
