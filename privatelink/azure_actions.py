"""What a user asked of an Azure PrivateLink: its allowed subscriptions, and its
connections' approval and endpoint address. As `privatelink.actions`: validate, write
desired state and an audit event in one transaction, reconcile on commit; nothing here
calls Azure.

Azure tells the platform nothing when a customer creates a private endpoint: the sweep or
a refresh finds it, as `pending-user-approval`. The user approves it (the reconciler then
approves it in Azure: `user-approved`, then `connected`), and gives the endpoint's IP
address, which its privatelink-N host then resolves to (`active`).
"""

from collections.abc import Callable, Iterable

from django.db import transaction
from django.http import HttpRequest

from console.errors import Conflict
from console.models import ProjectVPC, Service, User
from privatelink import placement
from privatelink.actions import (
    Saved,
    create_link,
    locked,
    recorded,
    require_provider,
    save_allow_list,
)
from privatelink.endpoint_connections import check_address_free, connection_of
from privatelink.endpoint_ip import clean_endpoint_ip
from privatelink.models import AzurePrivateLink, PrivateLink, PrivateLinkConnection
from privatelink.subscriptions import clean_subscriptions

State = PrivateLinkConnection.State
# A connection the user may give an address: approved by the user, or already in use.
ADDRESSABLE = (State.USER_APPROVED, State.CONNECTED, State.ACTIVE)


def create_azure_privatelink(
    service: Service,
    subscription_ids: Iterable[object] | None,
    *,
    actor: User | None,
    request: HttpRequest | None = None,
) -> Saved:
    """Create the service's Azure PrivateLink (state `creating`). Conflict if one exists."""
    cleaned = clean_subscriptions(subscription_ids)
    require_provider(service, "azure")

    def check_room(vpc: ProjectVPC) -> None:
        placement.check_project_share(vpc.project_id, vpc.cloud)

    return create_link(
        service,
        cleaned,
        {"user_subscription_ids": cleaned},
        check_room,
        actor=actor,
        request=request,
        add_details=lambda link: AzurePrivateLink.objects.create(privatelink=link),
    )


class StaleEdit(Conflict):
    """The list was changed since the editor read it: the edit is refused, not merged."""


def edit_subscriptions(
    privatelink: PrivateLink,
    change: Callable[[list[str]], Iterable[object]],
    *,
    actor: User | None,
    request: HttpRequest | None = None,
    expected_digest: str | None = None,
) -> Saved:
    """Apply `change` to the allowed subscriptions as they are inside the transaction; an
    unchanged list saves nothing. With expected_digest (the `principals_digest` the editor
    saw), a list changed meanwhile is refused with StaleEdit instead of being overwritten."""
    with transaction.atomic():
        current = locked(privatelink)
        if expected_digest is not None and expected_digest != current.principals_digest:
            raise StaleEdit(
                "The allowed subscriptions were changed meanwhile; reload to see the current list.",
                field="user_subscription_ids",
            )
        return save_allow_list(
            current,
            clean_subscriptions(change(list(current.principals))),
            "privatelink.subscriptions",
            "user_subscription_ids",
            actor=actor,
            request=request,
        )


def replace_subscriptions(
    privatelink: PrivateLink,
    subscription_ids: Iterable[object] | None,
    *,
    actor: User | None,
    request: HttpRequest | None = None,
) -> Saved:
    """Replace the allowed subscriptions (the API's PUT); an unchanged list saves nothing."""
    cleaned = clean_subscriptions(subscription_ids)
    return edit_subscriptions(privatelink, lambda _current: cleaned, actor=actor, request=request)


def approve_connection(
    privatelink: PrivateLink,
    connection_id: str,
    *,
    actor: User | None,
    request: HttpRequest | None = None,
) -> PrivateLinkConnection:
    """Approve a customer's private endpoint waiting for it; approving one already
    approved changes nothing."""
    with transaction.atomic():
        current = locked(privatelink)
        connection = connection_of(current, connection_id, "azure")
        if connection.state != State.PENDING_USER_APPROVAL:
            return connection
        connection.save_changes(state=State.USER_APPROVED)
        current.save_desired()
        recorded(
            current,
            "privatelink.connection_approved",
            actor=actor,
            request=request,
            before={"state": State.PENDING_USER_APPROVAL},
            after={
                "privatelink_connection_id": connection_id,
                "private_endpoint_id": connection.endpoint_id,
                "state": State.USER_APPROVED,
            },
        )
        return connection


def set_connection_address(
    privatelink: PrivateLink,
    connection_id: str,
    address: object,
    *,
    actor: User | None,
    request: HttpRequest | None = None,
) -> PrivateLinkConnection:
    """Record the private endpoint's IP address, which the connection's privatelink-N host
    will resolve to; the connection becomes `active` once that record is published."""
    cleaned = clean_endpoint_ip(address)
    with transaction.atomic():
        current = locked(privatelink)
        connection = connection_of(current, connection_id, "azure")
        if connection.state not in ADDRESSABLE:
            raise Conflict(
                f"Connection {connection_id} is {connection.state}: approve it first "
                "(`avn service privatelink azure connection approve`).",
                field="privatelink_connection_id",
            )
        check_address_free(current, connection, cleaned)
        before = connection.user_ip_address
        if before == cleaned:
            return connection
        # A new address is published anew, and the connection is in use again once it is.
        connection.save_changes(
            user_ip_address=cleaned,
            dns_record_published=False,
            state=State.CONNECTED if connection.state == State.ACTIVE else connection.state,
        )
        current.save_desired()
        recorded(
            current,
            "privatelink.connection_address",
            actor=actor,
            request=request,
            before={"user_ip_address": before},
            after={"privatelink_connection_id": connection_id, "user_ip_address": cleaned},
        )
        return connection
