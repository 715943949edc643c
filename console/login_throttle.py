"""Throttling of password and API token guessing, on django-axes: failures count per account
and client address together, and past a limit each one locks that pair out for longer.

- An account is locked only from the address that guessed (OWASP's advice against lockouts
  anyone can impose): the owner logs in from elsewhere at once, or resets the password
  by e-mail, which clears the account's lockouts.
- The first LOGIN_FAILURE_LIMIT failures are free; each further one locks the pair for
  LOGIN_LOCKOUT_MINUTES, doubled per further failure up to LOGIN_LOCKOUT_MAX_MINUTES. Tries
  refused while locked are not counted, so they neither extend nor renew the lockout.
- A token names no account, so token guessing counts per address alone; a valid token is
  always served (only unknown tokens are refused while the address is locked).
- Nothing a form posted is stored: axes' copy of the request's parameters is dropped
  before an attempt is written, so no password reaches the database.
- Each lockout that a failure starts, and each clearing, leaves an audit event.
"""

import math
from datetime import datetime, timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.db.models import Max, QuerySet, Sum
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from console import audit_log
from console.api.errors import error_response
from console.models import User

# Marks the credentials of a failed API token: no account, so the address alone counts.
TOKEN_CREDENTIALS = {"api_token": True}
# Doubling stops here long before the cap matters; it only keeps the arithmetic small.
MAX_DOUBLINGS = 20


def account_of(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The account a failure counts against, as typed; case and spaces do not make a new one
    (logins are e-mail addresses, stored lower-case), so they cannot buy more guesses."""
    source: Any = credentials if credentials is not None else request.POST
    if source.get("api_token"):
        return None
    name = source.get("username")
    return str(name).strip().lower()[:255] if name else None


def lockout_length(failures: int) -> timedelta:
    """How long the failure numbered `failures` locks its account and address out."""
    past_limit = failures - settings.AXES_FAILURE_LIMIT
    if past_limit < 0:
        return timedelta(0)
    first: timedelta = settings.LOGIN_LOCKOUT_FIRST
    return min(first * 2 ** min(past_limit, MAX_DOUBLINGS), settings.LOGIN_LOCKOUT_MAX)


def _lock_end(attempts: QuerySet[AccessAttempt]) -> datetime | None:
    """When the lockout these failures (of one account and address) impose ends; None if
    they impose none now."""
    found = attempts.aggregate(total=Sum("failures_since_start"), last=Max("attempt_time"))
    failures: int = found["total"] or 0
    if found["last"] is None or failures < settings.AXES_FAILURE_LIMIT:
        return None
    until: datetime = found["last"] + lockout_length(failures)
    return until if until > timezone.now() else None


def pair_locked_until(username: str | None, ip_address: str | None) -> datetime | None:
    """The end of the lockout of one account (None: token guessing) from one address."""
    remembered = timezone.now() - settings.AXES_COOLOFF_TIME
    return _lock_end(
        AccessAttempt.objects.filter(
            username=username, ip_address=ip_address, attempt_time__gte=remembered
        )
    )


class ThrottleHandler(AxesDatabaseHandler):
    """axes' database handler with a lockout that grows with each failure and ends by itself,
    instead of a fixed window from the last (even refused) try."""

    def locked_until(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> datetime | None:
        """When the lockout of this request's account and address ends; None if not locked."""
        ends = [_lock_end(attempts) for attempts in self.get_user_attempts(request, credentials)]
        return max((end for end in ends if end is not None), default=None)

    def is_locked(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
        return self.locked_until(request, credentials) is not None


def _handler() -> ThrottleHandler:
    handler = AxesProxyHandler.get_implementation()
    assert isinstance(handler, ThrottleHandler), "AXES_HANDLER must be ThrottleHandler"
    return handler


def lockout_ends(request: HttpRequest, credentials: dict[str, Any] | None) -> datetime | None:
    AxesProxyHandler.update_request(request)
    return _handler().locked_until(request, credentials)


def in_words(wait: timedelta) -> str:
    seconds = max(1, math.ceil(wait.total_seconds()))
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """429 with when to try again: JSON in the platform's shape for /v1/, a page otherwise."""
    credentials = credentials or getattr(request, "axes_credentials", None)
    until = lockout_ends(request, credentials)
    wait = (until - timezone.now()) if until else settings.LOGIN_LOCKOUT_FIRST
    response: HttpResponse
    if request.path.startswith("/v1/"):
        response = error_response(
            "Too many unknown API tokens from this address; try again in "
            f"{in_words(wait)}. A valid token is still accepted.",
            429,
        )
    else:
        response = render(
            request, "registration/locked_out.html", {"wait": in_words(wait)}, status=429
        )
    response["Retry-After"] = str(max(1, math.ceil(wait.total_seconds())))
    return response


def token_guessing_locked_out(request: HttpRequest) -> bool:
    return not AxesProxyHandler.is_allowed(request, TOKEN_CREDENTIALS)


def token_failed(request: HttpRequest) -> None:
    """Count a presented but unknown, revoked or expired token against the address."""
    user_login_failed.send(sender=__name__, credentials=TOKEN_CREDENTIALS, request=request)


@receiver(pre_save, sender=AccessAttempt)
def drop_form_data(sender: Any, instance: AccessAttempt, **_: Any) -> None:
    """axes keeps the failed request's GET and POST parameters, masking only the fields it
    is told of: a password change posts three passwords under other names. Nothing there
    is needed to throttle, so nothing is kept (an allow-list of none, not a deny-list)."""
    instance.get_data = ""
    instance.post_data = ""


@receiver(user_locked_out)
def audit_lockout(
    sender: Any, request: HttpRequest, username: str | None, ip_address: str | None, **_: Any
) -> None:
    # axes also signals each try refused while locked; only a counted failure starts a
    # lockout, so the trail gets one event per lockout, not one per refused guess.
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is None:
        return
    audit_log.record(
        "login.locked_out",
        project=None,
        request=request,
        after={
            "username": (username or "")[:254],
            "ip": ip_address,
            "path": request.path[:200],
            "failures": failures,
            "seconds": int(lockout_length(failures).total_seconds()),
        },
    )


def _describe(attempts: QuerySet[AccessAttempt]) -> list[dict[str, Any]]:
    return [
        {"username": row.username or "", "ip": row.ip_address, "failures": row.failures_since_start}
        for row in attempts.order_by("username", "ip_address")
    ]


def clear_attempts(
    attempts: QuerySet[AccessAttempt], *, actor: User | None, request: HttpRequest | None
) -> int:
    """Forget the given failures (an admin's decision), with an audit event."""
    with transaction.atomic():
        cleared = _describe(attempts)
        attempts.delete()
        if cleared:
            audit_log.record(
                "login.lockouts_cleared",
                project=None,
                actor=actor,
                request=request,
                before=cleared,
            )
    return len(cleared)


def clear_account(user: User) -> int:
    """Forget every failure against `user`'s account from every address (after the owner
    proved who they are); the caller's audit event says so."""
    _, deleted = AccessAttempt.objects.filter(username=user.email.lower()).delete()
    return deleted.get(AccessAttempt._meta.label, 0)
