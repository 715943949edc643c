"""The service attachment customers connect to (publishing the internal forwarding rule,
translating connections to addresses of its own PSC NAT subnet), who may connect
(`consumerAcceptLists`, one entry per endpoint), and the endpoints customers connected.

Every connection waits for the console's decision (`ACCEPT_MANUAL`). The console accepts
and refuses one endpoint at a time: each list names endpoints by their forwarding rule's
URL (`endpointUrl` entries; Google takes one kind of consumer, projects, networks or
endpoints, for both lists of an attachment), so accepting an endpoint accepts no other of
its project. `reconcileConnections` is on, so an endpoint taken off the accept list is back
to pending. A list change reaches `connectedEndpoints` once Google has reviewed the
endpoints: a later read shows it, not the update's own answer.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from google.cloud import compute_v1

from privatelink.clouds.google.calls import GoogleCalls, path_of
from privatelink.clouds.google.errors import Gone
from privatelink.clouds.google.labels import Tagged, ownership_description, tags_of
from privatelink.clouds.google.ownership import claim

ACCEPT_MANUAL = "ACCEPT_MANUAL"
ATTACHMENTS = "serviceAttachments"
PENDING = "PENDING"
ACCEPTED = "ACCEPTED"
REJECTED = "REJECTED"
CLOSED = "CLOSED"
# How Google writes a resource's full link (what `endpointUrl` entries hold).
COMPUTE_LINK = "https://www.googleapis.com/compute/v1/"
# An endpoint entry accepts the one endpoint it names.
ENDPOINT_LIMIT = 1


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
    def path(self) -> str:
        """The forwarding rule's path: what the lists name the endpoint by."""
        return path_of(self.endpoint)

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
    # The endpoints on each list, by their own entries (their paths).
    accepted_endpoints: frozenset[str]
    rejected_endpoints: frozenset[str]
    # Projects and networks on either list: entries the console no longer writes (an
    # attachment made before it accepted by endpoint lists projects until rewritten).
    wholesale: frozenset[str]
    fingerprint: str
    endpoints: tuple[GoogleEndpoint, ...]

    @property
    def path(self) -> str:
        """`projects/<p>/regions/<r>/serviceAttachments/<name>`: what customers give their
        endpoint as its target."""
        return path_of(self.self_link)


def _endpoint(raw: compute_v1.ServiceAttachmentConnectedEndpoint) -> GoogleEndpoint:
    return GoogleEndpoint(
        endpoint=raw.endpoint,
        psc_connection_id=str(raw.psc_connection_id),
        status=raw.status,
        consumer_network=raw.consumer_network,
        nat_ips=tuple(raw.nat_ips),
    )


def _names_endpoint(entry: str) -> bool:
    """Whether a reject list entry is an endpoint's URL (else a project or a network)."""
    return "/forwardingRules/" in entry


def _attachment(raw: compute_v1.ServiceAttachment) -> GoogleServiceAttachment:
    return GoogleServiceAttachment(
        name=raw.name,
        self_link=raw.self_link,
        target_service=raw.target_service,
        nat_subnets=tuple(raw.nat_subnets),
        accepted_endpoints=frozenset(
            path_of(a.endpoint_url) for a in raw.consumer_accept_lists if a.endpoint_url
        ),
        rejected_endpoints=frozenset(
            path_of(r) for r in raw.consumer_reject_lists if _names_endpoint(r)
        ),
        wholesale=frozenset(
            [
                a.project_id_or_num or a.network_url
                for a in raw.consumer_accept_lists
                if not a.endpoint_url
            ]
            + [r for r in raw.consumer_reject_lists if not _names_endpoint(r)]
        ),
        fingerprint=raw.fingerprint,
        endpoints=tuple(_endpoint(e) for e in raw.connected_endpoints),
        tags=tags_of(raw.description),
    )


def _lists_body(
    fingerprint: str, accepted: Iterable[str], rejected: Iterable[str]
) -> dict[str, Any]:
    """A patch of both lists of endpoints (by path), each stated whole (empty too), over
    `fingerprint`; an endpoint on both is refused."""
    refused = set(rejected)
    return {
        "fingerprint": fingerprint,
        "consumerAcceptLists": [
            {"endpointUrl": COMPUTE_LINK + p, "connectionLimit": ENDPOINT_LIMIT}
            for p in sorted(set(accepted) - refused)
        ],
        "consumerRejectLists": [COMPUTE_LINK + p for p in sorted(refused)],
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
        owner: str,
    ) -> GoogleServiceAttachment:
        """The attachment publishing the internal rule, translating to the NAT subnet (its
        own: Google lets a NAT subnet serve one attachment), accepting no endpoint yet; an
        earlier run's is reused as it is."""
        found = self.service_attachment(name)
        if found is not None:
            return claim(found, found.self_link, owner, "create_service_attachment")
        resource = compute_v1.ServiceAttachment(
            name=name,
            target_service=forwarding_rule_link,
            nat_subnets=[nat_subnet_link],
            connection_preference=ACCEPT_MANUAL,
            reconcile_connections=True,
            enable_proxy_protocol=False,
            description=ownership_description(owner),
        )
        return self._insert(
            "create_service_attachment",
            self._path(ATTACHMENTS, name),
            lambda: self._compute.service_attachments.insert(
                project=self.project,
                **self._writes,
                region=self.region,
                service_attachment_resource=resource,
            ),
            lambda: self.service_attachment(name),
        )

    def set_endpoint_lists(
        self, name: str, accepted: Iterable[str], rejected: Iterable[str]
    ) -> None:
        """Accept exactly the endpoints `accepted` and refuse exactly `rejected` (by path),
        each by its own entry; entries of other kinds are dropped. Gone if the attachment
        is; Retryable if another writer changed it between the read and the patch (its
        fingerprint moved on): read again and redo."""
        self._patch_lists(self._require(name), set(accepted), set(rejected))

    def _patch_lists(
        self, found: GoogleServiceAttachment, accepted: set[str], rejected: set[str]
    ) -> None:
        # Not the SDK's patch: its proto JSON leaves an empty list out of the body, and
        # Google keeps a list a patch leaves out, so a list could never be emptied.
        body = _lists_body(found.fingerprint, accepted, rejected)
        self._change(
            "patch_service_attachment",
            lambda: self._merge_patch(found.path, body),
            self._path(ATTACHMENTS, found.name),
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
            self._path(ATTACHMENTS, name),
        )
