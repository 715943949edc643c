"""Conditional and kept answers for the service pages that poll or are opened often: an
unchanged poll answers 304, and an answer this viewer was given already comes back from
the shared cache, without a database query and without loading the user.

The ETag covers everything that changes what a page or fragment shows to this viewer: the
service's change token (console.changes: replaced whenever a row the pages show changes),
the URL, whether HTMX asks (a fragment or the page), the viewer and their role, the CSRF
secret the forms carry, and the templates. A kept answer is stored under the ETag and the
user's access token, so it never crosses users, roles, sessions' CSRF secrets or a change
of the user's row. The fast path (`from_cache`) answers only from an access decision that
the full access check made for this session after the user's latest membership change, so
a removed member falls through to the check and its 404 at once, and an outsider, for whom
no decision is ever kept, never learns whether anything changed.

A version is also rendered once for every viewer of a role: a polled fragment, the Overview
page and the panels other apps add to it are shared under the service's change token, the
viewer's role and what the request asks for (`Shared`). Nothing of a viewer is in a shared
answer: marks stand where its forms carry the CSRF token, where it names its viewer and
where its CSP nonce was (console.answer_marks); each request that gets it puts its own in
their place. Only a viewer the access check let in for this version is given one, by the
same decision the kept answers rely on.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, wraps
from pathlib import Path

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.core.cache import cache as shared_cache
from django.http import HttpRequest, HttpResponse
from django.template.autoreload import get_template_directories
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

from console import answer_marks as marks
from console import changes

# Answers are kept as long as the tokens that vouch for them; a changed token makes new keys.
ANSWER_TIMEOUT_SECONDS = 3600
# Headers that make an answer more than a body (an event for the page, a redirect): such
# answers are never kept.
ONE_TIME_HEADERS = ("HX-Trigger", "HX-Redirect", "HX-Location", "HX-Refresh", "Location")


@cache
def _code_stamp() -> str:
    # A deploy that changes a template must not be answered with 304 or a kept answer.
    return str(
        max(
            path.stat().st_mtime_ns
            for folder in get_template_directories()
            for path in Path(folder).glob("**/*.html")
        )
    )


@dataclass(frozen=True)
class Viewer:
    """Who the session says is asking, read from the session alone (no user row)."""

    user_id: str
    session_hash: str

    def decision_key(self, project: str) -> str:
        """Where the access check keeps its decision for this session and project, as
        (the user's access token it was made under, the role): it stands only while that
        token is the user's current one. The session's hash is that of the password it
        logged in with: a session left over from before a password change never matches
        a newer session's decision."""
        return f"access:{self.user_id}:{self.session_hash[:16]}:{project}"


def _role_decided(decision: object, access_token: str) -> str | None:
    """The role a kept decision gives, if it was made under the user's current access
    token (a membership change since replaced the token: the check must run again)."""
    if isinstance(decision, (tuple, list)) and len(decision) == 2 and decision[0] == access_token:
        return str(decision[1])
    return None


# The service ids of (project, service) names this process has seen, so that the fast path
# asks for a service's change token in the same round trip as its id. Only a guess: the id
# read in that round trip decides, and a guess found wrong costs the round trip it saved.
_SERVICE_IDS: dict[tuple[str, str], int] = {}
SERVICE_IDS_KEPT = 10_000


def _guess_service_id(project: str, service: str) -> int | None:
    return _SERVICE_IDS.get((project, service))


def _remember_service_id(project: str, service: str, service_id: int) -> None:
    if len(_SERVICE_IDS) >= SERVICE_IDS_KEPT:
        _SERVICE_IDS.clear()
    _SERVICE_IDS[(project, service)] = service_id


def viewer_of(request: HttpRequest) -> Viewer | None:
    user_id, session_hash = request.session.get(SESSION_KEY), request.session.get(HASH_SESSION_KEY)
    if user_id is None or session_hash is None:
        return None
    return Viewer(str(user_id), str(session_hash))


def _messages_waiting(request: HttpRequest) -> bool:
    # A page shows the messages waiting for it once: such an answer is neither kept nor
    # taken from the cache, and carries no validators. Messages wait in their cookie, or
    # in the session when they do not fit it (the default FallbackStorage).
    return bool(
        request.COOKIES.get(CookieStorage.cookie_name)
        or request.session.get(SessionStorage.session_key)
    )


def etag(request: HttpRequest, user_id: str, role: str, service_token: str) -> str:
    parts = [
        _code_stamp(),
        request.get_full_path(),
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-Boosted", ""),
        user_id,
        role,
        request.META.get("CSRF_COOKIE", ""),
        service_token,
    ]
    return '"' + hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:32] + '"'


def answer_key(tag: str, access_token: str) -> str:
    return f"answer:{access_token}:{tag.strip('"')}"


def from_cache(request: HttpRequest, project: str, service: str) -> HttpResponse | None:
    """304 when the viewer already holds the current version, else the answer kept for this
    viewer's current version, decided from the cache alone (one round trip after the
    session's once this process has seen the service, two for a kept answer); None sends
    the request through the full check."""
    if request.method != "GET" or _messages_waiting(request):
        return None
    viewer = viewer_of(request)
    if viewer is None:
        return None
    access_key, id_key = (
        changes.access_key(viewer.user_id),
        changes.service_id_key(project, service),
    )
    decision_key = viewer.decision_key(project)
    # One round trip when this process has seen the service: its change token asked for
    # beside its id, under the id it had then.
    guess = _guess_service_id(project, service)
    first = [access_key, id_key, decision_key]
    if guess is not None:
        first.append(changes.service_key(guess))
    found = shared_cache.get_many(first)
    read = _Read(found.get(access_key), found.get(id_key))
    # What was read here serves the full check too, if it follows (`tokens_before_reading`).
    request._freshness_read = read  # type: ignore[attr-defined]
    if read.access is None or read.service_id is None:
        return None
    read.role = _role_decided(found.get(decision_key), read.access)
    if read.service_id == guess:
        read.service = found.get(changes.service_key(guess))
    else:
        _remember_service_id(project, service, read.service_id)
        if read.role is not None:
            read.service = shared_cache.get(changes.service_key(read.service_id))
    if read.role is None or read.service is None:
        return None
    access_token = read.access
    tag = etag(request, viewer.user_id, read.role, read.service)
    if (
        request.META.get("HTTP_IF_NONE_MATCH")
        and (unchanged := not_modified(request, tag)) is not None
    ):
        return unchanged
    # One round trip for what may answer: this viewer's kept answer, else the role's shared
    # one with the viewer's name (the only thing of the viewer a shared page shows).
    keys = {"kept": answer_key(tag, access_token), "name": viewer_name_key(viewer, access_token)}
    if (shared_as := getattr(request, _SHARED_AS, None)) is not None:
        keys["shared"] = Shared(read.service_id, read.service, read.role).key(shared_as)
    found = shared_cache.get_many(list(keys.values()))
    for kind in ("kept", "shared"):
        if kind in keys and (kept := found.get(keys[kind])) is not None:
            return _answer(request, kept, tag, found.get(keys["name"]))
    return None


def _answer(
    request: HttpRequest, kept: tuple[str, str], tag: str, viewer_name: str | None
) -> HttpResponse | None:
    content_type, body = kept
    filled = marks.taken_out(request, body, viewer_name)
    if filled is None:
        return None
    response = HttpResponse(filled, content_type=content_type)
    mark(response, tag)
    return response


def keep(request: HttpRequest, response: HttpResponse, tag: str | None, access_token: str) -> None:
    """Keep a full answer for the viewer's next request of the same version."""
    if not _keepable(request, response, tag) or (
        # The forms' CSRF token must come from the secret the browser holds and the ETag
        # names: not one made for this very answer (no cookie, or one Django replaced).
        request.COOKIES.get(settings.CSRF_COOKIE_NAME) != request.META.get("CSRF_COOKIE")
    ):
        return
    assert tag is not None
    shared_cache.set(
        answer_key(tag, access_token),
        (
            response["Content-Type"],
            marks.put_in(request, response.content.decode(response.charset)),
        ),
        ANSWER_TIMEOUT_SECONDS,
    )


def _keepable(request: HttpRequest, response: HttpResponse, tag: str | None) -> bool:
    return not (
        tag is None
        or request.method != "GET"
        or response.status_code != 200
        or response.streaming
        or any(name in response for name in ONE_TIME_HEADERS)
        or _messages_waiting(request)
    )


def viewer_name_key(viewer: Viewer, access_token: str) -> str:
    # Under the access token, which a change of the user's row replaces: a new email is
    # never answered with the old one.
    return f"viewer-name:{viewer.user_id}:{access_token}"


def remember_viewer_name(request: HttpRequest, tokens: "Tokens", name: str) -> None:
    """The name a shared page puts where its viewer is named, for the fast path (which
    loads no user)."""
    if tokens.viewer is not None and shares_by_role(request):
        key = viewer_name_key(tokens.viewer, tokens.access)
        shared_cache.set(key, name, changes.TIMEOUT_SECONDS)


@dataclass(frozen=True)
class Shared:
    """What a shared answer is kept under, besides what the request asks for: the service,
    its change token read before the database, and the role the access check found."""

    service_id: int
    service_token: str
    role: str

    def key(self, name: str) -> str:
        parts = [_code_stamp(), self.service_id, self.service_token, self.role, name]
        return "shared:" + hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:40]


# Set by `answers_shared_by_role` on a view whose answers are shared by role: what the answer
# depends on besides the version and the role (the URL's path, the HTMX headers and the
# query parameters the view reads; others, which it ignores, change nothing).
_SHARED_AS = "_freshness_shared_as"


def _shared_as(request: HttpRequest, reads: tuple[str, ...]) -> str:
    return json.dumps(
        [
            request.path,
            request.headers.get("HX-Request", ""),
            request.headers.get("HX-Boosted", ""),
            [(name, request.GET.getlist(name)) for name in reads],
        ]
    )


def shares_by_role(request: HttpRequest) -> bool:
    """Whether this request's answer is shared by role: its forms are then rendered with
    a mark in place of the token (`share`, `shared_answer` put one in)."""
    return request.method == "GET" and getattr(request, _SHARED_AS, None) is not None


def share(
    request: HttpRequest,
    response: HttpResponse,
    tag: str | None,
    shared: Shared | None,
    viewer_name: str | None = None,
) -> None:
    """Keep an answer rendered with the marks for every viewer of its role (unless `shared`
    is None: the version is not vouched for), then put this request's own in their place."""
    name = getattr(request, _SHARED_AS, None)
    if not shares_by_role(request) or name is None or response.streaming:
        return
    body = response.content.decode(response.charset)
    if shared is not None and _keepable(request, response, tag):
        shared_cache.set(
            shared.key(name),
            (response["Content-Type"], marks.put_in(request, body)),
            ANSWER_TIMEOUT_SECONDS,
        )
    filled = marks.taken_out(request, body, viewer_name)
    assert filled is not None, "a page that names its viewer is shared with the viewer's name"
    response.content = filled.encode(response.charset)


def shared_answer(request: HttpRequest, tag: str, shared: Shared) -> HttpResponse | None:
    """The answer of this version rendered for a viewer of the role, with this request's
    nonce and CSRF token and this viewer's validators; None if there is none."""
    name = getattr(request, _SHARED_AS, None)
    kept = None if name is None else shared_cache.get(shared.key(name))
    if kept is None:
        return None
    return _answer(request, kept, tag, None)


def shared_panel(
    request: HttpRequest, shared: Shared | None, name: str, render: Callable[[str | None], str]
) -> str:
    """A panel of a page, rendered once for every viewer of the role while the version
    stands. `render(csrf_token)` renders it with that token (None: the page's own). In a
    page shared as a whole the marks stay, for `share` to fill."""
    if shared is None:
        return render(None)
    key = shared.key(name)
    body = shared_cache.get(key)
    if body is None:
        body = marks.put_in(request, render(marks.CSRF_MARK))
        shared_cache.set(key, body, ANSWER_TIMEOUT_SECONDS)
    if shares_by_role(request):
        return str(body)
    filled = marks.taken_out(request, body)
    assert filled is not None, "a panel never names its viewer"
    return filled


@dataclass
class _Read:
    """The tokens the fast path found (None: missing), read before any database read."""

    access: str | None
    service_id: int | None
    service: str | None = None
    role: str | None = None


@dataclass(frozen=True)
class Tokens:
    """The tokens the full check reads before the database, so that a change committed
    while it reads gives the next poll a different ETag."""

    viewer: Viewer | None
    access: str
    # None when the service's id is not known yet: that answer then carries no ETag.
    service: str | None
    service_id: int | None
    # The decision the fast path found kept for this access token, if any.
    kept_role: str | None = None

    def shared(self, tag: str | None, service_id: int, role: str) -> "Shared | None":
        """What the answer is shared by role under, when its ETag vouches for it."""
        if tag is None or self.service is None:
            return None
        return Shared(service_id, self.service, role)


def tokens_before_reading(request: HttpRequest, project: str, service: str) -> Tokens:
    """The tokens, taken from what the fast path read just before (still before any
    database read), the rest read now."""
    viewer = viewer_of(request)
    read = getattr(request, "_freshness_read", None) or _Read(None, None)
    access = read.access
    if viewer is None:
        access = ""
    elif access is None:
        access = changes.current(changes.access_key(viewer.user_id))
    service_id = read.service_id
    if service_id is None:
        service_id = shared_cache.get(changes.service_id_key(project, service))
    token = read.service if read.service_id == service_id else None
    if token is None and service_id is not None:
        token = changes.current(changes.service_key(service_id))
    return Tokens(viewer, access, token, service_id, read.role)


def validators_after_check(
    request: HttpRequest, tokens: Tokens, project: str, service_id: int, role: str
) -> str | None:
    """After the access check passed: keep its decision for the fast path and return the
    ETag, or None when the tokens read before cannot vouch for what was read (or the
    answer shows waiting messages, which it must not be taken for later)."""
    if tokens.viewer is None:
        return None
    if tokens.kept_role != role:
        shared_cache.set(
            tokens.viewer.decision_key(project), (tokens.access, role), changes.TIMEOUT_SECONDS
        )
    if tokens.service is None or tokens.service_id != service_id or _messages_waiting(request):
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


View = Callable[..., HttpResponse]


def answers_from_cache(view: View) -> View:
    """Outermost on a service's page or fragment: an unchanged poll gets its 304, and a
    request of a version this viewer was answered before gets that answer, from the cache
    before the user is loaded or a query is built (`from_cache`); every other request goes
    on to `view` and its full access check."""

    @wraps(view)
    def answered(request: HttpRequest, project: str, service: str) -> HttpResponse:
        return from_cache(request, project, service) or view(request, project, service)

    return answered


def answers_shared_by_role(*reads: str) -> Callable[[View], View]:
    """`answers_from_cache`, and an answer rendered for one viewer of a version is given to
    every other viewer of the same role (`share`). `reads`: the query parameters the view
    reads; the view's answer must depend on nothing else of the request but the role."""

    def decorate(view: View) -> View:
        cached = answers_from_cache(view)

        @wraps(view)
        def answered(request: HttpRequest, project: str, service: str) -> HttpResponse:
            setattr(request, _SHARED_AS, _shared_as(request, reads))
            return cached(request, project, service)

        return answered

    return decorate
