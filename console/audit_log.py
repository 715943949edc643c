"""Writing the audit trail (who changed what, from where, before and after) and reading
back what an event changed."""

import json
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


def _as_text(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def event_changes(event: AuditEvent) -> list[tuple[str, str, str]]:
    """(key, before, after) of what an event changed; keys equal on both sides are left out,
    so a user-config edit reads as `privatelink_access.kafka: false -> true`."""
    before, after = event.before, event.after
    if isinstance(before, dict) or isinstance(after, dict):
        flat_before, flat_after = _flatten(before or {}), _flatten(after or {})
        return [
            (
                key,
                _as_text(flat_before[key]) if key in flat_before else "",
                _as_text(flat_after[key]) if key in flat_after else "",
            )
            for key in sorted(flat_before.keys() | flat_after.keys())
            if flat_before.get(key) != flat_after.get(key) or key not in flat_before
        ]
    return (
        [
            (
                "",
                "" if before is None else _as_text(before),
                "" if after is None else _as_text(after),
            )
        ]
        if (before, after) != (None, None)
        else []
    )


def _flatten(value: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, item in value.items():
        if isinstance(item, dict) and item:
            flat.update(_flatten(item, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = item
    return flat
