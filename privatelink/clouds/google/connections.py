"""Customers' PSC endpoints as the engine sees connections, and the console's answers.

On Google the allow-list is the attachment's accept list, by project: Google itself
accepts an endpoint of a listed project (the user's approval of a pending endpoint lists
its project), and refuses by project, through the reject list. An endpoint is named by its
PSC connection id (what the platform's API shows); its owner is the project of its
consumer forwarding rule.
"""

from privatelink.clouds.driver import ObservedConnection, Phase
from privatelink.clouds.google.calls import name_of
from privatelink.clouds.google.operations import GoogleGateway
from privatelink.clouds.google.private_link import ACCEPTED, REJECTED

# A connected endpoint's status (lower case) as the engine's phase.
_PHASES = {
    "pending": Phase.PENDING,
    "accepted": Phase.AVAILABLE,
    "rejected": Phase.REJECTED,
    "closed": Phase.GONE,
    # A connection Google cannot complete (the producer's side is broken).
    "needs_attention": Phase.OTHER,
}
# The status Google shows once the lists have been reviewed after an accept or a reject.
_STATUSES = {Phase.ACCEPTED: ACCEPTED.lower(), Phase.REJECTED: REJECTED.lower()}


def phase_of(status: str) -> Phase:
    return _PHASES.get(status.lower(), Phase.OTHER)


def status_of(phase: Phase) -> str:
    return _STATUSES.get(phase, phase.value)


def observe(gateway: GoogleGateway, service_ids: list[str]) -> list[ObservedConnection]:
    """Every endpoint of the attachments named by their paths; none for one that is gone."""
    return [
        ObservedConnection(
            service_id=service_id,
            endpoint_id=endpoint.psc_connection_id,
            owner=endpoint.project,
            status=endpoint.status.lower(),
            phase=phase_of(endpoint.status),
        )
        for service_id in service_ids
        for endpoint in gateway.connected_endpoints(name_of(service_id))
    ]


def accept(gateway: GoogleGateway, service_id: str, endpoint_ids: list[str]) -> None:
    """Accept the endpoints: their projects on the accept list (Google then accepts every
    endpoint of those projects)."""
    _change(gateway, service_id, endpoint_ids, accepting=True)


def reject(gateway: GoogleGateway, service_id: str, endpoint_ids: list[str]) -> None:
    """Refuse the endpoints: their projects on the reject list (every endpoint of those
    projects is refused, as Google refuses by project)."""
    _change(gateway, service_id, endpoint_ids, accepting=False)


def _change(
    gateway: GoogleGateway, service_id: str, endpoint_ids: list[str], *, accepting: bool
) -> None:
    name = name_of(service_id)
    found = gateway.service_attachment(name)
    if found is None:
        return
    wanted = set(endpoint_ids)
    projects = {e.project for e in found.endpoints if e.psc_connection_id in wanted}
    if accepting and not projects <= found.accepted_projects:
        gateway.set_accepted_projects(name, found.accepted_projects | projects)
    if not accepting and not projects <= found.rejected_projects:
        gateway.reject_projects(name, projects)
