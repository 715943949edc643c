"""The state one reconcile run carries between its steps: the row, the driver, what to report."""

from dataclasses import dataclass
from typing import Any

from console import audit_log
from privatelink.clouds.driver import CloudDriver
from privatelink.engine import naming
from privatelink.models import PrivateLink


@dataclass
class Run:
    privatelink: PrivateLink
    driver: CloudDriver
    # Seconds after which to run again because the cloud is still in transition; None: settled.
    requeue_after: float | None = None
    # The id of the published service when this very run created it: it allows no one and
    # has no endpoint connection yet (no one could know its name), so neither is asked.
    published_now: str | None = None
    # The front (its id) when this very run created it or saw it come up from provisioning:
    # no earlier run published it or set up its ports, so neither is looked for on it.
    new_front: str | None = None
    # Whether this run set up the front's ports already: a second pass (after connections
    # changed) looks at what the first one made.
    ports_synced: bool = False

    @property
    def owner(self) -> str:
        return naming.owner(self.privatelink.pk)

    def wait(self, seconds: float) -> None:
        """Ask to be run again in `seconds` instead of sleeping in the worker."""
        if self.requeue_after is None or seconds < self.requeue_after:
            self.requeue_after = seconds

    def event(self, action: str, **after: Any) -> None:
        """A system event on the service's Activity page (actor: system)."""
        service = self.privatelink.service
        audit_log.record(
            f"privatelink.{action}", project=service.project, service=service, after=after or None
        )
