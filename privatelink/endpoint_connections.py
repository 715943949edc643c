"""The customer endpoints a user acts on through the API, on the clouds where the user
approves each one and gives its address (Azure, Google): found by the connection id the
platform's API shows, each with an address of its own."""

from console.errors import Conflict, NotFound
from privatelink.models import PrivateLink, PrivateLinkConnection


def connection_of(current: PrivateLink, connection_id: str, provider: str) -> PrivateLinkConnection:
    """The link's connection `connection_id`, locked, among those the API lists; NotFound
    naming the `avn` command that lists them."""
    found = (
        current.connections.select_for_update()
        .filter(privatelink_connection_id=connection_id, state__in=PrivateLinkConnection.API_STATES)
        .first()
    )
    if found is None:
        raise NotFound(
            f"{current.service.name} has no connection {connection_id}; "
            f"`avn service privatelink {provider} connection list` shows its connections.",
            field="privatelink_connection_id",
        )
    return found


def check_address_free(
    current: PrivateLink, connection: PrivateLinkConnection, address: str
) -> None:
    """Refuse an address another live connection of the link already has: two privatelink-N
    hosts leading to one endpoint would send one customer's clients to the other's."""
    taken = (
        current.connections.filter(user_ip_address=address)
        .exclude(pk=connection.pk)
        .exclude(state__in=PrivateLinkConnection.ENDED)
        .first()
    )
    if taken is not None:
        raise Conflict(
            f"{address} is already the address of connection "
            f"{taken.privatelink_connection_id}; each endpoint has its own address.",
            field="user_ip_address",
        )
