"""Times through a real Celery worker on the fake AWS: create -> active, enable -> healthy,
and a burst of creations while every NLB takes a long time to provision.

The web side is played by the actions themselves (what a page or the API calls); the
reconciles go through Redis to one worker process, as in production.
"""

import json
import multiprocessing
import subprocess
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, connections

from bench import environment, fake_aws, probes, processes
from console.models import ProjectVPC, Service, User
from privatelink import actions, placement
from privatelink.engine import reconcile
from privatelink.engine.reconcile import BUSY_RETRY_SECONDS
from privatelink.models import Listener, PrivateLink
from tests.constants import CUSTOMER_ROLE
from tests.factories import MembershipFactory, ProjectFactory, ServiceFactory, UserFactory
from tests.processes import celery_worker, stop

# The production pool (console/settings.py): threads, 16 reconciles at a time.
POOL = "threads"
CONCURRENCY = 16
# The production web's processes (the Dockerfile's gunicorn --workers): requests that
# create at the same time.
WEB_WORKERS = 3


@dataclass(frozen=True)
class BurstFigures:
    count: int
    nlb_delay: float
    active_at_goal: int  # how many were active when the goal's time was up
    active: int  # how many were active at the end
    seconds: float  # until all were active, or until the time limit
    breakdown: "Breakdown | None" = None
    # How long the actions took to create the rows, in WEB_WORKERS processes: each link's NLB
    # is created only once its row is, so the last links start this much after the first.
    created_seconds: float = 0.0


@dataclass(frozen=True)
class Breakdown:
    """What the worker did during the burst, from bench/probes.py's log of every task run."""

    runs: int
    aws_calls_per_second: float
    queued_mean: float  # seconds from due (published + countdown) to start
    queued_max: float
    run_mean: float  # seconds a run took
    aws_share: float  # of the runs' time, spent waiting for AWS's (the fake's) answers
    aws_call_ms: float  # mean time of one AWS call
    busy_share: float  # of the worker's slots (concurrency x seconds) spent running tasks
    lease_refusals: int  # runs that found the service's lease taken, re-queued later
    # AWS calls made -> (runs, mean run ms, mean ms of it waiting for AWS): tells the kinds
    # of runs apart (an NLB re-check, the create, the run that completes the link)
    by_calls: dict[int, tuple[int, float, float]]
    # AWS operation -> seconds the worker waited for its answers in all
    slowest_operations: list[tuple[str, float]]

    @property
    def lease_wait_seconds(self) -> float:
        return self.lease_refusals * BUSY_RETRY_SECONDS


def _breakdown(started_at: float, seconds: float) -> Breakdown | None:
    if not probes.LOG.exists():
        return None
    runs = [
        run
        for run in map(json.loads, probes.LOG.read_text().splitlines())
        if run["start"] >= started_at and run["task"] == "privatelink.reconcile_service"
    ]
    if not runs:
        return None
    queued = [max(0.0, run["start"] - run["due"]) for run in runs if run.get("due")]
    aws_seconds = sum(run.get("aws_seconds", 0.0) for run in runs)
    return Breakdown(
        runs=len(runs),
        aws_calls_per_second=sum(run["aws"] for run in runs) / seconds,
        queued_mean=sum(queued) / len(queued) if queued else 0.0,
        queued_max=max(queued, default=0.0),
        run_mean=sum(run["end"] - run["start"] for run in runs) / len(runs),
        aws_share=aws_seconds / max(1e-9, sum(run["end"] - run["start"] for run in runs)),
        aws_call_ms=1000 * aws_seconds / max(1, sum(run["aws"] for run in runs)),
        busy_share=sum(run["end"] - run["start"] for run in runs) / (CONCURRENCY * seconds),
        lease_refusals=sum(run["busy"] for run in runs),
        by_calls=_by_calls(runs),
        slowest_operations=_slowest_operations(runs),
    )


def _slowest_operations(runs: list[dict[str, Any]]) -> list[tuple[str, float]]:
    total: dict[str, float] = defaultdict(float)
    for run in runs:
        for name, seconds in run.get("ops", {}).items():
            total[name] += seconds
    return sorted(total.items(), key=lambda item: -item[1])[:5]


def _by_calls(runs: list[dict[str, Any]]) -> dict[int, tuple[int, float, float]]:
    groups: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for run in runs:
        groups[run["aws"]].append(run)
    return {
        calls: (
            len(group),
            1000 * sum(r["end"] - r["start"] for r in group) / len(group),
            1000 * sum(r.get("aws_seconds", 0.0) for r in group) / len(group),
        )
        for calls, group in sorted(groups.items())
    }


def start_worker(
    name: str = "worker",
    extra_env: dict[str, str] | None = None,
    flush: bool = True,
    provider: str = "aws",
) -> subprocess.Popen[bytes]:
    """One worker in the production pool serving one cloud (the default queue and the
    provider's, as production runs it), its log in var/bench/<name>.log."""
    if flush:
        environment.flush_broker()
        probes.LOG.unlink(missing_ok=True)
    queues = f"{settings.CELERY_TASK_DEFAULT_QUEUE},{settings.CLOUD_QUEUES[provider]}"
    return processes.start(
        celery_worker(
            "--queues",
            queues,
            "--pool",
            POOL,
            "--concurrency",
            str(CONCURRENCY),
            "--hostname",
            f"{name}@%h",
            "--loglevel",
            "WARNING",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ),
        name,
        {**fake_aws.AWS_ENVIRONMENT, **(extra_env or {})},
    )


def _wait(done: Callable[[], bool], timeout: float) -> float:
    started = time.monotonic()
    while not done():
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"not done after {timeout:g} s")
        time.sleep(0.05)
    return time.monotonic() - started


def _services(prefix: str, count: int) -> tuple[list[Service], User]:
    project = ProjectFactory(name=prefix)
    user = UserFactory(email=f"{prefix}@bench.example.com")
    MembershipFactory(user=user, project=project, role="developer")
    services = [ServiceFactory(project=project, name=f"s-{i}", nodes=3) for i in range(count)]
    # The Project VPC is built once, before the burst, as it would already exist.
    vpc = services[0].project_vpc
    if vpc is not None:
        reconcile.reconcile_project_vpc(vpc.pk)
    return services, user


def create_and_enable() -> tuple[float, float]:
    """Seconds from the save to `active`, and from enabling Kafka to healthy listeners."""
    (service,), user = _services("timing", 1)
    link = actions.create_privatelink(service, [CUSTOMER_ROLE], actor=user).link
    to_active = _wait(
        lambda: PrivateLink.objects.filter(pk=link.pk, state=PrivateLink.State.ACTIVE).exists(),
        120,
    )
    actions.set_component_access(service, {"schema_registry": True}, actor=user)
    rows = Listener.objects.filter(privatelink=link, component="schema_registry")
    to_healthy = _wait(
        lambda: rows.exists() and not rows.exclude(health=Listener.Health.HEALTHY).exists(), 120
    )
    return to_active, to_healthy


def _create_each(service_ids: list[int], user_id: int) -> list[int]:
    """One web process's share: each service read as a page or the API reads it (with its
    project and Project VPC), its PrivateLink created in turn; the new links' ids."""
    user = User.objects.get(pk=user_id)
    services = Service.objects.select_related("project", "project_vpc").filter(pk__in=service_ids)
    try:
        return [
            actions.create_privatelink(s, [CUSTOMER_ROLE], actor=user).link.pk for s in services
        ]
    finally:
        connection.close()


def create_at_once(services: list[Service], user: User) -> list[int]:
    """Create a PrivateLink on each service as that many requests at once would: through
    the production web's processes (the Dockerfile's gunicorn --workers, forked from this
    one, each with its own database and broker connections); the new links' ids."""
    shares = [[s.pk for s in services[n::WEB_WORKERS]] for n in range(WEB_WORKERS)]
    # A forked process must not share this one's database connection.
    connections.close_all()
    with multiprocessing.get_context("fork").Pool(WEB_WORKERS) as pool:
        created = pool.starmap(_create_each, [(share, user.pk) for share in shares])
    return [pk for share in created for pk in share]


def burst(count: int, nlb_delay: float, goal: float, timeout: float) -> BurstFigures:
    """Create `count` PrivateLinks at once with NLBs that provision for `nlb_delay` s."""
    fake_aws.post("/fakeaws/delays", {"nlb": nlb_delay})
    services, user = _services("burst", count)
    # One account takes them all, as after AWS raised its NLB quota (50 is adjustable) and
    # the hourly refresh read the new figure.
    vpc = services[0].project_vpc
    assert vpc is not None, "a PrivateLink's service runs in a Project VPC"
    account = placement.account_for(vpc)
    quota = placement.load_balancers_in(account) + count
    fake_aws.post("/fakeaws/quotas", {"load_balancers_per_region": quota})
    placement.record_quotas(account, {"network-load-balancers": quota})
    # The project's own share too, as an admin would set it for a tenant this large.
    vpc.project.privatelink_limit = placement.privatelinks_of(vpc.project, vpc.cloud) + count
    vpc.project.save(update_fields=["privatelink_limit"])
    started = time.monotonic()
    started_at = time.time()
    links = create_at_once(services, user)
    created_seconds = time.monotonic() - started
    active = PrivateLink.objects.filter(pk__in=links, state=PrivateLink.State.ACTIVE)
    active_at_goal = None
    while time.monotonic() - started < timeout:
        done = active.count()
        if active_at_goal is None and time.monotonic() - started >= goal:
            active_at_goal = done
        if done == count:
            break
        time.sleep(0.5)
    seconds = time.monotonic() - started
    done = active.count()
    return BurstFigures(
        count=count,
        nlb_delay=nlb_delay,
        active_at_goal=done if active_at_goal is None else active_at_goal,
        active=done,
        seconds=seconds,
        breakdown=_breakdown(started_at, seconds),
        created_seconds=created_seconds,
    )


@dataclass(frozen=True)
class PoolBurstFigures:
    count: int
    accounts: int
    workers: int
    active: int
    seconds: float  # until all were active, or until the time limit


def burst_over_accounts(
    count: int, roles: list[str], workers: int, nlb_delay: float, timeout: float
) -> PoolBurstFigures:
    """Create `count` PrivateLinks at once, spread over one Project VPC per platform account
    of `roles`, with `workers` worker processes; NLBs provision for `nlb_delay` s."""
    cloud = "aws-eu-west-1"
    accounts = f"{cloud}=" + ",".join(roles)
    fake_aws.reset()
    fake_aws.post("/fakeaws/delays", {"nlb": nlb_delay})
    configured = settings.AWS_PLATFORM_ACCOUNTS
    settings.AWS_PLATFORM_ACCOUNTS = {cloud: roles}
    started_workers = [
        start_worker(f"pool-worker-{n}", {"AWS_PLATFORM_ACCOUNTS": accounts}, flush=n == 0)
        for n in range(workers)
    ]
    try:
        per_vpc = -(-count // len(roles))
        services: list[Service] = []
        user = UserFactory(email="pool-burst@bench.example.com")
        for v in range(len(roles)):
            # Each project's own share lifted, as an admin would set it for a tenant this large.
            project = ProjectFactory(name=f"pool-burst-{v}", privatelink_limit=per_vpc)
            MembershipFactory(user=user, project=project, role="developer")
            vpc = ProjectVPC.objects.create(project=project, cloud=cloud, cidr="10.0.0.0/16")
            # Built before the burst, as it would already exist, each in its own account.
            reconcile.reconcile_project_vpc(vpc.pk)
            for i in range(min(per_vpc, count - len(services))):
                services.append(
                    ServiceFactory(project=project, project_vpc=vpc, name=f"s-{i}", nodes=3)
                )
        started = time.monotonic()
        links = [actions.create_privatelink(s, [CUSTOMER_ROLE], actor=user).link for s in services]
        active = PrivateLink.objects.filter(
            pk__in=[link.pk for link in links], state=PrivateLink.State.ACTIVE
        )
        while time.monotonic() - started < timeout and active.count() < count:
            time.sleep(1)
        return PoolBurstFigures(
            count=count,
            accounts=len(roles),
            workers=workers,
            active=active.count(),
            seconds=time.monotonic() - started,
        )
    finally:
        settings.AWS_PLATFORM_ACCOUNTS = configured
        for worker in started_workers:
            stop(worker)
