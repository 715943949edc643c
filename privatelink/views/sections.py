"""What each section of the PrivateLink page shows: the template context of its status,
principals and connections sections, shared by the page and the fragments that answer HTMX."""

from typing import Any, Protocol

from django.contrib import messages
from django.urls import reverse

from console import catalog
from console.http import AuthenticatedHttpRequest
from console.models import Membership, Service
from privatelink import actions, guidance
from privatelink.forms import PrincipalForm
from privatelink.hosts import connection_host
from privatelink.models import PrivateLink, PrivateLinkConnection
from privatelink.principals import broad_principals
from privatelink.views.rendering import base_context

TEMPLATE = "privatelink/privatelink.html"
# The event an answer sends when what it did changes the Connections section too.
CONNECTIONS_CHANGED = "connections-changed"


QUEUED_NOTICE = (
    "Your change is saved and queued: the task queue did not answer, so it will be "
    "carried out by the next periodic sweep, within a minute or two of the queue's return."
)


def say_if_only_queued(request: AuthenticatedHttpRequest, saved: actions.Saved) -> None:
    if saved.queued is False:
        messages.warning(request, QUEUED_NOTICE)


def status_settled(privatelink: PrivateLink | None) -> bool:
    # Until the AWS names can be shown (connectable), keep looking for them.
    return privatelink is None or (privatelink.connectable and privatelink.converged)


def connection_rows(service: Service, privatelink: PrivateLink) -> list[dict[str, Any]]:
    return [
        {
            "connection": connection,
            "host": connection_host(service, connection.number)
            if connection.state == PrivateLinkConnection.State.ACTIVE
            else "",
        }
        for connection in privatelink.connections.all()
    ]


def connections_settled(privatelink: PrivateLink | None, rows: list[dict[str, Any]]) -> bool:
    # With no connection yet the customer is expected to create one: keep looking.
    if privatelink is None:
        return True
    if privatelink.state != PrivateLink.State.ACTIVE or not privatelink.converged or not rows:
        return False
    return not any(row["connection"].state in PrivateLinkConnection.SETTLING for row in rows)


def page_shape(privatelink: PrivateLink | None) -> str:
    """Which sections the page was drawn with. A PrivateLink created or deleted elsewhere,
    or one being deleted, changes them: the summary's poll then asks for the page afresh."""
    if privatelink is None:
        return "none"
    deleting = privatelink.state == PrivateLink.State.DELETING
    return f"{privatelink.pk}-{'deleting' if deleting else 'live'}"


def status_context(
    service: Service, membership: Membership, privatelink: PrivateLink | None
) -> dict[str, Any]:
    context = base_context(service, membership)
    context.update(
        privatelink=privatelink,
        # What the create form tells before anyone decides: offered here, and at what price.
        price_usd=catalog.privatelink_price(service.cloud),
        status_settled=status_settled(privatelink),
        page_shape=page_shape(privatelink),
    )
    if privatelink is not None:
        context.update(guidance.before_connecting(privatelink, service))
    return context


class CloudDetails(Protocol):
    """What Azure or Google adds to a link, as far as the page's status needs it."""

    @property
    def connectable(self) -> bool: ...


def cloud_status_context(
    service: Service,
    membership: Membership,
    privatelink: PrivateLink | None,
    details: CloudDetails | None,
) -> dict[str, Any]:
    """The status of an Azure or Google link: whether customers can connect to it yet, the
    price its create button tells, and how often its poll asks."""
    connectable = details is not None and details.connectable
    context = base_context(service, membership)
    context.update(
        privatelink=privatelink,
        connectable=connectable,
        price_usd=catalog.privatelink_price(service.cloud),
        # Until what customers connect to can be shown, keep looking for it.
        status_settled=privatelink is None or (connectable and privatelink.converged),
        page_shape=page_shape(privatelink),
        region=catalog.region_of(service.cloud),
    )
    return context


def refusal_at_row(rows: list[dict[str, Any]], failed: str, **shown: Any) -> bool:
    """Put what a refused action on connection `failed` shows (its form as posted, the
    refusal's words) on that connection's row; False if it is no longer listed."""
    at_row = False
    for row in rows:
        if row["connection"].privatelink_connection_id == failed:
            row.update(shown)
            at_row = True
    return at_row


def cloud_connections_context(
    service: Service,
    membership: Membership,
    privatelink: PrivateLink | None,
    rows: list[dict[str, Any]],
    *,
    failed: str,
    error: str,
    **shown: Any,
) -> dict[str, Any]:
    """The connections table of an Azure or Google link; `failed` names the connection
    whose action was refused, with what the refusal shows at its row (`shown`, `error`)."""
    shown_at_row = refusal_at_row(rows, failed, error=error, **shown)
    context = base_context(service, membership)
    context.update(
        privatelink=privatelink,
        rows=rows,
        connections_settled=connections_settled(privatelink, rows),
        # A refusal about a connection no longer listed is said above the table.
        connections_error="" if shown_at_row else error,
    )
    return context


def principals_context(
    service: Service,
    membership: Membership,
    privatelink: PrivateLink,
    form: PrincipalForm | None = None,
    error: str = "",
) -> dict[str, Any]:
    context = base_context(service, membership)
    context.update(
        privatelink=privatelink,
        principal_form=form or PrincipalForm(initial={"digest": privatelink.principals_digest}),
        broad=broad_principals(privatelink.principals),
        principals_error=error,
    )
    return context


def connections_context(
    service: Service, membership: Membership, privatelink: PrivateLink | None
) -> dict[str, Any]:
    rows = connection_rows(service, privatelink) if privatelink else []
    context = base_context(service, membership)
    context.update(
        privatelink=privatelink,
        rows=rows,
        connections_settled=connections_settled(privatelink, rows),
    )
    return context


def page_url(service: Service) -> str:
    return reverse("privatelink", args=[service.project.name, service.name])
