"""The Google driver: the engine's steps carried out with the platform project's gateway.

Network: a VPC network and the nodes' subnet per Project VPC; front: a port mapping service
(an all-ports internal forwarding rule over a `GCE_VM_IP_PORTMAP` group); ports: the
group's endpoints, one per listener row; published service: a service attachment
(ACCEPT_MANUAL) with its own PSC NAT subnet; connections: its connected endpoints, named by
their PSC connection ids, each accepted or refused by its own entry of the attachment's
lists once the user approved it (the link's allow-list, projects, grants no endpoint).
Google's states and names stay here: the engine sees phases. The platform's DNS zone is
reached through the registry, as every non-AWS driver reaches it.
"""

from collections.abc import Callable, Sequence

from console.models import ProjectVPC
from privatelink.clouds.borrowed_dns import BorrowedDns
from privatelink.clouds.driver import (
    CloudDriver,
    Front,
    Leak,
    ObservedConnection,
    Phase,
    PublishedService,
)
from privatelink.clouds.google import (
    connections,
    leaks,
    port_mapping,
    project_network,
    publishing,
    teardown,
)
from privatelink.clouds.google.calls import name_of
from privatelink.clouds.google.errors import QUOTA_REASONS, Terminal
from privatelink.clouds.google.inventory import SERVICE_ATTACHMENTS
from privatelink.clouds.google.load_balancers import GoogleForwardingRule
from privatelink.clouds.google.operations import GoogleGateway
from privatelink.clouds.registry import ClientFactory
from privatelink.engine.run import Run
from privatelink.models import PrivateLink


def make_driver(
    region: str, account: str | None, client_factory: ClientFactory | None = None
) -> CloudDriver:
    """The driver of the platform project (GOOGLE_PROJECT; `account` is not used: Google
    has one platform project) creating in `region`. `client_factory` replaces the gateway
    class (tests pass subclasses that misbehave), called with the region."""
    return GoogleDriver((client_factory or GoogleGateway)(region))


class GoogleDriver(BorrowedDns):
    quota_errors = QUOTA_REASONS
    # A customer's endpoint waits (PENDING) until the user approves its row with its
    # address: the approval puts that endpoint alone on the accept list, and Google then
    # accepts it.
    accepts_on_user_approval = True

    def __init__(self, gateway: GoogleGateway) -> None:
        self.gateway = gateway

    def owner_allowed(self, allow_list: Sequence[str], owner: str) -> bool:
        """Every project may ask: on Google each endpoint waits for the user's approval
        (which lists that endpoint), pending as Google keeps it, rather than being
        refused; the allow-list only records the projects of approved endpoints."""
        return True

    # The network of a Project VPC.

    def network_built(self, vpc: ProjectVPC) -> bool:
        return project_network.is_built(vpc)

    def ensure_network(self, vpc: ProjectVPC) -> ProjectVPC:
        return project_network.ensure_network(vpc, self.gateway)

    def remove_network(self, vpc: ProjectVPC) -> None:
        project_network.remove_network(vpc, self.gateway)

    def _nodes_network(self, vpc: ProjectVPC) -> Callable[[], publishing.NodesNetwork]:
        def nodes() -> publishing.NodesNetwork:
            # Re-checked in Google before anything is made in it: the network may be gone.
            return publishing.NodesNetwork(*project_network.ensure_nodes_network(vpc, self.gateway))

        return nodes

    # The front and its ports.

    def ensure_front(self, run: Run, vpc: ProjectVPC) -> GoogleForwardingRule:
        return publishing.ensure_front(run, self.gateway, self._nodes_network(vpc))

    def sync_ports(self, run: Run, front: Front, vpc: ProjectVPC) -> None:
        port_mapping.sync_ports(run, self.gateway)

    # The published service and its allow-list.

    def ensure_published_service(self, run: Run, front: Front) -> PublishedService:
        vpc = run.privatelink.service.project_vpc
        if vpc is None:
            raise Terminal("NoProjectVPC", "A Google PrivateLink needs a Project VPC.", "")
        return publishing.ensure_attachment(
            run, self.gateway, _rule(front), self._nodes_network(vpc)
        )

    def ensure_allow_list(self, run: Run, service_id: str, settled: bool) -> None:
        publishing.ensure_accept_list(run, self.gateway, service_id, settled)

    # Connected endpoints.

    def observe_connections(self, service_ids: list[str]) -> list[ObservedConnection]:
        return connections.observe(self.gateway, service_ids)

    def accept_connections(self, service_id: str, endpoint_ids: list[str]) -> None:
        connections.accept(self.gateway, service_id, endpoint_ids)

    def reject_connections(self, service_id: str, endpoint_ids: list[str]) -> None:
        connections.reject(self.gateway, service_id, endpoint_ids)

    def status_of(self, phase: Phase) -> str:
        return connections.status_of(phase)

    def teardown(self, run: Run) -> bool:
        return teardown.teardown(run, self.gateway, self.dns)

    # The sweep.

    def published_service_id(self, link: PrivateLink) -> str:
        return publishing.details(link).service_attachment

    def published_services(self) -> Sequence[PublishedService]:
        return [
            publishing.PublishedAttachment(publishing.attachment_path(r.self_link))
            for r in self.gateway.our_resources((SERVICE_ATTACHMENTS,))
        ]

    def deep_drifted(self, link: PrivateLink) -> bool:
        service_id = self.published_service_id(link)
        found = self.gateway.service_attachment(name_of(service_id)) if service_id else None
        if found is None:
            return True
        if publishing.lists_drifted(link, found):
            return True
        return port_mapping.drifted(self.gateway, link.pk, list(link.listeners.all()))

    def leaks(self, known_links: set[int], published: Sequence[PublishedService]) -> list[Leak]:
        return leaks.leaks(self.gateway, known_links)

    def remove_leaks(self, due: list[Leak]) -> list[str]:
        return leaks.remove_leaks(self.gateway, due)

    # Quotas: the region's service attachments (`quotas` says why that one), which
    # placement records and checks before a create; a create Google still refuses with
    # quotaExceeded makes the engine read them again.

    def account_limits(self) -> dict[str, int]:
        return self.gateway.region_quotas()


def _rule(front: Front) -> GoogleForwardingRule:
    if not isinstance(front, GoogleForwardingRule):
        raise TypeError(f"The Google driver was handed another cloud's front: {front!r}")
    return front
