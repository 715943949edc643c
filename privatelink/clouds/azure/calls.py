"""The calls of the platform subscription: every ARM request goes through here, so that its
errors are classified, the caller's lease is kept, and no long-running operation holds a
worker thread: a PUT or DELETE is sent without the SDK's polling, and the resource read
once after it. Still Updating or Deleting, the run ends with InProgress and is requeued; a
later run reads the resource again (its provisioningState says whether ARM is done), and
sends no second PUT or DELETE over an operation still running."""

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from azure.core.exceptions import AzureError
from azure.core.polling import LROPoller
from azure.mgmt.network import NetworkManagementClient
from django.conf import settings

from privatelink.clouds.azure import clients
from privatelink.clouds.azure.errors import Retryable, Terminal, classify
from privatelink.clouds.errors import InProgress, unless_gone

# ARM's JSON of one resource (the SDK's models are mappings of the same shape).
type Json = dict[str, Any]
# A resource's provisioningState while ARM carries out a PUT or DELETE of it ("Updating"
# for both create and update on Microsoft.Network; the others on some resource kinds).
RUNNING = frozenset({"Updating", "Creating", "Deleting", "Accepted", "Provisioning"})
# Its last operation ended without success.
FAILED = frozenset({"Failed", "Canceled"})
# ARM's refusals of a write while another operation runs on the resource or one it uses.
BUSY_CODES = frozenset({"AnotherOperationInProgress", "PutSubnetOperationInProgress"})
# Passed to every begin_* call: the SDK sends the request and polls nothing (no thread of
# its own polls in the background); the gateway reads the resource instead.
NO_POLLING: dict[str, Any] = {"polling": False}


class AzureCalls:
    """The platform subscription's resource group, and the one way to call ARM."""

    def __init__(self, location: str | None = None) -> None:
        """`location`: the Azure region to create in (the catalog cloud's); by default
        AZURE_LOCATION."""
        target = clients.target()
        self.target = replace(target, location=location) if location else target
        # Called before every ARM call: a reconcile run keeps its lease alive through it.
        self.before_call: Callable[[], None] | None = None

    @property
    def _network(self) -> NetworkManagementClient:
        return clients.network_client()

    @property
    def group(self) -> str:
        return self.target.resource_group

    @property
    def location(self) -> str:
        return self.target.location

    def resource_id(self, kind: str, name: str) -> str:
        """The id of a top-level Microsoft.Network resource of the resource group."""
        return (
            f"/subscriptions/{self.target.subscription_id}/resourceGroups/{self.group}"
            f"/providers/Microsoft.Network/{kind}/{name}"
        )

    def _call[R](self, operation: str, work: Callable[[], R]) -> R:
        """One ARM request; ARM's errors come out as Gone, Retryable or Terminal."""
        self._before()
        try:
            return work()
        except AzureError as exc:
            raise classify(exc, operation) from exc

    def _read(self, operation: str, work: Callable[[], Any]) -> Json | None:
        """A resource's JSON, or None if it is not there."""
        found = unless_gone(lambda: self._call(operation, work))
        return None if found is None else dict(found.as_dict())

    def _list(self, operation: str, pages: Callable[[], Iterable[Any]]) -> list[Json]:
        """Every item of a listing, page by page (each page is a request that may fail)."""
        self._before()
        try:
            return [dict(item.as_dict()) for item in pages()]
        except AzureError as exc:
            raise classify(exc, operation) from exc

    def _put(
        self, operation: str, start: Callable[[], LROPoller[Any]], read: Callable[[], Any]
    ) -> Json:
        """A create or update, never waited for in this thread: the resource, read right
        after Azure took the PUT, once its operation is over; InProgress while it runs (a
        later run reads the resource and finds it so). `start` is sent without polling."""
        self._send(operation, start)
        found = self._read(operation, read)
        if found is None:
            # Taken, yet not there: deleted meanwhile; the next run makes it again.
            raise Retryable("NotFoundOnceCreated", "The resource went once made.", operation)
        return self._settled(operation, found)

    def _delete(
        self, operation: str, start: Callable[[], LROPoller[Any]], read: Callable[[], Any]
    ) -> None:
        """A delete, never waited for in this thread: done once the resource is gone;
        InProgress while a delete (or another change) of it runs, and then no second
        DELETE is sent. `start` is sent without polling."""
        found = self._read(operation, read)
        if found is None:
            return
        if is_running(found):
            raise self._in_progress(operation, found)
        unless_gone(lambda: self._send(operation, start))
        # One look: a resource that goes at once (a subnet, the fake) is done in this run.
        after = self._read(operation, read)
        if after is not None:
            raise self._in_progress(operation, after)

    def _send(self, operation: str, start: Callable[[], LROPoller[Any]]) -> None:
        """Send a PUT or DELETE. ARM's refusal because another operation runs on the
        resource (or one it depends on) is InProgress: nothing failed, look again later."""
        try:
            self._call(operation, start)
        except Retryable as exc:
            if exc.code not in BUSY_CODES:
                raise
            raise InProgress(
                exc.code,
                exc.message,
                operation,
                retry_after=exc.retry_after or settings.AZURE_POLLING_INTERVAL,
            ) from exc

    def _settled(self, operation: str, found: Json) -> Json:
        """`found`, once no operation runs on it: InProgress while one does; a resource
        whose last operation failed is refused as Azure failed it."""
        state = provisioning_state(found)
        if state in RUNNING:
            raise self._in_progress(operation, found)
        if state in FAILED:
            raise Terminal(
                "ProvisioningFailed",
                f"Azure reports the last operation on {found.get('id')} as {state}.",
                operation,
            )
        return found

    def _idle(self, operation: str, found: Json) -> Json:
        """`found`, unless an operation still runs on it (then InProgress): what a change
        reads first, so that it never sends a PUT over a running one."""
        if is_running(found):
            raise self._in_progress(operation, found)
        return found

    def _in_progress(self, operation: str, found: Json) -> InProgress:
        return InProgress(
            "OperationInProgress",
            f"Azure is still carrying out an operation on {found.get('id')} "
            f"({provisioning_state(found)}).",
            operation,
            retry_after=settings.AZURE_POLLING_INTERVAL,
        )

    def _before(self) -> None:
        if self.before_call is not None:
            self.before_call()


def provisioning_state(resource: Json) -> str:
    return str(properties(resource).get("provisioningState") or "")


def is_running(resource: Json) -> bool:
    """Whether an operation of Azure still runs on the resource (its PUT or DELETE)."""
    return provisioning_state(resource) in RUNNING


def properties(resource: Json) -> Json:
    value: Json = resource.get("properties") or {}
    return value


def reference(item_id: str) -> Json:
    return {"id": item_id}
