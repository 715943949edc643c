"""Request middleware: request ids for the audit trail, and HTMX-aware login redirects."""

import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django_htmx.http import HttpResponseClientRedirect

# What a proxy's request id may look like: short, and nothing that could forge a log line.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,64}$")


class RequestIdMiddleware:
    """Tags each request with an id: a trusted proxy's X-Request-ID, else one of our own.

    console.proxies.ProxyHeadersMiddleware has already dropped the header from anyone
    else, so a client cannot choose the id its actions are audited under.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class HtmxLoginRedirectMiddleware:
    """An expired session under HTMX sends the whole browser to log in.

    Without this, htmx would follow the redirect and swap the login page into a fragment.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        htmx = getattr(request, "htmx", None)
        if htmx and response.status_code == 302:
            location = response.get("Location", "")
            if location.startswith(resolve_url(settings.LOGIN_URL)):
                return HttpResponseClientRedirect(location)
        return response
