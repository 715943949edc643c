"""How console changes reach privatelink: the user-config check and the signal receivers.

Connected once from PrivateLinkConfig.ready(); console never imports privatelink.
"""

from typing import Any

from console import nodes, signals, user_config
from console.models import ProjectVPC, Service
from privatelink import actions, queue


def on_user_config_changed(
    sender: object, *, service: Service, before: dict[str, Any], after: dict[str, Any], **_: Any
) -> None:
    if (before or {}).get("privatelink_access") == (after or {}).get("privatelink_access"):
        return
    privatelink = actions.mark_changed(service)
    if privatelink is not None:
        queue.reconcile_service(service.pk)


def on_service_nodes_changed(sender: object, *, service: Service, **_: Any) -> None:
    """Nodes added, removed or given a new IP: the PrivateLink's listeners and targets follow."""
    if actions.mark_changed(service) is not None:
        queue.reconcile_service(service.pk)


def on_service_terminating(sender: object, *, service: Service, **_: Any) -> None:
    """Tear the PrivateLink down first; the reconcile of the service then deletes its row."""
    actions.delete_for_termination(service)
    queue.reconcile_service(service.pk)


def on_project_vpc_requested(sender: object, *, project_vpc: ProjectVPC, **_: Any) -> None:
    actions.vpc_requested(project_vpc)


def connect() -> None:
    user_config.register_check(actions.check_privatelink_access)
    nodes.register_scaling_check(actions.check_scaling)
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
