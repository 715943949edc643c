"""The driver interface: everything the engine asks of one cloud account in one region.

The engine (`privatelink.engine`, the sweep) decides what should exist and in which order;
a driver carries each step out in its cloud's terms. The same steps fit every cloud:

- network: AWS a VPC and a subnet per zone; Azure a VNet; Google a VPC network and a PSC
  subnet.
- front: AWS a Network Load Balancer; Azure an internal Standard Load Balancer; Google an
  internal passthrough load balancer.
- ports: AWS listeners and target groups; Azure load-balancing rules and backend pools;
  Google forwarding rules.
- published service: AWS an endpoint service; Azure a Private Link Service; Google a
  service attachment.
- allow-list: AWS allowed principals (ARNs); Azure the service's visibility
  (subscriptions); Google the consumer accept list.
- connections: AWS endpoint connections; Azure private endpoint connections, approved by
  the console for the user; Google connected endpoints.

Each step is idempotent: a driver finds earlier work by deterministic names and ownership
marks, creates only what is missing, and never adopts what is not marked as ours. Steps
that wait for the cloud return None and ask the run to look again (`Run.wait`); none sleeps.
Every cloud call goes through `before_call` first, which keeps the run's lease alive.

Errors are raised as `privatelink.clouds.errors` (Gone, Retryable, Terminal); a Terminal
whose code is in `quota_errors` tells the engine the recorded quotas were out of date.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from privatelink.clouds.dns import DnsZone

if TYPE_CHECKING:
    from console.models import ProjectVPC
    from privatelink.engine.run import Run
    from privatelink.models import PrivateLink


class Phase(StrEnum):
    """Where a customer's endpoint stands, in no cloud's words."""

    # Asks to connect and waits for the console's decision (AWS pendingAcceptance, Azure
    # Pending, PSC pending).
    PENDING = "pending"
    # Accepted, not carrying traffic yet (AWS pending after an accept).
    ACCEPTED = "accepted"
    # Carries traffic (AWS available, Azure Approved, PSC accepted).
    AVAILABLE = "available"
    # Refused by the service (AWS and PSC rejected, Azure Rejected).
    REJECTED = "rejected"
    # Will never connect again (AWS deleting, deleted, failed or expired; Azure
    # Disconnected; PSC closed).
    GONE = "gone"
    # A state the console takes no decision on (AWS partial).
    OTHER = "other"


@dataclass(frozen=True)
class ObservedConnection:
    """One customer endpoint of a published service, as the cloud reports it."""

    service_id: str
    endpoint_id: str
    # The customer's account: an AWS account id, an Azure subscription, a Google project.
    owner: str
    # The cloud's own word for the endpoint's state, kept on the row for display and for
    # noticing changes.
    status: str
    phase: Phase
    # What the connection host points to: the endpoint's DNS name (AWS, a CNAME) or its
    # IP address (Azure, Google: an A record).
    address: str = ""


class Front(Protocol):
    """The load-balancer front of one PrivateLink, as a driver returned it."""

    @property
    def name(self) -> str: ...


class PublishedService(Protocol):
    """The service customers connect their endpoints to."""

    @property
    def service_id(self) -> str: ...

    @property
    def available(self) -> bool:
        """Built and accepting connections."""
        ...


@dataclass(frozen=True)
class Leak:
    """A resource of this deployment whose PrivateLink has no row."""

    resource_id: str
    # What it is, in the cloud's words ("load-balancer"), for the sighting's row.
    kind: str


class NetworkDriver(Protocol):
    """The network a Project VPC stands for, in the platform's account."""

    def network_built(self, vpc: "ProjectVPC") -> bool:
        """Whether the row records a complete network (no cloud call)."""
        ...

    def ensure_network(self, vpc: "ProjectVPC") -> "ProjectVPC":
        """Find or create the network and its subnets; record them on the row as active."""
        ...

    def remove_network(self, vpc: "ProjectVPC") -> None:
        """Delete the network (only ever asked with no service in it), then the row."""
        ...


class FrontDriver(Protocol):
    """The load balancer in front of a service's nodes, and its ports."""

    def ensure_front(self, run: "Run", vpc: "ProjectVPC") -> Front | None:
        """The link's load balancer once ready; None (and a requeue) while it provisions."""
        ...

    def sync_ports(self, run: "Run", front: Front, vpc: "ProjectVPC") -> None:
        """One port (listener or rule) per listener row, forwarding to its nodes; the rows
        are planned by the engine's planner, the health of their targets written back."""
        ...


class PublishingDriver(Protocol):
    """The published service and who may connect to it."""

    def ensure_published_service(self, run: "Run", front: Front) -> PublishedService | None:
        """The published service once available; None (and a requeue) while it builds."""
        ...

    def ensure_allow_list(self, run: "Run", service_id: str, settled: bool) -> None:
        """Make the allow-list exactly the link's principals; `settled`: a difference was
        made behind the console's back and is reported as repaired drift."""
        ...


class ConnectionDriver(Protocol):
    """Customer endpoints: observed, then accepted or rejected by the engine's decision.

    The cloud's policy is stated here, and the engine's decision follows it without naming
    a cloud: `accepts_on_user_approval` False (AWS) accepts a pending endpoint as soon as the
    allow-list covers its owner; True (Azure) leaves it pending until the user approved its
    row, and rejects at once one whose owner the allow-list does not cover."""

    @property
    def accepts_on_user_approval(self) -> bool: ...

    def owner_allowed(self, allow_list: Sequence[str], owner: str) -> bool:
        """Whether the link's allow-list covers the endpoint's owner (account, subscription)."""
        ...

    def observe_connections(self, service_ids: list[str]) -> list[ObservedConnection]: ...

    def accept_connections(self, service_id: str, endpoint_ids: list[str]) -> None: ...

    def reject_connections(self, service_id: str, endpoint_ids: list[str]) -> None: ...

    def status_of(self, phase: Phase) -> str:
        """The cloud's word (lower case) for the phase an accept or reject moves to."""
        ...


class TeardownDriver(Protocol):
    def teardown(self, run: "Run") -> bool:
        """Remove everything of the link from the cloud, in the cloud's order, rejecting its
        connections and removing its hosts first; True once nothing is left."""
        ...


class SweepDriver(Protocol):
    """What the periodic sweep reads in bulk, and the leaks it removes."""

    def published_service_id(self, link: "PrivateLink") -> str:
        """The id of the link's published service as recorded on its rows ('' before it
        exists): what `published_services` and `observe_connections` name it by."""
        ...

    def published_services(self) -> Sequence[PublishedService]:
        """Every published service of this deployment in the account, in one listing."""
        ...

    def deep_drifted(self, link: "PrivateLink") -> bool:
        """Whether the allow-list, the ports or the front's settings differ from the rows
        (no batched read exists for these: the sweep asks for a rotating slice)."""
        ...

    def leaks(self, known_links: set[int], published: Sequence[PublishedService]) -> list[Leak]:
        """Resources of this deployment for a PrivateLink not in `known_links`, in the
        order they must be removed; untagged resources are never listed."""
        ...

    def remove_leaks(self, due: list[Leak]) -> list[str]:
        """Remove the leaks past their grace period; the ids of those removed (one still in
        use is left for the next sweep)."""
        ...


class QuotaDriver(Protocol):
    """The account's quotas, planned for before a create rather than discovered by it."""

    @property
    def quota_errors(self) -> frozenset[str]:
        """The cloud's codes of the refusals that mean a quota was reached."""
        ...

    def account_limits(self) -> dict[str, int]:
        """The account's limits by the names `placement.record_quotas` reads."""
        ...


class CloudDriver(
    NetworkDriver,
    FrontDriver,
    PublishingDriver,
    ConnectionDriver,
    TeardownDriver,
    SweepDriver,
    QuotaDriver,
    Protocol,
):
    """One cloud account in one region, as the engine drives it."""

    # Called before every cloud call: the run's lease keep-alive (`Lease.keep_alive`).
    before_call: Callable[[], None] | None

    @property
    def dns(self) -> DnsZone:
        """The platform's DNS zone, where the links' connection hosts are published."""
        ...
