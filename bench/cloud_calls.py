"""The sweep and the burst on the fake Azure and the fake Google: the same measurements as
on AWS (bench/sweep_calls.py, bench/worker_times.py), the calls counted by the fake itself
(every request of its cloud API, operation polls included)."""

import time
from dataclasses import dataclass

from django.conf import settings

from bench import fake_clouds
from bench.fake_clouds import FakeCloud
from console.models import ProjectVPC, Service
from privatelink import placement, sweep
from privatelink.azure_actions import create_azure_privatelink
from privatelink.clouds import registry
from privatelink.engine import reconcile
from privatelink.google_actions import create_google_privatelink
from privatelink.models import PrivateLink
from tests.factories import ProjectFactory, ServiceFactory
from tests.privatelink.engine import converge

# The subscription allowed on Azure links (Google's links accept no project at creation).
CUSTOMER_SUBSCRIPTION = "00000000-0000-0000-0000-000000000001"


@dataclass(frozen=True)
class CloudSweep:
    n: int
    plain: int  # requests of a sweep without the leak scan
    scan: int  # requests of a sweep with it
    drifted: int

    @property
    def per_link(self) -> float:
        """Over the rotation: one sweep in PRIVATELINK_LEAK_SCAN_SWEEPS scans for leaks."""
        every = settings.PRIVATELINK_LEAK_SCAN_SWEEPS
        return (self.scan + (every - 1) * self.plain) / every / self.n


@dataclass(frozen=True)
class CloudBurst:
    count: int
    active: int
    seconds: float
    requests: int

    @property
    def per_link(self) -> float:
        return self.requests / self.count


def _services(fake: FakeCloud, prefix: str, count: int) -> list[Service]:
    """`count` services in one Project VPC of the fake's cloud, the VPC built beforehand,
    and room for a PrivateLink on each in the cloud's quotas."""
    project = ProjectFactory(name=f"{prefix}-{fake.name}", privatelink_limit=count)
    vpc = ProjectVPC.objects.create(project=project, cloud=fake.cloud, cidr="10.0.0.0/16")
    services = [
        ServiceFactory(project=project, project_vpc=vpc, cloud=fake.cloud, name=f"s-{i}", nodes=1)
        for i in range(count)
    ]
    reconcile.reconcile_project_vpc(vpc.pk)
    _make_room(fake, vpc, count)
    return services


def _make_room(fake: FakeCloud, vpc: ProjectVPC, count: int) -> None:
    """The cloud's quotas raised by `count` links over those already placed, as an operator
    has them raised for a tenant this large, and read by the console as its sweep reads
    them (the create refuses a link the recorded quota cannot hold)."""
    account = placement.account_for(vpc)
    fake_clouds.make_room(fake, placement.load_balancers_in(account) + count)
    driver = registry.driver_for_cloud(fake.cloud, account.role_arn)
    placement.record_quotas(account, driver.account_limits())


def _create(fake: FakeCloud, service: Service) -> PrivateLink:
    if fake.name == "azure":
        return create_azure_privatelink(service, [CUSTOMER_SUBSCRIPTION], actor=None).link
    return create_google_privatelink(service, actor=None).link


def measure_sweep(fake: FakeCloud, n: int) -> CloudSweep:
    """N links reconciled to `active` (zero delays), then one sweep without the leak scan
    and one with it, counting the fake's requests; only this cloud's links exist."""
    fake_clouds.reset(fake)
    PrivateLink.objects.all().delete()
    for service in _services(fake, f"sweep-{n}", n):
        _create(fake, service)
        converge(service)
    before = fake_clouds.requests(fake)
    # Turn 1 is not a leak-scan turn (sweep.leak_scan_due); turn 0 is.
    plain = sweep.sweep(turn=1)
    after_plain = fake_clouds.requests(fake)
    scan = sweep.sweep(turn=0)
    after_scan = fake_clouds.requests(fake)
    return CloudSweep(
        n=n,
        plain=after_plain - before,
        scan=after_scan - after_plain,
        drifted=len(plain.drifted) + len(scan.drifted),
    )


def measure_burst(fake: FakeCloud, count: int, timeout: float) -> CloudBurst:
    """`count` links created at once through the running worker while every resource takes
    the fake's delays to provision; the fake's requests until all are active."""
    fake_clouds.reset(fake)
    services = _services(fake, "burst", count)
    fake_clouds.delay(fake, fake.delays)
    before = fake_clouds.requests(fake)
    started = time.monotonic()
    links = [_create(fake, service) for service in services]
    active = PrivateLink.objects.filter(
        pk__in=[link.pk for link in links], state=PrivateLink.State.ACTIVE
    )
    while time.monotonic() - started < timeout and active.count() < count:
        time.sleep(0.5)
    return CloudBurst(
        count=count,
        active=active.count(),
        seconds=time.monotonic() - started,
        requests=fake_clouds.requests(fake) - before,
    )
