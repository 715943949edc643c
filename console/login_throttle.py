"""Throttling of password and API token guessing, on django-axes.

Failures are counted per account and per client address; either reaching the limit locks
further attempts out until the cool-off has passed. A token names no account, so token
guessing is counted per address alone. Every lockout leaves an audit event.
"""

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from console import audit_log
from console.api.errors import error_response

# Marks the credentials of a failed API token, so that only the address is counted.
TOKEN_CREDENTIALS = {"api_token": True}


def lockout_parameters(request: Any, credentials: dict[str, Any] | None) -> list[str]:
    if credentials and credentials.get("api_token"):
        return ["ip_address"]
    return ["username", "ip_address"]


def _cool_off_minutes() -> int:
    return max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """429 with when to try again: JSON in the platform's shape for /v1/, a page otherwise."""
    minutes = _cool_off_minutes()
    response: HttpResponse
    if request.path.startswith("/v1/"):
        response = error_response(
            f"Too many failed attempts to authenticate; try again in {minutes} minutes.", 429
        )
    else:
        response = render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


def token_guessing_locked_out(request: HttpRequest) -> bool:
    return not AxesProxyHandler.is_allowed(request, TOKEN_CREDENTIALS)


def token_failed(request: HttpRequest) -> None:
    """Count a presented but unknown, revoked or expired token against the address."""
    user_login_failed.send(sender=__name__, credentials=TOKEN_CREDENTIALS, request=request)


@receiver(user_locked_out)
def audit_lockout(
    sender: Any, request: HttpRequest, username: str | None, ip_address: str | None, **_: Any
) -> None:
    audit_log.record(
        "login.locked_out",
        project=None,
        request=request,
        after={
            "username": (username or "")[:254],
            "ip": ip_address,
            "path": request.path[:200],
            "minutes": _cool_off_minutes(),
        },
    )
