"""What the Azure and Google crash-point tests share: a plan that counts the cloud's calls
that change something and crashes once after the k-th, the next reconcile carrying out a
step whose worker crashed, and the DNS records the fingerprint of the fakes holds."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

from console.models import Service
from privatelink.models import PrivateLink
from tests.clouds.platform_zone import record_sets, value_of
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


def address_records(fake_aws) -> list[tuple[str, str]]:
    """The kind and value of every A and CNAME record, in no zone's order."""
    return sorted(
        (record["Type"], value_of(record)) for record in record_sets(fake_aws, ("A", "CNAME"))
    )
