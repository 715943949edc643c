"""The calls of the platform subscription: every ARM request goes through here, so that its
errors are classified, the caller's lease is kept, and no long-running operation holds a
worker thread for long."""

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from azure.core.exceptions import AzureError
from azure.core.polling import LROPoller
from azure.mgmt.network import NetworkManagementClient
from django.conf import settings

from privatelink.clouds.azure import clients
from privatelink.clouds.azure.errors import Retryable, classify
from privatelink.clouds.errors import unless_gone

# ARM's JSON of one resource (the SDK's models are mappings of the same shape).
type Json = dict[str, Any]


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

    def _run(self, operation: str, start: Callable[[], LROPoller[Any]]) -> Any:
        """Start a long-running operation and wait for its end, at most
        AZURE_OPERATION_WAIT_SECONDS: past that it goes on in Azure, and the caller is told
        to come back (a retry finds the resource by its name)."""
        poller = self._call(operation, start)
        try:
            poller.wait(settings.AZURE_OPERATION_WAIT_SECONDS)
            if not poller.done():
                raise Retryable(
                    "OperationInProgress",
                    "Azure is still carrying the operation out.",
                    operation,
                    retry_after=settings.AZURE_POLLING_INTERVAL,
                )
            return poller.result()
        except AzureError as exc:
            raise classify(exc, operation) from exc

    def _put(self, operation: str, start: Callable[[], LROPoller[Any]]) -> Json:
        """A create or update; the resource as Azure holds it once the operation is over."""
        return dict(self._run(operation, start).as_dict())

    def _delete(self, operation: str, start: Callable[[], LROPoller[Any]]) -> None:
        """A delete; a resource already gone is as good as deleted."""
        unless_gone(lambda: self._run(operation, start))

    def _before(self) -> None:
        if self.before_call is not None:
            self.before_call()


def properties(resource: Json) -> Json:
    value: Json = resource.get("properties") or {}
    return value


def reference(item_id: str) -> Json:
    return {"id": item_id}
