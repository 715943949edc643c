"""What each section of a Google service's PrivateLink page shows: the template context of
its status and connections, shared by the page and its fragments.

Google accepts one endpoint at a time: the person approves a waiting PSC endpoint by giving
its IP address, and that endpoint alone joins the service attachment's accept list. There
is no list to edit, so the page has no such section."""

from typing import Any

from console.models import Membership, Service
from privatelink.forms import EndpointAddressForm
from privatelink.hosts import connection_host
from privatelink.models import GooglePrivateLink, PrivateLink, PrivateLinkConnection
from privatelink.views.sections import cloud_connections_context, cloud_status_context

GOOGLE_TEMPLATE = "privatelink/google.html"

State = PrivateLinkConnection.State
# What the person does next with a connection in each state, in one short line.
NEXT_STEP: dict[str, str] = {
    State.PENDING_USER_APPROVAL: (
        "Give the endpoint's IP address to approve it: Google then accepts this endpoint."
    ),
    State.USER_APPROVED: "Approved: Google accepts the endpoint within a minute.",
    State.CONNECTED: "Accepted by Google: its privatelink host resolves once published.",
    State.ACTIVE: "Active.",
}
RESOLVING = (State.CONNECTED, State.ACTIVE)


def google_of(privatelink: PrivateLink | None) -> GooglePrivateLink | None:
    """The link's Google details, or None (no link, or none recorded yet)."""
    if privatelink is None:
        return None
    try:
        return privatelink.google
    except GooglePrivateLink.DoesNotExist:
        return None


def google_status_context(
    service: Service, membership: Membership, privatelink: PrivateLink | None
) -> dict[str, Any]:
    google = google_of(privatelink)
    context = cloud_status_context(service, membership, privatelink, google)
    context["google"] = google
    return context


def google_connection_rows(service: Service, privatelink: PrivateLink) -> list[dict[str, Any]]:
    return [
        {
            "connection": connection,
            "host": connection_host(service, connection.number)
            if connection.state in RESOLVING
            else "",
            "next_step": NEXT_STEP.get(connection.state, ""),
            "approvable": connection.state == State.PENDING_USER_APPROVAL,
        }
        for connection in privatelink.connections.all()
    ]


def google_connections_context(
    service: Service,
    membership: Membership,
    privatelink: PrivateLink | None,
    *,
    failed: str = "",
    address_form: EndpointAddressForm | None = None,
    error: str = "",
) -> dict[str, Any]:
    """The connections table; `failed` names the connection whose approval was refused,
    with the address as posted (its errors at the field) or the refusal's words."""
    rows = google_connection_rows(service, privatelink) if privatelink else []
    return cloud_connections_context(
        service,
        membership,
        privatelink,
        rows,
        failed=failed,
        error=error,
        address_form=address_form,
    )
