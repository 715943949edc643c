"""This deployment's resources anywhere in the platform project, for the leak scan
(resources whose row is gone), and their deletion. A resource is ours by the marks in its
description (`labels.tags_of`); one without them is never listed."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from privatelink.clouds.google.calls import GoogleCalls, name_of, path_of
from privatelink.clouds.google.labels import Tagged, is_ours, tags_of

# Listed and deleted in this order: an attachment holds its forwarding rule and NAT subnet,
# a rule its backend service and subnet, a backend service its endpoint group and health
# check, a subnet its network.
SERVICE_ATTACHMENTS = "serviceAttachments"
FORWARDING_RULES = "forwardingRules"
BACKEND_SERVICES = "backendServices"
ENDPOINT_GROUPS = "networkEndpointGroups"
HEALTH_CHECKS = "healthChecks"
SUBNETWORKS = "subnetworks"
NETWORKS = "networks"
KINDS = (
    SERVICE_ATTACHMENTS,
    FORWARDING_RULES,
    BACKEND_SERVICES,
    ENDPOINT_GROUPS,
    HEALTH_CHECKS,
    SUBNETWORKS,
    NETWORKS,
)


@dataclass(frozen=True)
class GoogleResource(Tagged):
    self_link: str
    kind: str  # one of KINDS
    name: str
    region: str  # "" for a network


def _resource(kind: str, raw: Any) -> GoogleResource:
    region = name_of(raw.region) if kind != NETWORKS and raw.region else ""
    return GoogleResource(raw.self_link, kind, raw.name, region, tags=tags_of(raw.description))


class InventoryOperations(GoogleCalls):
    def _listing(self, kind: str) -> Callable[[], Iterable[Any]]:
        compute, project, region = self._compute, self.project, self.region
        if kind == NETWORKS:
            return lambda: compute.networks.list(project=project)
        if kind == BACKEND_SERVICES:
            return lambda: compute.backend_services.list(
                project=project, **self._reads, region=region
            )
        if kind == HEALTH_CHECKS:
            return lambda: compute.health_checks.list(project=project, **self._reads, region=region)
        if kind == ENDPOINT_GROUPS:
            return lambda: compute.endpoint_groups.list(
                project=project, **self._reads, region=region
            )
        # Across the project's regions: a leak may sit in another catalog cloud's region.
        clients: dict[str, Any] = {
            SERVICE_ATTACHMENTS: compute.service_attachments,
            FORWARDING_RULES: compute.forwarding_rules,
            SUBNETWORKS: compute.subnetworks,
        }
        field = {
            SERVICE_ATTACHMENTS: "service_attachments",
            FORWARDING_RULES: "forwarding_rules",
            SUBNETWORKS: "subnetworks",
        }[kind]
        return lambda: (
            item
            for _, scoped in clients[kind].aggregated_list(project=project)
            for item in getattr(scoped, field)
        )

    def our_resources(self, kinds: Iterable[str] = KINDS) -> list[GoogleResource]:
        """This deployment's resources (by their marks) of `kinds`, attachments first: one
        listing per kind, filtered here."""
        found: list[GoogleResource] = []
        for kind in kinds:
            raw = self._list(f"list_{kind}", self._listing(kind))
            found += [_resource(kind, item) for item in raw if is_ours(tags_of(item.description))]
        return found

    def delete_resource(self, resource: GoogleResource) -> None:
        """Delete one of ours, in its own region; one already gone is deleted."""
        compute, project = self._compute, self.project
        name, region = resource.name, resource.region

        def start() -> Any:
            if resource.kind == NETWORKS:
                return compute.networks.delete(project=project, **self._writes, network=name)
            if resource.kind == SERVICE_ATTACHMENTS:
                return compute.service_attachments.delete(
                    project=project, **self._writes, region=region, service_attachment=name
                )
            if resource.kind == FORWARDING_RULES:
                return compute.forwarding_rules.delete(
                    project=project, **self._writes, region=region, forwarding_rule=name
                )
            if resource.kind == BACKEND_SERVICES:
                return compute.backend_services.delete(
                    project=project, **self._writes, region=region, backend_service=name
                )
            if resource.kind == ENDPOINT_GROUPS:
                return compute.endpoint_groups.delete(
                    project=project, **self._writes, region=region, network_endpoint_group=name
                )
            if resource.kind == HEALTH_CHECKS:
                return compute.health_checks.delete(
                    project=project, **self._writes, region=region, health_check=name
                )
            return compute.subnetworks.delete(
                project=project, **self._writes, region=region, subnetwork=name
            )

        self._delete(f"delete_{resource.kind}", start, path_of(resource.self_link))
