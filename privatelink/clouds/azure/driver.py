"""The Azure driver: the engine's steps carried out with the platform subscription's gateway.

Network: a virtual network per Project VPC; front: an internal Standard load balancer;
ports: its load-balancing rules and backend pools; published service: a private link
service; allow-list: the subscriptions it is visible to; connections: its private endpoint
connections, approved once the user approved them. Azure's states and names stay here: the
engine sees phases. The platform's DNS zone is reached through the registry, as every
non-AWS driver reaches it.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from console.models import ProjectVPC
from privatelink.clouds.azure import leaks, project_network, publishing, rules, teardown
from privatelink.clouds.azure.errors import QUOTA_CODES
from privatelink.clouds.azure.inventory import PRIVATE_LINK_SERVICES
from privatelink.clouds.azure.load_balancers import AzureLoadBalancer
from privatelink.clouds.azure.names import load_balancer_name
from privatelink.clouds.azure.network import NAT_SUBNET, NODES_SUBNET
from privatelink.clouds.azure.operations import AzureGateway
from privatelink.clouds.azure.private_link import AzureConnection
from privatelink.clouds.borrowed_dns import BorrowedDns
from privatelink.clouds.driver import (
    CloudDriver,
    Front,
    Leak,
    ObservedConnection,
    Phase,
    PublishedService,
)
from privatelink.clouds.registry import ClientFactory
from privatelink.engine.run import Run
from privatelink.models import PrivateLink

# A private endpoint connection's status (lower case) as the engine's phase.
_PHASES = {
    "pending": Phase.PENDING,
    "approved": Phase.AVAILABLE,
    "rejected": Phase.REJECTED,
    "disconnected": Phase.GONE,
}
# The status Azure shows right after an approval or a rejection.
_STATUSES = {Phase.ACCEPTED: "approved", Phase.REJECTED: "rejected"}


def phase_of(status: str) -> Phase:
    return _PHASES.get(status.lower(), Phase.OTHER)


def make_driver(
    region: str, account: str | None, client_factory: ClientFactory | None = None
) -> CloudDriver:
    """The driver of the platform subscription (AZURE_SUBSCRIPTION_ID; `account` is not
    used: Azure has one platform subscription) creating in `region`. `client_factory`
    replaces the gateway class (tests pass subclasses that misbehave), called with the
    region."""
    return AzureDriver((client_factory or AzureGateway)(region))


@dataclass(frozen=True)
class ListedService:
    """A private link service as the sweep's listing shows it."""

    service_id: str
    available: bool


def _subscription(owner: str) -> str:
    return owner.strip().lower()


class AzureDriver(BorrowedDns):
    quota_errors = QUOTA_CODES
    # Azure's endpoints wait for the user's approval of their row; one from a subscription
    # outside the allow-list is rejected at once.
    accepts_on_user_approval = True

    def __init__(self, gateway: AzureGateway) -> None:
        self.gateway = gateway

    def owner_allowed(self, allow_list: Sequence[str], owner: str) -> bool:
        """Whether the endpoint's subscription is one the link lists."""
        return _subscription(owner) in {_subscription(s) for s in allow_list}

    # The network of a Project VPC.

    def network_built(self, vpc: ProjectVPC) -> bool:
        return project_network.is_built(vpc)

    def ensure_network(self, vpc: ProjectVPC) -> ProjectVPC:
        return project_network.ensure_network(vpc, self.gateway)

    def remove_network(self, vpc: ProjectVPC) -> None:
        project_network.remove_network(vpc, self.gateway)

    # The front and its ports.

    def ensure_front(self, run: Run, vpc: ProjectVPC) -> AzureLoadBalancer | None:
        def frontend_subnet() -> str:
            # Re-checked in Azure before a load balancer is made: the network may be gone.
            return project_network.subnet_id(self.ensure_network(vpc), NODES_SUBNET)

        return publishing.ensure_load_balancer(run, self.gateway, frontend_subnet)

    def sync_ports(self, run: Run, front: Front, vpc: ProjectVPC) -> None:
        rules.sync_rules(run, self.gateway, _balancer(front), project_network.network_id(vpc))

    # The published service and its allow-list.

    def ensure_published_service(self, run: Run, front: Front) -> PublishedService | None:
        vpc = run.privatelink.service.project_vpc

        def nat_subnet() -> str:
            if vpc is None:
                return ""
            return project_network.subnet_id(self.ensure_network(vpc), NAT_SUBNET)

        return publishing.ensure_private_link_service(
            run, self.gateway, _balancer(front), nat_subnet
        )

    def ensure_allow_list(self, run: Run, service_id: str, settled: bool) -> None:
        publishing.ensure_visibility(run, self.gateway, service_id, settled)

    # Private endpoint connections.

    def observe_connections(self, service_ids: list[str]) -> list[ObservedConnection]:
        return [
            ObservedConnection(
                service_id=service_id,
                endpoint_id=c.private_endpoint_id,
                owner=c.subscription_id,
                status=c.status,
                phase=phase_of(c.status),
            )
            for service_id in service_ids
            for c in self._connections(service_id)
        ]

    def accept_connections(self, service_id: str, endpoint_ids: list[str]) -> None:
        name = publishing.service_name(service_id)
        for connection in self._connections_of(service_id, endpoint_ids):
            self.gateway.approve_connection(name, connection.name, "Approved by the user.")

    def reject_connections(self, service_id: str, endpoint_ids: list[str]) -> None:
        name = publishing.service_name(service_id)
        for connection in self._connections_of(service_id, endpoint_ids):
            if connection.status.lower() != "rejected":
                self.gateway.reject_connection(name, connection.name, "Rejected by the console.")

    def status_of(self, phase: Phase) -> str:
        return _STATUSES.get(phase, phase.value)

    def _connections(self, service_id: str) -> list[AzureConnection]:
        return self.gateway.connections(publishing.service_name(service_id))

    def _connections_of(self, service_id: str, endpoint_ids: list[str]) -> list[AzureConnection]:
        wanted = {e.lower() for e in endpoint_ids}
        return [c for c in self._connections(service_id) if c.private_endpoint_id.lower() in wanted]

    def teardown(self, run: Run) -> bool:
        return teardown.teardown(run, self.gateway, self.dns)

    # The sweep.

    def published_service_id(self, link: PrivateLink) -> str:
        return publishing.details(link).service_id

    def published_services(self) -> Sequence[PublishedService]:
        return [
            ListedService(r.id, r.provisioning_state == publishing.SUCCEEDED)
            for r in self.gateway.our_resources((PRIVATE_LINK_SERVICES,))
        ]

    def deep_drifted(self, link: PrivateLink) -> bool:
        service_id = self.published_service_id(link)
        found = self.gateway.private_link_service(publishing.service_name(service_id))
        if found is None:
            return True
        if {_subscription(s) for s in found.visibility} != {
            _subscription(s) for s in link.principals
        }:
            return True
        return rules.drifted(self.gateway, load_balancer_name(link.pk), list(link.listeners.all()))

    def leaks(self, known_links: set[int], published: Sequence[PublishedService]) -> list[Leak]:
        return leaks.leaks(self.gateway, known_links)

    def remove_leaks(self, due: list[Leak]) -> list[str]:
        return leaks.remove_leaks(self.gateway, due)

    # Quotas: Azure's (rules per load balancer, NAT addresses per service) are fixed numbers
    # the planner knows; none of them is an account quota that placement records.

    def account_limits(self) -> dict[str, int]:
        return {}


def _balancer(front: Front) -> AzureLoadBalancer:
    if not isinstance(front, AzureLoadBalancer):
        raise TypeError(f"The Azure driver was handed another cloud's front: {front!r}")
    return front
