"""Customers' PSC endpoints as the engine sees connections, and the console's answers.

Each endpoint is accepted or refused on its own: its forwarding rule's URL on the
attachment's accept list or its reject list (`endpointUrl` entries), so the other endpoints
of its project are left as they are, each waiting for its own approval. An endpoint is
named by its PSC connection id (what the platform's API shows); its owner is the project
of its consumer forwarding rule.
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
    """Accept the endpoints, each by its own accept list entry (off the reject list)."""
    _change(gateway, service_id, endpoint_ids, accepting=True)


def reject(gateway: GoogleGateway, service_id: str, endpoint_ids: list[str]) -> None:
    """Refuse the endpoints, each by its own reject list entry (off the accept list)."""
    _change(gateway, service_id, endpoint_ids, accepting=False)


def _change(
    gateway: GoogleGateway, service_id: str, endpoint_ids: list[str], *, accepting: bool
) -> None:
    name = name_of(service_id)
    found = gateway.service_attachment(name)
    if found is None:
        return
    wanted = set(endpoint_ids)
    paths = {e.path for e in found.endpoints if e.psc_connection_id in wanted}
    accepted, rejected = set(found.accepted_endpoints), set(found.rejected_endpoints)
    if accepting:
        accepted, rejected = accepted | paths, rejected - paths
    else:
        accepted, rejected = accepted - paths, rejected | paths
    if (accepted, rejected) != (found.accepted_endpoints, found.rejected_endpoints):
        gateway.set_endpoint_lists(name, accepted, rejected)
