"""What a user asked of a PrivateLink: validate, write desired state and an audit event in
one transaction, and enqueue the reconcile on commit. Nothing here calls AWS.

Every function raises console.errors.ActionError subclasses (InvalidInput -> 400,
Conflict -> 409) whose message is shown as-is by the pages and the API; `field` names the
action's own input ("principals"), and each caller maps it to a field of its form.

The actor is the signed-in user who asked, or None for the system (scripts, the demo).
"""

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.http import HttpRequest

from console import actions as console_actions
from console import audit_log, catalog
from console.errors import Conflict, InvalidInput, echo
from console.models import ProjectVPC, Service, User
from privatelink import placement, queue
from privatelink.engine import planner
from privatelink.models import PrivateLink, PrivateLinkConnection
from privatelink.principals import clean_principal, clean_principals, covers_account


@dataclass
class ReconcileTicket:
    """The reconcile an action queues on commit. `reached` stays None until the commit
    publishes it, then says whether the broker took it."""

    service_id: int
    provider: str
    reached: bool | None = None

    def publish(self) -> None:
        self.reached = queue.reconcile_service(self.service_id, self.provider)


@dataclass(frozen=True)
class Saved:
    """What an action left in the database, and its reconcile (None: nothing changed)."""

    link: PrivateLink
    reconcile: ReconcileTicket | None = None

    @property
    def queued(self) -> bool | None:
        """None until committed (or with nothing to do), then whether the reconcile reached
        the queue: False means the broker was down; the change is saved and the periodic
        sweep carries it out."""
        return self.reconcile.reached if self.reconcile else None


def reconcile_on_commit(privatelink: PrivateLink) -> ReconcileTicket:
    ticket = ReconcileTicket(privatelink.service_id, queue.provider_of(privatelink.service.cloud))
    transaction.on_commit(ticket.publish)
    return ticket


def locked(privatelink: PrivateLink) -> PrivateLink:
    """The row re-read inside the transaction (locked on PostgreSQL; SQLite's IMMEDIATE
    transactions already serialise writers), refusing changes to one being deleted."""
    current = (
        PrivateLink.objects.select_for_update()
        .select_related("service__project")
        .filter(pk=privatelink.pk)
        .first()
    )
    if current is None:
        raise Conflict("This PrivateLink has been deleted.")
    if current.state == PrivateLink.State.DELETING:
        raise Conflict("This PrivateLink is being deleted and can no longer be changed.")
    return current


def _check_digest(current: PrivateLink, expected_digest: str | None) -> None:
    if expected_digest is not None and expected_digest != current.principals_digest:
        raise Conflict(
            "The allowed principals were changed meanwhile; reload to see the current list.",
            field="principals",
        )


def _save_desired(
    current: PrivateLink,
    field: str,
    action: str,
    *,
    actor: User | None,
    request: HttpRequest | None,
    before: dict[str, Any],
    after: dict[str, Any] | None = None,
) -> Saved:
    """Save one changed field of desired state as a new generation, with its audit event,
    and queue the reconcile on commit."""
    current.save_desired(field)
    return recorded(current, action, actor=actor, request=request, before=before, after=after)


def recorded(
    current: PrivateLink,
    action: str,
    *,
    actor: User | None,
    request: HttpRequest | None,
    before: dict[str, Any],
    after: dict[str, Any] | None = None,
) -> Saved:
    """The audit event of a saved change, and its reconcile queued on commit."""
    audit_log.record(
        action,
        project=current.service.project,
        service=current.service,
        actor=actor,
        request=request,
        before=before,
        after=after,
    )
    return Saved(current, reconcile_on_commit(current))


def _edit_principals(
    privatelink: PrivateLink,
    change: Callable[[list[str]], list[str]],
    *,
    actor: User | None,
    request: HttpRequest | None,
    expected_digest: str | None,
    note: dict[str, Any] | None = None,
) -> Saved:
    """Apply `change` to the list as it is inside the transaction; an unchanged list saves
    nothing. `note`: what `change` found worth recording beside the new list in the audit
    event."""
    with transaction.atomic():
        current = locked(privatelink)
        # IAM principals are AWS's allow-list; an Azure link's is its subscriptions.
        require_provider(current.service, "aws")
        _check_digest(current, expected_digest)
        principals = change(list(current.principals))
        return save_allow_list(
            current,
            principals,
            "privatelink.principals",
            "principals",
            actor=actor,
            request=request,
            note=note,
        )


def save_allow_list(
    current: PrivateLink,
    listed: list[str],
    action: str,
    key: str,
    *,
    actor: User | None,
    request: HttpRequest | None,
    note: dict[str, Any] | None = None,
) -> Saved:
    """Make `listed` the allow-list of the locked link, as a new generation with its audit
    event (the lists before and after under `key`, the cloud's own word for them); an
    unchanged list saves nothing."""
    before = list(current.principals)
    if listed == before:
        return Saved(current)
    current.principals = listed
    return _save_desired(
        current,
        "principals",
        action,
        actor=actor,
        request=request,
        before={key: before},
        after={key: listed, **(note or {})},
    )


def require_provider(service: Service, provider: str) -> None:
    """Refuse a PrivateLink of one cloud for a service running in another's."""
    cloud = catalog.get_cloud(service.cloud)
    if cloud.provider != provider:
        raise InvalidInput(
            f"{service.name} runs in {service.cloud}, a {cloud.provider_description} cloud; "
            f"its PrivateLink is made with `avn service privatelink {cloud.provider} create`."
        )


def create_privatelink(
    service: Service,
    principals: Iterable[str] | None,
    *,
    actor: User | None,
    request: HttpRequest | None = None,
) -> Saved:
    """Create the service's AWS PrivateLink (state `creating`). Conflict if one exists."""
    cleaned = clean_principals(principals)
    require_provider(service, "aws")

    def check_room(vpc: ProjectVPC) -> None:
        ports = planner.enabled_ports(service)
        node_count = service.nodes.count()
        planner.check_listener_budget(ports, node_count, 1)
        # The account's last NLB cannot be taken twice: counted in the create's transaction.
        placement.check_room_for_privatelink(vpc, planner.listener_count(ports, node_count, 1))

    return create_link(
        service, cleaned, {"principals": cleaned}, check_room, actor=actor, request=request
    )


def create_link(
    service: Service,
    allow_list: list[str],
    audit_after: dict[str, Any],
    check_room: Callable[[ProjectVPC], None],
    *,
    actor: User | None,
    request: HttpRequest | None,
    add_details: Callable[[PrivateLink], object] | None = None,
) -> Saved:
    """The create of every cloud: checks, then the row (state `creating`) with its audit
    event and reconcile, in one transaction. `check_room` refuses, inside it, a link the
    project's limit or the cloud's quotas cannot hold; `add_details` saves the cloud's own
    rows beside the link's."""
    if catalog.privatelink_price(service.cloud) is None:
        raise InvalidInput(f"PrivateLink is not offered in {service.cloud}.")
    vpc = service.project_vpc
    if vpc is None:
        raise InvalidInput(
            f"{service.name} does not run in a Project VPC; PrivateLink needs one. "
            "Move the service into a Project VPC first."
        )
    try:
        with transaction.atomic():
            state, has_link = (
                Service.objects.filter(pk=service.pk)
                .annotate(has_link=Exists(PrivateLink.objects.filter(service=OuterRef("pk"))))
                .values_list("state", "has_link")
                .get()
            )
            if state == Service.State.DELETING:
                raise Conflict(f"{service.name} is being terminated.")
            if has_link:
                raise Conflict(f"{service.name} already has a PrivateLink.")
            check_room(vpc)
            privatelink = PrivateLink.objects.create(service=service, principals=allow_list)
            if add_details is not None:
                add_details(privatelink)
            audit_log.record(
                "privatelink.create",
                project=service.project,
                service=service,
                actor=actor,
                request=request,
                after=audit_after,
            )
            ticket = reconcile_on_commit(privatelink)
    except IntegrityError as exc:
        # Two creates at once: the one-to-one constraint lets exactly one through.
        raise Conflict(f"{service.name} already has a PrivateLink.") from exc
    return Saved(privatelink, ticket)


def replace_principals(
    privatelink: PrivateLink,
    principals: Iterable[str] | None,
    *,
    actor: User | None,
    request: HttpRequest | None = None,
    expected_digest: str | None = None,
) -> Saved:
    """Replace the whole principal list (the API's PUT). With expected_digest (the
    PrivateLink.principals_digest the editor saw), a list changed meanwhile is refused
    with Conflict instead of being overwritten."""
    cleaned = clean_principals(principals)
    return _edit_principals(
        privatelink,
        lambda _current: cleaned,
        actor=actor,
        request=request,
        expected_digest=expected_digest,
    )


def add_principal(
    privatelink: PrivateLink,
    principal: str,
    *,
    actor: User | None,
    request: HttpRequest | None = None,
    expected_digest: str | None = None,
) -> Saved:
    """Add one principal, keeping the others (the page's editor)."""
    new = clean_principal(principal)

    def add(current: list[str]) -> list[str]:
        if new in current:
            raise InvalidInput(f"{echo(new)} is already allowed.", field="principals")
        return clean_principals([*current, new])

    return _edit_principals(
        privatelink, add, actor=actor, request=request, expected_digest=expected_digest
    )


class WouldDisconnect(Conflict):
    """Removing the principal would reject live connections the person has not confirmed."""

    def __init__(self, principal: str, connections: list[PrivateLinkConnection]) -> None:
        endpoints = ", ".join(c.endpoint_id for c in connections)
        super().__init__(
            f"Removing {principal} disconnects {endpoints}; confirm to go ahead.",
            field="principals",
        )
        self.principal = principal
        self.connections = connections


def disconnected_by(privatelink: PrivateLink, principals: list[str]) -> list[PrivateLinkConnection]:
    """The live connections the engine would reject if `principals` were the allowed list:
    those whose account no remaining principal covers."""
    return [
        connection
        for connection in privatelink.connections.live()
        if not covers_account(principals, connection.owner)
    ]


def remove_principal(
    privatelink: PrivateLink,
    principal: str,
    *,
    actor: User | None,
    request: HttpRequest | None = None,
    expected_digest: str | None = None,
    confirmed_disconnects: Collection[str] | None = None,
) -> Saved:
    """Remove one principal, keeping the others; removing the last one is refused.

    With `confirmed_disconnects` (the endpoint ids a person agreed to disconnect), a removal
    that would reject any other live connection raises WouldDisconnect, naming them, and
    changes nothing. The check runs inside the transaction, on the list as it is then."""
    gone = principal.strip()
    note: dict[str, Any] = {}

    def remove(current: list[str]) -> list[str]:
        if gone not in current:
            raise InvalidInput(
                f"{echo(gone)} is not in the allowed principals.", field="principals"
            )
        if len(current) == 1:
            raise InvalidInput(
                "A PrivateLink needs at least one allowed principal; add another one first, "
                "or delete the PrivateLink.",
                field="principals",
            )
        remaining = [p for p in current if p != gone]
        if confirmed_disconnects is not None:
            cut = disconnected_by(privatelink, remaining)
            if any(c.endpoint_id not in confirmed_disconnects for c in cut):
                raise WouldDisconnect(gone, cut)
            if cut:
                note["disconnects"] = [c.endpoint_id for c in cut]
        return remaining

    return _edit_principals(
        privatelink,
        remove,
        actor=actor,
        request=request,
        expected_digest=expected_digest,
        note=note,
    )


def delete_privatelink(
    privatelink: PrivateLink, *, actor: User | None, request: HttpRequest | None = None
) -> Saved:
    """Mark for deletion (state `deleting`); the reconciler tears down and removes the row."""
    with transaction.atomic():
        current = locked(privatelink)
        current.mark_deleting()
        return recorded(
            current,
            "privatelink.delete",
            actor=actor,
            request=request,
            before={"principals": current.principals},
        )


def refresh_connections(
    privatelink: PrivateLink, *, actor: User | None, request: HttpRequest | None = None
) -> Saved:
    """Ask for the connections to be re-read from AWS now."""
    with transaction.atomic():
        current = locked(privatelink)
        return Saved(current, reconcile_on_commit(current))


def set_component_access(
    service: Service,
    access: dict[str, bool],
    *,
    kafka_authentication: dict[str, bool] | None = None,
    actor: User | None,
    request: HttpRequest | None = None,
) -> Service:
    """Switch privatelink access of components on or off (`{"kafka": True}`), and Kafka's
    client authentication methods when given (`{"sasl": True}`), through the service's
    user config, so that the page, the API and `avn service update` agree."""
    change: dict[str, Any] = {"privatelink_access": dict(access)}
    if kafka_authentication is not None:
        change["kafka_authentication_methods"] = dict(kafka_authentication)
    return console_actions.update_user_config(service, change, actor=actor, request=request)


def retry_reconcile(
    privatelink: PrivateLink, *, actor: User | None, request: HttpRequest | None = None
) -> bool:
    """Reconcile now, also retrying a change that failed; False if the broker refused it.

    Published at once rather than on commit, so that the caller can say how many went out.
    """
    with transaction.atomic():
        privatelink.clear_failure()
        audit_log.record_for_service(
            "privatelink.reconcile_requested",
            privatelink.service,
            actor=actor,
            request=request,
        )
    return queue.reconcile_service(
        privatelink.service_id, queue.provider_of(privatelink.service.cloud)
    )
