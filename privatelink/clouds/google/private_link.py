"""The service attachment customers connect to (publishing the internal forwarding rule,
translating connections to addresses of its own PSC NAT subnet), who may connect
(`consumerAcceptLists`, by project), and the endpoints customers connected.

Every connection waits for the console's decision (`ACCEPT_MANUAL`); `reconcileConnections`
is on, so a project taken off the accept list has its accepted endpoints back to pending.
An accept-list change reaches `connectedEndpoints` once Google has reviewed the endpoints:
a later read shows it, not the update's own answer.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from google.cloud import compute_v1

from privatelink.clouds.google.calls import GoogleCalls
from privatelink.clouds.google.errors import Gone
from privatelink.clouds.google.labels import Tagged, ownership_description, tags_of
from privatelink.clouds.google.ownership import claim

ACCEPT_MANUAL = "ACCEPT_MANUAL"
PENDING = "PENDING"
ACCEPTED = "ACCEPTED"
REJECTED = "REJECTED"
CLOSED = "CLOSED"


@dataclass(frozen=True)
class GoogleEndpoint:
    """A customer's PSC endpoint (a forwarding rule in the customer's project) connected to
    the attachment."""

    endpoint: str  # the consumer forwarding rule's link
    psc_connection_id: str
    status: str  # PENDING, ACCEPTED, REJECTED or CLOSED (Google's words)
    consumer_network: str
    nat_ips: tuple[str, ...]

    @property
    def project(self) -> str:
        """The customer's project: the one its forwarding rule lives in."""
        parts = self.endpoint.split("/")
        index = parts.index("projects") if "projects" in parts else -1
        return parts[index + 1] if 0 <= index < len(parts) - 1 else ""


@dataclass(frozen=True)
class GoogleServiceAttachment(Tagged):
    name: str
    self_link: str
    target_service: str
    nat_subnets: tuple[str, ...]
    accepted_projects: frozenset[str]
    rejected_projects: frozenset[str]
    fingerprint: str
    endpoints: tuple[GoogleEndpoint, ...]

    @property
    def path(self) -> str:
        """`projects/<p>/regions/<r>/serviceAttachments/<name>`: what customers give their
        endpoint as its target."""
        index = self.self_link.find("projects/")
        return self.self_link[index:] if index >= 0 else self.self_link


def _endpoint(raw: compute_v1.ServiceAttachmentConnectedEndpoint) -> GoogleEndpoint:
    return GoogleEndpoint(
        endpoint=raw.endpoint,
        psc_connection_id=str(raw.psc_connection_id),
        status=raw.status,
        consumer_network=raw.consumer_network,
        nat_ips=tuple(raw.nat_ips),
    )


def _attachment(raw: compute_v1.ServiceAttachment) -> GoogleServiceAttachment:
    return GoogleServiceAttachment(
        name=raw.name,
        self_link=raw.self_link,
        target_service=raw.target_service,
        nat_subnets=tuple(raw.nat_subnets),
        accepted_projects=frozenset(a.project_id_or_num for a in raw.consumer_accept_lists),
        rejected_projects=frozenset(raw.consumer_reject_lists),
        fingerprint=raw.fingerprint,
        endpoints=tuple(_endpoint(e) for e in raw.connected_endpoints),
        tags=tags_of(raw.description),
    )


def _lists_body(
    fingerprint: str, accepted: Iterable[str], rejected: Iterable[str]
) -> dict[str, Any]:
    """A patch of both lists, each stated whole (empty too), over `fingerprint`."""
    return {
        "fingerprint": fingerprint,
        # connectionLimit 0: no limit per project; the NAT subnet's size bounds them all.
        "consumerAcceptLists": [
            {"projectIdOrNum": p, "connectionLimit": 0} for p in sorted(set(accepted))
        ],
        "consumerRejectLists": sorted(set(rejected)),
    }


class PrivateLinkOperations(GoogleCalls):
    def _get_attachment(self, name: str) -> compute_v1.ServiceAttachment | None:
        return self._read(
            "get_service_attachment",
            lambda: self._compute.service_attachments.get(
                project=self.project, **self._reads, region=self.region, service_attachment=name
            ),
        )

    def service_attachment(self, name: str) -> GoogleServiceAttachment | None:
        """The attachment with its lists and connected endpoints, as Google reads them now."""
        raw = self._get_attachment(name)
        return None if raw is None else _attachment(raw)

    def create_service_attachment(
        self,
        name: str,
        forwarding_rule_link: str,
        nat_subnet_link: str,
        projects: Iterable[str],
        owner: str,
    ) -> GoogleServiceAttachment:
        """The attachment publishing the internal rule, translating to the NAT subnet (its
        own: Google lets a NAT subnet serve one attachment), accepting `projects`; an
        earlier run's is reused as it is."""
        found = self.service_attachment(name)
        if found is not None:
            return claim(found, found.self_link, owner, "create_service_attachment")
        resource = compute_v1.ServiceAttachment(
            name=name,
            target_service=forwarding_rule_link,
            nat_subnets=[nat_subnet_link],
            connection_preference=ACCEPT_MANUAL,
            consumer_accept_lists=[
                compute_v1.ServiceAttachmentConsumerProjectLimit(
                    project_id_or_num=p, connection_limit=0
                )
                for p in sorted(set(projects))
            ],
            reconcile_connections=True,
            enable_proxy_protocol=False,
            description=ownership_description(owner),
        )
        return self._insert(
            "create_service_attachment",
            lambda: self._compute.service_attachments.insert(
                project=self.project,
                **self._writes,
                region=self.region,
                service_attachment_resource=resource,
            ),
            lambda: self.service_attachment(name),
        )

    def set_accepted_projects(self, name: str, projects: Iterable[str]) -> None:
        """Accept exactly `projects` (taking them off the reject list). Gone if the
        attachment is; Retryable if another writer changed it between the read and the
        patch (its fingerprint moved on): read again and redo."""
        found = self._require(name)
        accepted = set(projects)
        self._patch_lists(found, accepted, set(found.rejected_projects) - accepted)

    def reject_projects(self, name: str, projects: Iterable[str]) -> None:
        """Put `projects` on the reject list (their endpoints are rejected, accepted or not)
        and off the accept list."""
        found = self._require(name)
        refused = set(projects)
        self._patch_lists(
            found, set(found.accepted_projects) - refused, set(found.rejected_projects) | refused
        )

    def _patch_lists(
        self, found: GoogleServiceAttachment, accepted: set[str], rejected: set[str]
    ) -> None:
        # Not the SDK's patch: its proto JSON leaves an empty list out of the body, and
        # Google keeps a list a patch leaves out, so a list could never be emptied.
        body = _lists_body(found.fingerprint, accepted, rejected)
        self._run(
            "patch_service_attachment",
            lambda: self._merge_patch(found.path, body),
        )

    def _require(self, name: str) -> GoogleServiceAttachment:
        found = self.service_attachment(name)
        if found is None:
            raise Gone("notFound", f"Service attachment {name} is not there.", "patch")
        return found

    def connected_endpoints(self, name: str) -> list[GoogleEndpoint]:
        """The attachment's endpoints; none for an attachment that is gone."""
        found = self.service_attachment(name)
        return [] if found is None else list(found.endpoints)

    def delete_service_attachment(self, name: str) -> None:
        """Delete the attachment; its customers' endpoints are closed."""
        self._delete(
            "delete_service_attachment",
            lambda: self._compute.service_attachments.delete(
                project=self.project, **self._writes, region=self.region, service_attachment=name
            ),
        )
