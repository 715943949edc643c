"""What a user asked of a Google PrivateLink (Private Service Connect): its creation, its
connections' approval with the endpoint's address, and the admin's edit of its projects.
As `privatelink.actions`: validate, write desired state and an audit event in one
transaction, reconcile on commit; nothing here calls Google.

Google accepts each endpoint on its own: a customer's PSC endpoint is found by the sweep or
a refresh as `pending-user-approval`; the user approves it with the endpoint's IP address
(`user-approved`), and the engine puts that endpoint, and no other of its project, on the
service attachment's accept list. Google then accepts it (`connected`) and its
privatelink-N host resolves to the address (`active`). The link's allow-list
(`PrivateLink.principals`, empty at creation) records the projects of approved endpoints;
it grants nothing in Google, so another endpoint of a listed project still waits for its
own approval.
"""

from collections.abc import Iterable

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
from privatelink.google_projects import clean_projects
from privatelink.models import GooglePrivateLink, PrivateLink, PrivateLinkConnection

State = PrivateLinkConnection.State


def create_google_privatelink(
    service: Service, *, actor: User | None, request: HttpRequest | None = None
) -> Saved:
    """Create the service's Google PrivateLink (state `creating`), accepting no project
    yet. Conflict if one exists, or if the project's limit or the platform project's
    service attachments in the region cannot hold it."""
    require_provider(service, "google")

    def check_room(vpc: ProjectVPC) -> None:
        placement.check_room_for_google_privatelink(vpc)

    return create_link(
        service,
        [],
        {"accepted_projects": []},
        check_room,
        actor=actor,
        request=request,
        add_details=lambda link: GooglePrivateLink.objects.create(privatelink=link),
    )


def _refuse_approved(connection: PrivateLinkConnection) -> Conflict:
    # As the platform: an approval is given once. The address is where the endpoint
    # already is in the customer's network, so it is not edited afterwards either.
    address = f" with address {connection.user_ip_address}" if connection.user_ip_address else ""
    return Conflict(
        f"Connection {connection.privatelink_connection_id} is already {connection.state}"
        f"{address}. To use another address, create a new PSC endpoint in Google Cloud and "
        "approve its connection.",
        field="privatelink_connection_id",
    )


def approve_connection(
    privatelink: PrivateLink,
    connection_id: str,
    address: object,
    *,
    actor: User | None,
    request: HttpRequest | None = None,
) -> PrivateLinkConnection:
    """Approve a customer's PSC endpoint waiting for it, at `address` (its IP in the
    customer's network): the endpoint joins the accept list, its project the allow-list."""
    cleaned = clean_endpoint_ip(address)
    with transaction.atomic():
        current = locked(privatelink)
        if current.state == PrivateLink.State.CREATING:
            raise Conflict(
                f"The Google PrivateLink of {current.service.name} is still being created; "
                "approve once `avn service privatelink google get` shows it active."
            )
        connection = connection_of(current, connection_id, "google")
        if connection.state != State.PENDING_USER_APPROVAL:
            raise _refuse_approved(connection)
        project = connection.owner.strip().lower()
        if not project:
            raise Conflict(
                f"The Google project of connection {connection_id} is not known yet; run "
                "`avn service privatelink google refresh` and approve it again.",
                field="privatelink_connection_id",
            )
        check_address_free(current, connection, cleaned)
        before = list(current.principals)
        current.principals = sorted({*before, project})
        connection.save_changes(state=State.USER_APPROVED, user_ip_address=cleaned)
        current.save_desired("principals")
        recorded(
            current,
            "privatelink.connection_approved",
            actor=actor,
            request=request,
            before={"state": State.PENDING_USER_APPROVAL, "accepted_projects": before},
            after={
                "privatelink_connection_id": connection_id,
                "psc_connection_id": connection.endpoint_id,
                "user_ip_address": cleaned,
                "state": State.USER_APPROVED,
                "accepted_projects": current.principals,
            },
        )
        return connection


def replace_projects(
    privatelink: PrivateLink,
    projects: Iterable[object] | None,
    *,
    actor: User | None,
    request: HttpRequest | None = None,
) -> Saved:
    """Replace the projects of the allow-list (the admin's edit); an unchanged list saves
    nothing. Approved endpoints stay accepted: each is accepted on its own."""
    cleaned = clean_projects(projects)
    with transaction.atomic():
        current = locked(privatelink)
        require_provider(current.service, "google")
        return save_allow_list(
            current,
            cleaned,
            "privatelink.accepted_projects",
            "accepted_projects",
            actor=actor,
            request=request,
        )
