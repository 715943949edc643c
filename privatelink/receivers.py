"""How console changes reach privatelink: the user-config and scaling checks, and the signal
receivers that turn a change of the service into a change of its PrivateLink.

Connected once from PrivateLinkConfig.ready(); console never imports privatelink.
"""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from console import audit_log, changes, nodes, signals, user_config
from console.errors import InvalidInput
from console.models import ProjectVPC, Service
from privatelink import placement, queue
from privatelink.engine import planner
from privatelink.models import (
    AwsPrivateLink,
    AzurePrivateLink,
    Listener,
    PrivateLink,
    PrivateLinkConnection,
)

# The user-config keys that decide a PrivateLink's listeners.
LISTENER_KEYS = ("privatelink_access", "kafka_authentication_methods")


def check_privatelink_access(service: Service, config: dict[str, Any]) -> None:
    """User-config check: only components that can go over PrivateLink, and a change that
    adds listeners (a component, or Kafka's SASL port) must still fit in one NLB.

    No PrivateLink is needed: as on the platform, the access is stored (at the service's
    creation or later, in whatever order a Terraform plan applies) and carried out once a
    PrivateLink is active, again after a PrivateLink is deleted and created anew.
    """
    if all(config.get(key) == service.user_config.get(key) for key in LISTENER_KEYS):
        return
    wanted: dict[str, Any] = config.get("privatelink_access") or {}
    current: dict[str, Any] = service.user_config.get("privatelink_access") or {}
    kind = service.type
    for name in wanted:
        component = kind.component(name)
        if component is None or not component.privatelink:
            raise InvalidInput(
                f"{kind.label} has no component {name} that can be reached over PrivateLink.",
                field=f"user_config.privatelink_access.{name}",
            )
    switched_on = [n for n, enabled in wanted.items() if enabled and not current.get(n)]
    ports = planner.enabled_ports(service, config)
    added = [p for p in ports if p not in planner.enabled_ports(service)]
    if not added:
        return  # switching things off always fits
    first = added[0]
    field = (
        f"user_config.privatelink_access.{first.component.name}"
        if first.component.name in switched_on
        else f"user_config.kafka_authentication_methods.{first.kafka_authentication_method}"
    )
    privatelink = PrivateLink.objects.filter(service=service).first()
    # Without connections the planner counts one: the first customer endpoint must fit too.
    connections = privatelink.connections.live().count() if privatelink else 0
    try:
        planner.check_listener_budget(ports, service.nodes.count(), connections)
    except InvalidInput as exc:
        raise InvalidInput(exc.message, field=field) from exc


def check_scaling(service: Service, node_count: int) -> None:
    """Scaling check: the service's PrivateLink must still fit in one NLB's listeners with
    `node_count` nodes (one listener per broker and connection for per-node components)."""
    privatelink = PrivateLink.objects.filter(service=service).first()
    if privatelink is None:
        return
    connections = privatelink.connections.live().count()
    planner.check_listener_budget(planner.enabled_ports(service), node_count, connections)


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
        link.mark_deleting()
        audit_log.record(
            "privatelink.delete",
            project=service.project,
            service=service,
            before={"principals": link.principals},
            after={"reason": "the service is being terminated"},
        )


def mark_changed(service: Service) -> bool:
    """Bump the generation of the service's PrivateLink after a change made elsewhere
    (component access, nodes), so the sweep knows it is not carried out yet; False when
    there is no PrivateLink to change."""
    return PrivateLink.mark_changed(service)


def on_user_config_changed(
    sender: object, *, service: Service, before: dict[str, Any], after: dict[str, Any], **_: Any
) -> None:
    if all((before or {}).get(key) == (after or {}).get(key) for key in LISTENER_KEYS):
        return
    if mark_changed(service):
        queue.reconcile_service(service.pk, queue.provider_of(service.cloud))


def on_service_nodes_changed(sender: object, *, service: Service, **_: Any) -> None:
    """Nodes added, removed or given a new IP: the PrivateLink's listeners and targets follow.
    A new service's reconcile also finishes its build (REBUILDING, then RUNNING)."""
    if mark_changed(service) or service.state == Service.State.REBUILDING:
        queue.reconcile_service(service.pk, queue.provider_of(service.cloud))


def on_service_terminating(sender: object, *, service: Service, **_: Any) -> None:
    """Tear the PrivateLink down first; the reconcile of the service then deletes its row."""
    delete_for_termination(service)
    queue.reconcile_service(service.pk, queue.provider_of(service.cloud))


def on_project_vpc_requested(sender: object, *, project_vpc: ProjectVPC, **_: Any) -> None:
    """A Project VPC was saved: place it in a platform account, queue its build in AWS."""
    placement.account_for(project_vpc)
    queue.reconcile_project_vpc(project_vpc.pk, queue.provider_of(project_vpc.cloud))


# The rows of a PrivateLink that its service's pages show.
LinkRow = PrivateLinkConnection | Listener | AwsPrivateLink | AzurePrivateLink
# PrivateLink id -> service id: fixed for a row's life (the link is the service's, 1:1).
_service_of_link: dict[int, int] = {}


def service_id_of(row: LinkRow) -> int | None:
    """The service a row of a PrivateLink shows on, without a query once known."""
    known = _service_of_link.get(row.privatelink_id)
    if known is not None:
        return known
    if type(row).privatelink.is_cached(row):
        found: int | None = row.privatelink.service_id
    else:
        # None for a row deleted with its link: the link's own delete replaced the token.
        found = (
            PrivateLink.objects.filter(pk=row.privatelink_id)
            .values_list("service_id", flat=True)
            .first()
        )
    if found is not None:
        _service_of_link[row.privatelink_id] = found
    return found


def _on_link_row(sender: object, instance: LinkRow, **_: Any) -> None:
    service_id = service_id_of(instance)
    if service_id is not None:
        changes.service_changed(service_id)


def connect() -> None:
    # Pages poll cheaply by comparing the service's change token (console.changes).
    changes.on_rows_of(PrivateLink, lambda link: link.service_id)
    for model in (PrivateLinkConnection, Listener, AwsPrivateLink, AzurePrivateLink):
        for signal in (post_save, post_delete):
            signal.connect(_on_link_row, sender=model, dispatch_uid=f"changes-{model}-{signal}")
    user_config.register_check(check_privatelink_access)
    nodes.register_scaling_check(check_scaling)
    signals.service_terminating.connect(
        on_service_terminating, dispatch_uid="privatelink.service_terminating"
    )
    signals.service_nodes_changed.connect(
        on_service_nodes_changed, dispatch_uid="privatelink.service_nodes_changed"
    )
    signals.user_config_changed.connect(
        on_user_config_changed, dispatch_uid="privatelink.user_config_changed"
    )
    signals.project_vpc_requested.connect(
        on_project_vpc_requested, dispatch_uid="privatelink.project_vpc_requested"
    )
