"""What a user asked of a PrivateLink: validate, write desired state and an audit event in
one transaction, and enqueue the reconcile on commit. Nothing here calls AWS.

Every function raises console.errors.ActionError subclasses (InvalidInput -> 400,
Conflict -> 409) whose message is shown as-is by the pages and the API.

After a write, `privatelink.queued` tells whether the reconcile reached the queue: False
means the broker was down; the change is saved and the periodic sweep carries it out.
"""

from collections.abc import Callable, Collection, Iterable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from console import actions as console_actions
from console import audit_log, catalog
from console.errors import Conflict, InvalidInput, echo
from console.models import ProjectVPC, Service, User
from privatelink import placement, queue
from privatelink.engine import planner
from privatelink.models import PrivateLink, PrivateLinkConnection
from privatelink.principals import clean_principal, clean_principals, covers_account

# Pages pass request.user as it comes; an anonymous or missing user is recorded as "system".
Actor = User | AnonymousUser | None


def person(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


def _enqueue_on_commit(privatelink: PrivateLink) -> None:
    privatelink.queued = None
    service_id = privatelink.service_id

    def publish() -> None:
        privatelink.queued = queue.reconcile_service(service_id)

    transaction.on_commit(publish)


def _locked(privatelink: PrivateLink) -> PrivateLink:
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
    actor: Actor,
    request: HttpRequest | None,
    before: dict[str, Any],
    after: dict[str, Any] | None = None,
) -> None:
    """Save one changed field of desired state as a new generation, with its audit event,
    and queue the reconcile on commit."""
    current.bump_generation()
    current.save(update_fields=[field, "generation", "desired_changed", "updated"])
    current.refresh_from_db(fields=["generation"])
    audit_log.record(
        action,
        project=current.service.project,
        service=current.service,
        actor=person(actor),
        request=request,
        before=before,
        after=after,
    )
    _enqueue_on_commit(current)


def _save_principals(
    current: PrivateLink,
    principals: list[str],
    *,
    actor: Actor,
    request: HttpRequest | None,
    note: dict[str, Any] | None = None,
) -> PrivateLink:
    before = list(current.principals)
    if principals == before:
        current.queued = None
        return current
    current.principals = principals
    _save_desired(
        current,
        "principals",
        "privatelink.principals",
        actor=actor,
        request=request,
        before={"principals": before},
        after={"principals": principals, **(note or {})},
    )
    return current


def _edit_principals(
    privatelink: PrivateLink,
    change: Callable[[list[str]], list[str]],
    *,
    actor: Actor,
    request: HttpRequest | None,
    expected_digest: str | None,
    note: dict[str, Any] | None = None,
) -> PrivateLink:
    """`note`: what `change` found worth recording beside the new list in the audit event."""
    with transaction.atomic():
        current = _locked(privatelink)
        _check_digest(current, expected_digest)
        principals = change(list(current.principals))
        return _save_principals(
            current, principals, actor=person(actor), request=request, note=note
        )


def create_privatelink(
    service: Service,
    principals: Iterable[str] | None,
    *,
    actor: Actor,
    request: HttpRequest | None = None,
) -> PrivateLink:
    """Create the service's PrivateLink (state `creating`). Conflict if one exists."""
    cleaned = clean_principals(principals)
    if catalog.privatelink_price(service.cloud) is None:
        raise InvalidInput(f"PrivateLink is not offered in {service.cloud}.")
    if service.project_vpc is None:
        raise InvalidInput(
            f"{service.name} does not run in a Project VPC; PrivateLink needs one. "
            "Move the service into a Project VPC first."
        )
    components = planner.enabled_components(service)
    node_count = service.nodes.count()
    planner.check_listener_budget(components, node_count, 1)
    try:
        with transaction.atomic():
            if Service.objects.filter(pk=service.pk, state=Service.State.DELETING).exists():
                raise Conflict(f"{service.name} is being terminated.")
            if PrivateLink.objects.filter(service=service).exists():
                raise Conflict(f"{service.name} already has a PrivateLink.")
            # Counted and saved in one transaction, so two creates cannot both take the
            # account's last NLB.
            placement.check_room_for_privatelink(
                service.project_vpc, planner.listener_count(components, node_count, 1)
            )
            privatelink = PrivateLink.objects.create(service=service, principals=cleaned)
            audit_log.record(
                "privatelink.create",
                project=service.project,
                service=service,
                actor=person(actor),
                request=request,
                after={"principals": cleaned},
            )
            _enqueue_on_commit(privatelink)
    except IntegrityError as exc:
        # Two creates at once: the one-to-one constraint lets exactly one through.
        raise Conflict(f"{service.name} already has a PrivateLink.") from exc
    return privatelink


def replace_principals(
    privatelink: PrivateLink,
    principals: Iterable[str] | None,
    *,
    actor: Actor,
    request: HttpRequest | None = None,
    expected_digest: str | None = None,
) -> PrivateLink:
    """Replace the whole principal list (the API's PUT). With expected_digest (the
    PrivateLink.principals_digest the editor saw), a list changed meanwhile is refused
    with Conflict instead of being overwritten."""
    cleaned = clean_principals(principals)
    return _edit_principals(
        privatelink,
        lambda _current: cleaned,
        actor=person(actor),
        request=request,
        expected_digest=expected_digest,
    )


def add_principal(
    privatelink: PrivateLink,
    principal: str,
    *,
    actor: Actor,
    request: HttpRequest | None = None,
    expected_digest: str | None = None,
) -> PrivateLink:
    """Add one principal, keeping the others (the page's editor)."""
    new = _as_principal_field(clean_principal, principal)

    def add(current: list[str]) -> list[str]:
        if new in current:
            raise InvalidInput(f"{echo(new)} is already allowed.", field="principal")
        return _as_principal_field(clean_principals, [*current, new])

    return _edit_principals(
        privatelink, add, actor=person(actor), request=request, expected_digest=expected_digest
    )


class WouldDisconnect(Conflict):
    """Removing the principal would reject live connections the person has not confirmed."""

    def __init__(self, principal: str, connections: list[PrivateLinkConnection]) -> None:
        endpoints = ", ".join(c.vpc_endpoint_id for c in connections)
        super().__init__(
            f"Removing {principal} disconnects {endpoints}; confirm to go ahead.",
            field="principal",
        )
        self.principal = principal
        self.connections = connections


def disconnected_by(privatelink: PrivateLink, principals: list[str]) -> list[PrivateLinkConnection]:
    """The live connections the engine would reject if `principals` were the allowed list:
    those whose account no remaining principal covers."""
    return [
        connection
        for connection in privatelink.connections.live()
        if not covers_account(principals, connection.owner_account)
    ]


def remove_principal(
    privatelink: PrivateLink,
    principal: str,
    *,
    actor: Actor,
    request: HttpRequest | None = None,
    expected_digest: str | None = None,
    confirmed_disconnects: Collection[str] | None = None,
) -> PrivateLink:
    """Remove one principal, keeping the others; removing the last one is refused.

    With `confirmed_disconnects` (the endpoint ids a person agreed to disconnect), a removal
    that would reject any other live connection raises WouldDisconnect, naming them, and
    changes nothing. The check runs inside the transaction, on the list as it is then."""
    gone = principal.strip() if isinstance(principal, str) else principal
    note: dict[str, Any] = {}

    def remove(current: list[str]) -> list[str]:
        if gone not in current:
            raise InvalidInput(f"{echo(gone)} is not in the allowed principals.", field="principal")
        if len(current) == 1:
            raise InvalidInput(
                "A PrivateLink needs at least one allowed principal; add another one first, "
                "or delete the PrivateLink.",
                field="principal",
            )
        remaining = [p for p in current if p != gone]
        if confirmed_disconnects is not None:
            cut = disconnected_by(privatelink, remaining)
            if any(c.vpc_endpoint_id not in confirmed_disconnects for c in cut):
                raise WouldDisconnect(gone, cut)
            if cut:
                note["disconnects"] = [c.vpc_endpoint_id for c in cut]
        return remaining

    return _edit_principals(
        privatelink,
        remove,
        actor=person(actor),
        request=request,
        expected_digest=expected_digest,
        note=note,
    )


def _as_principal_field[T](check: Callable[[Any], T], value: Any) -> T:
    """Run a principals check, naming the page's single-entry field in its error."""
    try:
        return check(value)
    except InvalidInput as exc:
        raise InvalidInput(exc.message, field="principal") from exc


def delete_privatelink(
    privatelink: PrivateLink, *, actor: Actor, request: HttpRequest | None = None
) -> PrivateLink:
    """Mark for deletion (state `deleting`); the reconciler tears down and removes the row."""
    with transaction.atomic():
        current = _locked(privatelink)
        current.state = PrivateLink.State.DELETING
        _save_desired(
            current,
            "state",
            "privatelink.delete",
            actor=actor,
            request=request,
            before={"principals": current.principals},
        )
    return current


def refresh_connections(
    privatelink: PrivateLink, *, actor: Actor, request: HttpRequest | None = None
) -> None:
    """Ask for the connections to be re-read from AWS now."""
    with transaction.atomic():
        current = _locked(privatelink)
        _enqueue_on_commit(current)
    privatelink.queued = current.queued


def set_component_access(
    service: Service,
    access: dict[str, bool],
    *,
    actor: Actor,
    request: HttpRequest | None = None,
) -> Service:
    """Switch privatelink access of components on or off (`{"kafka": True}`), through the
    service's user config, so that the page, the API and `avn service update` agree."""
    return console_actions.update_user_config(
        service, {"privatelink_access": dict(access)}, actor=person(actor), request=request
    )


def check_privatelink_access(service: Service, config: dict[str, Any]) -> None:
    """User-config check: components newly switched on need a PrivateLink that is not being
    deleted, and everything switched on must fit in one NLB's listeners."""
    wanted: dict[str, Any] = config.get("privatelink_access") or {}
    current: dict[str, Any] = service.user_config.get("privatelink_access") or {}
    if wanted == current:
        return
    kind = service.type
    for name in wanted:
        component = kind.component(name)
        if component is None or not component.privatelink:
            raise InvalidInput(
                f"{kind.label} has no component {name} that can be reached over PrivateLink.",
                field=f"user_config.privatelink_access.{name}",
            )
    switched_on = [n for n, enabled in wanted.items() if enabled and not current.get(n)]
    if not switched_on:
        return
    field = f"user_config.privatelink_access.{switched_on[0]}"
    privatelink = PrivateLink.objects.filter(service=service).first()
    if privatelink is None:
        raise InvalidInput(
            f"{service.name} has no PrivateLink; create one before enabling privatelink "
            f"access for {', '.join(switched_on)}.",
            field=field,
        )
    if privatelink.state == PrivateLink.State.DELETING:
        raise Conflict(
            f"The PrivateLink of {service.name} is being deleted; components cannot be "
            "enabled on it.",
            field=field,
        )
    access = {name: bool(enabled) for name, enabled in wanted.items()}
    connections = privatelink.connections.live().count()
    try:
        planner.check_listener_budget(
            planner.enabled_components(service, access), service.nodes.count(), connections
        )
    except InvalidInput as exc:
        raise InvalidInput(exc.message, field=field) from exc


def check_scaling(service: Service, node_count: int) -> None:
    """Scaling check: the service's PrivateLink must still fit in one NLB's listeners with
    `node_count` nodes (one listener per broker and connection for per-node components)."""
    privatelink = PrivateLink.objects.filter(service=service).first()
    if privatelink is None:
        return
    connections = privatelink.connections.live().count()
    planner.check_listener_budget(planner.enabled_components(service), node_count, connections)


def delete_for_termination(service: Service) -> None:
    """A terminating service's PrivateLink is deleted first, in the same order as a user's
    delete; the reconciler removes the service's row once AWS is clean."""
    with transaction.atomic():
        link = (
            PrivateLink.objects.select_for_update()
            .exclude(state=PrivateLink.State.DELETING)
            .filter(service=service)
            .first()
        )
        if link is None:
            return
        link.state = PrivateLink.State.DELETING
        link.bump_generation()
        link.save(update_fields=["state", "generation", "updated"])
        audit_log.record(
            "privatelink.delete",
            project=service.project,
            service=service,
            before={"principals": link.principals},
            after={"reason": "the service is being terminated"},
        )


def mark_changed(service: Service) -> PrivateLink | None:
    """Bump the generation of the service's PrivateLink after a change made elsewhere
    (component access), so the sweep knows it is not carried out yet."""
    updated = (
        PrivateLink.objects.filter(service=service)
        .exclude(state=PrivateLink.State.DELETING)
        .update(generation=models.F("generation") + 1, desired_changed=timezone.now())
    )
    return PrivateLink.objects.filter(service=service).first() if updated else None


def vpc_requested(project_vpc: ProjectVPC) -> bool:
    """A Project VPC was saved: place it in a platform account, queue its build in AWS."""
    placement.account_for(project_vpc)
    return queue.reconcile_project_vpc(project_vpc.pk)


def retry_reconcile(
    privatelink: PrivateLink, *, actor: Actor, request: HttpRequest | None = None
) -> bool:
    """Reconcile now, also retrying a change that failed; False if the broker refused it.

    Published at once rather than on commit, so that the caller can say how many went out.
    """
    with transaction.atomic():
        PrivateLink.objects.filter(pk=privatelink.pk).update(failed_generation=0)
        audit_log.record_for_service(
            "privatelink.reconcile_requested",
            privatelink.service,
            actor=person(actor),
            request=request,
        )
    return queue.reconcile_service(privatelink.service_id)
