"""Writing the audit trail: who changed what, from where, before and after."""

from typing import Any

from django.http import HttpRequest

from console.models import AuditEvent, Project, Service, User
from console.proxies import client_address

SYSTEM = "system"


def record(
    action: str,
    *,
    project: Project | None,
    service: Service | None = None,
    actor: User | None = None,
    request: HttpRequest | None = None,
    before: Any = None,
    after: Any = None,
) -> AuditEvent:
    """Record one event; without an actor it is a system event."""
    return AuditEvent.objects.create(
        project=project,
        service=service,
        service_name=service.name if service else "",
        actor=actor,
        actor_label=actor.email if actor else SYSTEM,
        kind=AuditEvent.Kind.AUDIT if actor else AuditEvent.Kind.SYSTEM,
        action=action,
        before=before,
        after=after,
        ip=client_address(request) if request else None,
        request_id=getattr(request, "request_id", "") if request else "",
    )


def record_for_service(
    action: str,
    service: Service,
    *,
    actor: User | None,
    request: HttpRequest | None = None,
    before: Any = None,
    after: Any = None,
) -> AuditEvent:
    """Record one event about a service, filed under the service's project."""
    return record(
        action,
        project=service.project,
        service=service,
        actor=actor,
        request=request,
        before=before,
        after=after,
    )
