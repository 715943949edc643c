"""This deployment's resources anywhere in the platform subscription, for the leak scan
(resources whose row is gone), and their deletion."""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from azure.core.polling import LROPoller

from privatelink.clouds.azure.calls import NO_POLLING, AzureCalls, properties
from privatelink.clouds.azure.tags import Tagged, is_ours

# Listed and deleted in this order: a service holds its load balancer's frontend, a load
# balancer its subnet's addresses.
PRIVATE_LINK_SERVICES = "privateLinkServices"
LOAD_BALANCERS = "loadBalancers"
VIRTUAL_NETWORKS = "virtualNetworks"
KINDS = (PRIVATE_LINK_SERVICES, LOAD_BALANCERS, VIRTUAL_NETWORKS)


@dataclass(frozen=True)
class AzureResource(Tagged):
    id: str
    kind: str  # one of KINDS
    name: str
    resource_group: str
    provisioning_state: str


def _resource(kind: str, raw: dict[str, Any]) -> AzureResource:
    resource_id = str(raw.get("id", ""))
    parts = resource_id.split("/")
    return AzureResource(
        id=resource_id,
        kind=kind,
        name=str(raw.get("name", "")),
        resource_group=parts[4] if len(parts) > 4 else "",
        provisioning_state=str(properties(raw).get("provisioningState", "")),
        tags=dict(raw.get("tags") or {}),
    )


class InventoryOperations(AzureCalls):
    def _listing(self, kind: str) -> Iterable[Any]:
        network = self._network
        if kind == PRIVATE_LINK_SERVICES:
            return network.private_link_services.list_by_subscription()
        if kind == LOAD_BALANCERS:
            return network.load_balancers.list_all()
        return network.virtual_networks.list_all()

    def our_resources(self, kinds: Iterable[str] = KINDS) -> list[AzureResource]:
        """This deployment's resources (by tags) of `kinds` across the subscription, services
        first: one listing per kind, filtered here."""
        found: list[AzureResource] = []
        for kind in kinds:
            raw = self._list(f"list_{kind}", partial(self._listing, kind))
            found += [_resource(kind, item) for item in raw if is_ours(item.get("tags"))]
        return found

    def delete_resource(self, resource: AzureResource) -> None:
        """Delete one of ours, in its own resource group; one already gone is deleted."""
        network = self._network
        group, name = resource.resource_group, resource.name

        def begin() -> LROPoller[None]:
            if resource.kind == PRIVATE_LINK_SERVICES:
                return network.private_link_services.begin_delete(group, name, **NO_POLLING)
            if resource.kind == LOAD_BALANCERS:
                return network.load_balancers.begin_delete(group, name, **NO_POLLING)
            return network.virtual_networks.begin_delete(group, name, **NO_POLLING)

        def read() -> Any:
            if resource.kind == PRIVATE_LINK_SERVICES:
                return network.private_link_services.get(group, name)
            if resource.kind == LOAD_BALANCERS:
                return network.load_balancers.get(group, name)
            return network.virtual_networks.get(group, name)

        self._delete(f"delete_{resource.kind}", begin, read)
