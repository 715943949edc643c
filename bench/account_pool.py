"""N converged PrivateLinks laid out over a pool of platform accounts, on the fake AWS with
AWS's real quotas (50 NLBs per account and region): where the placement puts them, and
what one sweep costs in AWS calls, per PrivateLink, per account and in total.

Project VPCs are placed by the console's own rule (`privatelink.placement`); each link's
NLB and endpoint service are made in its VPC's account through the gateway, as the
reconciler leaves them, which is much quicker than reconciling each one.
"""

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from unittest import mock

from django.conf import settings
from django.db import transaction

from bench import aws_layout, fake_aws
from console.models import ProjectVPC, Service
from privatelink import placement, queue, sweep
from privatelink.clouds.aws.gateway import Gateway, clients
from privatelink.models import PlatformAccount, PrivateLink
from tests.factories import ProjectFactory, ServiceFactory

CLOUD = "aws-eu-west-1"


@dataclass(frozen=True)
class PoolFigures:
    n: int
    accounts: int
    vpcs_per_account: list[int]
    links_per_account: list[int]
    load_balancer_quota: int
    sweep_calls: int  # a plain sweep
    sweep_calls_per_account: list[int]
    scan_calls: int  # a sweep that also scans for leaks
    scan_calls_per_account: list[int]
    sweep_mutating: int
    by_operation: dict[str, int]  # of the leak-scan sweep


def roles(count: int) -> list[str]:
    return [f"arn:aws:iam::{100000000001 + i:012d}:role/privatelink-platform" for i in range(count)]


def _lay_out(n: int, vpc_count: int) -> None:
    per_vpc = -(-n // vpc_count)
    made = 0
    for v in range(vpc_count):
        # The benchmark fills accounts, not a project's fair share: no project limit.
        project = ProjectFactory(name=f"pool-{v}", privatelink_limit=n)
        vpc = ProjectVPC.objects.create(project=project, cloud=CLOUD, cidr="10.0.0.0/16")
        account = placement.account_for(vpc)
        gateway = Gateway(vpc.region, role_arn=account.role_arn)
        if account.quotas_checked is None:
            placement.record_quotas(account, gateway.account_limits())
        subnets = aws_layout.lay_out_vpc(vpc, gateway)
        for i in range(min(per_vpc, n - made)):
            service = ServiceFactory(project=project, project_vpc=vpc, name=f"s-{i}", nodes=1)
            with transaction.atomic():  # the create action's own check, in its transaction
                placement.check_room_for_privatelink(vpc, 0)
            aws_layout.lay_out_link(service, gateway, subnets)
            made += 1


@contextmanager
def _counted_by_account() -> Iterator[dict[str, Counter[str]]]:
    """AWS operations of every client the gateway builds meanwhile, per account's role."""
    calls: dict[str, Counter[str]] = {}
    build = clients.client

    def counting_client(service_name: str, region: str, role_arn: str | None = None) -> Any:
        client = build(service_name, region, role_arn)
        count = calls.setdefault(role_arn or "own account", Counter())
        client.meta.events.register("before-call", lambda model, **_: count.update([model.name]))
        return client

    clients.client = counting_client  # type: ignore[assignment]
    try:
        yield calls
    finally:
        clients.client = build  # type: ignore[assignment]


def measure(n: int, account_count: int, vpc_count: int) -> PoolFigures:
    fake_aws.reset()
    PrivateLink.objects.all().delete()
    # The services earlier measurements placed in Project VPCs, which protect their VPC.
    Service.objects.filter(project_vpc__isnull=False).delete()
    ProjectVPC.objects.all().delete()
    PlatformAccount.objects.all().delete()
    pool = roles(account_count)
    configured = settings.AWS_PLATFORM_ACCOUNTS
    settings.AWS_PLATFORM_ACCOUNTS = {CLOUD: pool}
    try:
        with mock.patch.object(queue, "reconcile_service", return_value=True):
            _lay_out(n, vpc_count)
            with _counted_by_account() as calls:
                sweep.sweep(turn=1)
            with _counted_by_account() as scan_calls:
                sweep.sweep(turn=0)
    finally:
        settings.AWS_PLATFORM_ACCOUNTS = configured
    accounts = list(PlatformAccount.objects.filter(role_arn__in=pool))
    total: Counter[str] = Counter()
    for counter in calls.values():
        total.update(counter)
    scan_total: Counter[str] = Counter()
    for counter in scan_calls.values():
        scan_total.update(counter)
    return PoolFigures(
        n=n,
        accounts=len(accounts),
        vpcs_per_account=sorted(a.placements.count() for a in accounts),
        links_per_account=sorted(placement.load_balancers_in(a) for a in accounts),
        load_balancer_quota=min(a.load_balancer_quota for a in accounts),
        sweep_calls=sum(total.values()),
        sweep_calls_per_account=sorted(sum(calls.get(role, Counter()).values()) for role in pool),
        scan_calls=sum(scan_total.values()),
        scan_calls_per_account=sorted(
            sum(scan_calls.get(role, Counter()).values()) for role in pool
        ),
        sweep_mutating=sum(
            count
            for name, count in (total + scan_total).items()
            if not name.startswith(fake_aws.READ_PREFIXES)
        ),
        by_operation=dict(scan_total),
    )


def report(table: Any, n: int = 1000, account_count: int = 25, vpc_count: int = 25) -> None:
    """The figures as rows of the bench's table."""
    figures = measure(n, account_count, vpc_count)
    per_account = figures.sweep_calls_per_account
    scan_per_account = figures.scan_calls_per_account
    table.add(
        f"placement of N={n} PrivateLinks in {vpc_count} Project VPCs over "
        f"{account_count} accounts (quota {figures.load_balancer_quota} NLBs each): "
        "VPCs per account min-max, PrivateLinks per account min-max",
        f"{min(figures.vpcs_per_account)}-{max(figures.vpcs_per_account)}, "
        f"{min(figures.links_per_account)}-{max(figures.links_per_account)}",
        "every account within its quota",
        max(figures.links_per_account) <= figures.load_balancer_quota,
    )
    table.add(
        f"AWS calls of one sweep over {account_count} accounts, N={n}, plain / with the leak "
        "scan: total (per PrivateLink); per account min-mean-max",
        f"{figures.sweep_calls} ({figures.sweep_calls / n:.3f}) / {figures.scan_calls} "
        f"({figures.scan_calls / n:.3f}); {_spread(per_account)} / "
        f"{_spread(scan_per_account)}",
    )
    table.add(
        f"mutating AWS calls of those two sweeps over {account_count} accounts, N={n}",
        str(figures.sweep_mutating),
        "0",
        figures.sweep_mutating == 0,
    )
    calls = ", ".join(f"{k} {v}" for k, v in sorted(figures.by_operation.items()))
    table.add(f"leak-scan sweep calls by operation, N={n} over {account_count} accounts", calls)


def _spread(values: list[int]) -> str:
    return f"{min(values)}-{sum(values) / len(values):.1f}-{max(values)}"
