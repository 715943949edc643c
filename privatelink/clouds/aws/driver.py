"""The AWS driver: the engine's steps carried out with one account's Gateway.

Front: a Network Load Balancer; ports: its listeners and target groups; published service:
a VPC endpoint service; allow-list: its allowed principals; connections: VPC endpoint
connections, accepted or rejected by the console. The platform's DNS zone is Route 53's,
served by the same Gateway (always through the deployment's main account).
"""

from collections.abc import Callable, Sequence

from console.models import ProjectVPC
from privatelink.clouds.aws import leaks, listeners, project_vpc, provision, teardown
from privatelink.clouds.aws.gateway import AwsLoadBalancer, Gateway
from privatelink.clouds.dns import DnsZone
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
from privatelink.principals import covers_account

# AWS's refusals of a create that mean an account quota was reached.
QUOTA_ERRORS = frozenset({"TooManyLoadBalancers", "TooManyTargetGroups", "TooManyListeners"})

# An endpoint connection's state (lower case) as the engine's phase.
_PHASES = {
    "pendingacceptance": Phase.PENDING,
    "pending": Phase.ACCEPTED,
    "available": Phase.AVAILABLE,
    "rejected": Phase.REJECTED,
    "deleting": Phase.GONE,
    "deleted": Phase.GONE,
    "failed": Phase.GONE,
    "expired": Phase.GONE,
}
# The state AWS shows right after an accept or a reject.
_STATUSES = {Phase.ACCEPTED: "pending", Phase.REJECTED: "rejected"}


def phase_of(state: str) -> Phase:
    """The phase of an endpoint connection in AWS's `state` (any case)."""
    return _PHASES.get(state.lower(), Phase.OTHER)


def status_of(phase: Phase) -> str:
    return _STATUSES.get(phase, phase.value)


def make_driver(
    region: str, account: str | None, client_factory: ClientFactory | None = None
) -> CloudDriver:
    """The driver of the account reached through role `account` (None: the platform's
    configured role, "": its own credentials) in `region`.

    `client_factory` replaces the Gateway class (tests pass subclasses that misbehave);
    `Gateway` is looked up here at each call, so a test may also patch it on this module.
    """
    return AwsDriver((client_factory or Gateway)(region, role_arn=account))


class AwsDriver:
    quota_errors = QUOTA_ERRORS
    # An endpoint whose account the allowed principals cover is accepted at once: AWS itself
    # let it connect only because a principal allows it.
    accepts_on_user_approval = False

    def __init__(self, gateway: Gateway) -> None:
        self.gateway = gateway

    @property
    def before_call(self) -> Callable[[], None] | None:
        return self.gateway.before_call

    @before_call.setter
    def before_call(self, hook: Callable[[], None] | None) -> None:
        self.gateway.before_call = hook

    @property
    def dns(self) -> DnsZone:
        return self.gateway

    # The network of a Project VPC.

    def network_built(self, vpc: ProjectVPC) -> bool:
        return project_vpc.is_built(vpc)

    def ensure_network(self, vpc: ProjectVPC) -> ProjectVPC:
        return project_vpc.ensure_project_vpc(vpc, self.gateway)

    def remove_network(self, vpc: ProjectVPC) -> None:
        project_vpc.remove_project_vpc(vpc, self.gateway)

    # The front and its ports.

    def ensure_front(self, run: Run, vpc: ProjectVPC) -> AwsLoadBalancer | None:
        def subnet_ids(check_now: bool) -> list[str]:
            # Checked in AWS before an NLB is created (the VPC may be gone with it), once
            # for all the links of the VPC created within moments.
            if check_now:
                checked = project_vpc.ensure_project_vpc(vpc, self.gateway)
            else:
                checked = project_vpc.checked_for_new_load_balancer(vpc, self.gateway)
            return [s["subnet_id"] for s in checked.subnets]

        return provision.ensure_load_balancer(run, self.gateway, subnet_ids)

    def sync_ports(self, run: Run, front: Front, vpc: ProjectVPC) -> None:
        listeners.sync_listeners(run, self.gateway, _balancer(front), vpc.aws_vpc_id)

    # The published service and its allow-list.

    def ensure_published_service(self, run: Run, front: Front) -> PublishedService | None:
        return provision.ensure_endpoint_service(run, self.gateway, _balancer(front))

    def ensure_allow_list(self, run: Run, service_id: str, settled: bool) -> None:
        provision.ensure_principals(run, self.gateway, service_id, settled)

    # Endpoint connections.

    def observe_connections(self, service_ids: list[str]) -> list[ObservedConnection]:
        return [
            ObservedConnection(
                service_id=c.service_id,
                endpoint_id=c.vpc_endpoint_id,
                owner=c.owner,
                status=c.state,
                phase=phase_of(c.state),
                address=c.dns_name,
            )
            for c in self.gateway.connections(service_ids)
        ]

    def accept_connections(self, service_id: str, endpoint_ids: list[str]) -> None:
        self.gateway.accept_connections(service_id, endpoint_ids)

    def reject_connections(self, service_id: str, endpoint_ids: list[str]) -> None:
        self.gateway.reject_connections(service_id, endpoint_ids)

    def status_of(self, phase: Phase) -> str:
        return status_of(phase)

    def owner_allowed(self, allow_list: Sequence[str], owner: str) -> bool:
        return covers_account(allow_list, owner)

    def teardown(self, run: Run) -> bool:
        return teardown.teardown(run, self.gateway)

    # The sweep.

    def published_service_id(self, link: PrivateLink) -> str:
        return link.aws_details.service_id

    def published_services(self) -> Sequence[PublishedService]:
        return self.gateway.our_endpoint_services()

    def deep_drifted(self, link: PrivateLink) -> bool:
        gateway, aws = self.gateway, link.aws_details
        if gateway.allowed_principals(aws.service_id) != set(link.principals):
            return True
        ports = {listener.port for listener in gateway.listeners(aws.nlb_arn)}
        if ports != {row.port for row in link.listeners.all()}:
            return True
        return bool(aws.nlb_arn) and not gateway.cross_zone_enabled(aws.nlb_arn)

    def leaks(self, known_links: set[int], published: Sequence[PublishedService]) -> list[Leak]:
        return leaks.leaks(self.gateway, known_links, published)

    def remove_leaks(self, due: list[Leak]) -> list[str]:
        return leaks.remove_leaks(self.gateway, due)

    # Quotas.

    def account_limits(self) -> dict[str, int]:
        return self.gateway.account_limits()


def _balancer(front: Front) -> AwsLoadBalancer:
    if not isinstance(front, AwsLoadBalancer):
        raise TypeError(f"The AWS driver was handed another cloud's front: {front!r}")
    return front
