"""How the PrivateLink pages answer: whole page, or one fragment for HTMX, with polling
stopped (286) once what the fragment shows is stable."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_htmx.http import HttpResponseStopPolling, trigger_client_event

from console.access import get_service_and_membership_for
from console.models import Membership, Service, User


def service_for(
    request: HttpRequest, project: str, service: str, write: bool = False
) -> tuple[Service, Membership]:
    """The service and the user's membership, through the one access check
    (404 for outsiders, 403 for read-only members on writes)."""
    return get_service_and_membership_for(request.user, project, service, write)


def acting_user(request: HttpRequest) -> User:
    """The logged-in user (every view here requires a login), for the audit trail."""
    if not isinstance(request.user, User):
        raise PermissionDenied("Log in to make changes.")
    return request.user


def is_fragment_request(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.boosted


ANNOUNCE = "announce"


def announce(response: HttpResponse, message: str) -> HttpResponse:
    """Have static/js/console.js say `message` in the page's one persistent live region:
    a region inside a swapped fragment would be replaced before it is read out."""
    trigger_client_event(response, ANNOUNCE, {"message": message})
    return response


def fragment(
    request: HttpRequest,
    template: str,
    name: str,
    context: dict[str, Any],
    *,
    stable: bool,
    status: int = 200,
) -> HttpResponse:
    """Render `template#name`; a poll of a stable fragment answers 286 so htmx stops."""
    response = render(request, f"{template}#{name}", context, status=status)
    if stable and request.method == "GET" and is_fragment_request(request):
        response.status_code = HttpResponseStopPolling.status_code
    return response
