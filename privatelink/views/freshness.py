"""Conditional answers for polled fragments: an unchanged poll answers 304 from tokens in
the shared cache, without a database query and without loading the user.

The ETag covers everything that changes what a fragment shows to this viewer: the
service's change token (console.changes: replaced whenever a row the pages show changes),
the URL, the viewer and their role, the CSRF secret the fragment's forms carry, and the
templates. The fast path (`unchanged`) answers 304 only from an access decision that the
full access check made for this session after the user's latest membership change, so a
removed member falls through to the check and its 404 at once, and an outsider, for whom
no decision is ever kept, never learns whether anything changed.
"""

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.core.cache import cache as shared_cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

from console import changes

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "privatelink"


@cache
def _code_stamp() -> str:
    # A deploy that changes a fragment's template, or one it includes (the console's
    # copy buttons and credentials), must not be answered with 304.
    folders = (TEMPLATES, Path(settings.BASE_DIR) / "templates" / "console")
    return str(max(path.stat().st_mtime_ns for f in folders for path in f.glob("*.html")))


@dataclass(frozen=True)
class Viewer:
    """Who the session says is asking, read from the session alone (no user row)."""

    user_id: str
    session_hash: str

    def decision_key(self, access_token: str, project: str) -> str:
        # The session's hash is that of the password it logged in with: a session left
        # over from before a password change never matches a newer session's decision.
        return f"access:{self.user_id}:{access_token}:{self.session_hash[:16]}:{project}"


def viewer_of(request: HttpRequest) -> Viewer | None:
    user_id, session_hash = request.session.get(SESSION_KEY), request.session.get(HASH_SESSION_KEY)
    if user_id is None or session_hash is None:
        return None
    return Viewer(str(user_id), str(session_hash))


def etag(request: HttpRequest, user_id: str, role: str, service_token: str) -> str:
    parts = [
        _code_stamp(),
        request.get_full_path(),
        user_id,
        role,
        request.META.get("CSRF_COOKIE", ""),
        service_token,
    ]
    return '"' + hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:32] + '"'


def unchanged(request: HttpRequest, project: str, service: str) -> HttpResponse | None:
    """304 when the viewer already holds the current version, decided from the cache alone
    (two round trips after the session's); None sends the request through the full check."""
    if request.method != "GET" or not request.META.get("HTTP_IF_NONE_MATCH"):
        return None
    viewer = viewer_of(request)
    if viewer is None:
        return None
    access_key, id_key = (
        changes.access_key(viewer.user_id),
        changes.service_id_key(project, service),
    )
    found = shared_cache.get_many([access_key, id_key])
    if access_key not in found or id_key not in found:
        return None
    decision_key = viewer.decision_key(found[access_key], project)
    service_key = changes.service_key(found[id_key])
    found = shared_cache.get_many([decision_key, service_key])
    if decision_key not in found or service_key not in found:
        return None
    return not_modified(
        request, etag(request, viewer.user_id, found[decision_key], found[service_key])
    )


@dataclass(frozen=True)
class Tokens:
    """The tokens the full check reads before the database, so that a change committed
    while it reads gives the next poll a different ETag."""

    viewer: Viewer | None
    access: str
    # None when the service's id is not known yet: that answer then carries no ETag.
    service: str | None
    service_id: int | None


def tokens_before_reading(request: HttpRequest, project: str, service: str) -> Tokens:
    viewer = viewer_of(request)
    access = changes.current(changes.access_key(viewer.user_id)) if viewer else ""
    service_id = shared_cache.get(changes.service_id_key(project, service))
    token = changes.current(changes.service_key(service_id)) if service_id is not None else None
    return Tokens(viewer, access, token, service_id)


def validators_after_check(
    request: HttpRequest, tokens: Tokens, project: str, service_id: int, role: str
) -> str | None:
    """After the access check passed: keep its decision for the fast path and return the
    ETag, or None when the tokens read before cannot vouch for what was read."""
    if tokens.viewer is None:
        return None
    shared_cache.set(
        tokens.viewer.decision_key(tokens.access, project), role, changes.TIMEOUT_SECONDS
    )
    if tokens.service is None or tokens.service_id != service_id:
        # The service's id was not known before the read (the access check remembers it
        # now): this answer is not conditional, the next one is.
        return None
    return etag(request, tokens.viewer.user_id, role, tokens.service)


def not_modified(request: HttpRequest, tag: str) -> HttpResponse | None:
    """304 when the client already holds this version, else None (render it)."""
    if request.method not in ("GET", "HEAD"):
        return None
    response = get_conditional_response(request, etag=tag)
    if response is not None:
        mark(response, tag)
    return response


def mark(response: HttpResponse, tag: str | None) -> None:
    """Validators on the answer; `no-cache` makes the browser revalidate every poll, which
    the fragment's own XHR then sees as the stored answer."""
    if tag is not None:
        response["ETag"] = tag
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Cookie", "HX-Request"])
