"""Conditional answers for polled fragments: an unchanged poll answers 304 without rendering.

Fragments poll every 2 s while something is in transition, and most polls find nothing
new. The validators are computed from rows the access check loads anyway (the service, the
viewer's membership and the PrivateLink, in one query), plus four small aggregates of the
connections and listeners annotated onto that same query, so a 304 costs no query of its
own. The ETag covers everything a fragment shows: the PrivateLink's generations, state and
AWS names, the counts and latest changes of its connections and listeners, the service's
user config, the viewer and their role, and the CSRF secret the fragment's forms carry.
"""

import hashlib
import json
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from django.db.models import DateTimeField, IntegerField
from django.db.models.expressions import RawSQL
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from console.models import Membership, Service
from privatelink.models import Listener, PrivateLink, PrivateLinkConnection

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "privatelink"


def _of_children(model: type[Listener] | type[PrivateLinkConnection], aggregate: str) -> RawSQL:
    # Raw SQL on purpose: the equivalent correlated Subquery costs several times the whole
    # access query's Python time to compile, on every poll. It reads the PrivateLink row
    # that `select_related("privatelink")` joins in (`poll_for` always asks for it).
    # Only table names and constants from this module go into the text, never input.
    table, parent = model._meta.db_table, PrivateLink._meta.db_table
    return RawSQL(  # noqa: S611
        f'SELECT {aggregate} FROM "{table}" WHERE "{table}"."privatelink_id" = "{parent}"."id"',  # noqa: S608
        (),
        output_field=DateTimeField() if "MAX" in aggregate else IntegerField(),
    )


# Annotations the access query carries for a fragment: a deleted listener changes the count,
# an edited or added row the latest `updated` (every row save writes it).
CHILD_ANNOTATIONS: dict[str, RawSQL] = {
    "connections_count": _of_children(PrivateLinkConnection, "COUNT(*)"),
    "connections_updated": _of_children(PrivateLinkConnection, 'MAX("updated")'),
    "listeners_count": _of_children(Listener, "COUNT(*)"),
    "listeners_updated": _of_children(Listener, 'MAX("updated")'),
}


@cache
def _code_stamp() -> str:
    # A deploy that changes a fragment's template must not be answered with 304.
    return str(max(path.stat().st_mtime_ns for path in TEMPLATES.glob("*.html")))


def _stamp(value: datetime | None) -> str:
    return value.isoformat() if value else ""


def validators(
    request: HttpRequest,
    service: Service,
    membership: Membership,
    privatelink: PrivateLink | None,
) -> tuple[str, datetime]:
    """The ETag and Last-Modified of a fragment of `service` as this viewer sees it."""
    parts: list[Any] = [
        _code_stamp(),
        request.get_full_path(),
        request.user.pk,
        membership.role,
        request.META.get("CSRF_COOKIE", ""),
        service.state,
        service.user_config,
        _stamp(service.updated),
    ]
    changed: list[datetime | None] = [service.updated]
    if privatelink is not None:
        parts += [
            privatelink.pk,
            privatelink.state,
            privatelink.generation,
            privatelink.observed_generation,
            privatelink.failed_generation,
            privatelink.last_error,
            privatelink.aws_service_id,
            privatelink.aws_service_name,
            privatelink.nlb_state,
            privatelink.endpoint_service_state,
            privatelink.principals,
            _stamp(privatelink.updated),
            _stamp(privatelink.last_reconciled),
        ]
        changed += [privatelink.updated, privatelink.last_reconciled]
    for name in CHILD_ANNOTATIONS:
        value = getattr(service, name, None)
        parts.append(_stamp(value) if isinstance(value, datetime) else value)
        if isinstance(value, datetime):
            changed.append(value)
    digest = hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:32]
    return f'"{digest}"', max(when for when in changed if when is not None)


def not_modified(request: HttpRequest, etag: str, last_modified: datetime) -> HttpResponse | None:
    """304 when the client already holds this version, else None (render it)."""
    if request.method not in ("GET", "HEAD"):
        return None
    response = get_conditional_response(
        request, etag=etag, last_modified=int(last_modified.timestamp())
    )
    if response is not None:
        mark(response, etag, last_modified)
    return response


def mark(response: HttpResponse, etag: str, last_modified: datetime) -> None:
    """Validators on the answer; `no-cache` makes the browser revalidate every poll, which
    the fragment's own XHR then sees as the stored answer."""
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified.timestamp())
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Cookie", "HX-Request"])
