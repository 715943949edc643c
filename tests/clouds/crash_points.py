"""What the Azure and Google crash-point tests share: a plan that counts the cloud's calls
that change something and crashes once after the k-th, a run crashing after each of the
calls in turn, the next reconcile carrying out a step whose worker crashed, what a build
must have come to all the same, and the DNS records the fingerprint of the fakes holds."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

from console.models import Service
from privatelink import actions
from privatelink.models import PrivateLink, PrivateLinkConnection
from tests.clouds.platform_zone import record_sets, value_of
from tests.factories import ProjectFactory, ProjectVPCFactory, ServiceFactory
from tests.faults.injection import Crash
from tests.privatelink.engine import converge


@dataclass
class CrashPlan:
    """Counts the cloud's calls that change something, and crashes once after the k-th; a
    cloud's plan adds the gateway that reports its calls through `after`."""

    cloud: ClassVar[str]
    crash_after_call: int | None = None
    calls: list[str] = field(default_factory=list)
    crashed_at: str = ""

    def after(self, operation: str) -> None:
        self.calls.append(operation)
        if self.crash_after_call == len(self.calls):
            self.crash_after_call = None
            self.crashed_at = operation
            raise Crash(f"crash after {self.cloud} call {len(self.calls)}: {operation}")

    def gateway(self) -> Callable[..., object]:
        """The gateway class whose calls that change something report to `after`."""
        raise NotImplementedError


def crash_after_each_call[P: CrashPlan](
    reference: P, run: Callable[[int, P], None], what: str
) -> None:
    """`run(k, plan)` for each call the reference plan counted, with a plan that crashes
    right after the k-th: the crashes must have followed those very calls, in order."""
    crashed_after = []
    for k in range(1, len(reference.calls) + 1):
        plan = type(reference)(crash_after_call=k)
        run(k, plan)
        crashed_after.append(plan.crashed_at)
    points = ", ".join(crashed_after)
    print(f"\n{reference.cloud} {what}: {len(crashed_after)} crash points: {points}")
    assert crashed_after == reference.calls


def new_kafka(index: int, developer, cloud: str, make_link: Callable[[Service], object]) -> Service:
    """A Kafka service in a project and Project VPC of its own in `cloud`, its PrivateLink
    made by `make_link`, with Kafka over privatelink."""
    project = ProjectFactory(name=f"crash-{index}")
    developer.memberships.create(project=project, role="developer")
    vpc = ProjectVPCFactory(project=project, cloud=cloud, cidr="10.1.0.0/16")
    service = ServiceFactory(
        project=project, name="my-kafka", service_type="kafka", cloud=cloud, project_vpc=vpc
    )
    make_link(service)
    actions.set_component_access(service, {"kafka": True}, actor=developer)
    return service


def step(work: Callable[[object], object], gateway: object) -> None:
    """`work` with the plan's gateway; if its worker crashed, the next reconcile, without
    faults, carries it out."""
    try:
        work(gateway)
    except Crash:
        work(None)


def converged(service: Service, gateway: object) -> None:
    """The service converged with the plan's gateway, or by the next reconcile."""
    step(lambda g: converge(service, g), gateway)


def delete(service: Service, gateway: object) -> None:
    """The service's link marked for deletion and converged: nothing of it is left."""
    PrivateLink.objects.get(service=service).mark_deleting()
    converged(service, gateway)


def assert_active(service: Service, k: int) -> None:
    """The link and its one connection active and settled, as if no worker had crashed."""
    link = PrivateLink.objects.get(service=service)
    assert link.state == PrivateLink.State.ACTIVE, f"crash after call {k}"
    assert link.observed_generation == link.generation
    assert link.last_error == ""
    row = PrivateLinkConnection.objects.get(privatelink=link)
    assert row.state == PrivateLinkConnection.State.ACTIVE, f"crash after call {k}"


def address_records(fake_aws) -> list[tuple[str, str]]:
    """The kind and value of every A and CNAME record, in no zone's order."""
    return sorted(
        (record["Type"], value_of(record)) for record in record_sets(fake_aws, ("A", "CNAME"))
    )
