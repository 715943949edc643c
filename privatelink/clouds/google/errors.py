"""Compute Engine's errors sorted once into the clouds' gone, retryable and terminal
(`privatelink.clouds.errors`): callers decide by class, and the gateway reads no Google
reason outside this module. Google's reason and message stay on the error."""

import email.utils
import time

import requests
from google.api_core.exceptions import GoogleAPICallError, RetryError
from google.auth.exceptions import DefaultCredentialsError, TransportError

from privatelink.clouds.errors import GatewayError, Gone, Retryable, Terminal

__all__ = [
    "SDK_ERRORS",
    "GatewayError",
    "Gone",
    "Retryable",
    "Terminal",
    "classify",
    "failure",
    "is_quota",
]

# What the SDK raises: Google's answers, and a request that did not go through.
SDK_ERRORS = (
    GoogleAPICallError,
    RetryError,
    TransportError,
    requests.RequestException,
    DefaultCredentialsError,
)

# A read or delete of something that is not there (any more); an operation's own error
# codes are upper case.
GONE_REASONS = frozenset({"notFound", "RESOURCE_NOT_FOUND"})
# Refusals that pass once what they wait for is over: throttling, a resource still being
# created or deleted, a name another run just took (read it again), Google's hiccups, and
# an update that lost its fingerprint to another writer (read again and redo).
RETRYABLE_REASONS = frozenset(
    {
        "rateLimitExceeded",
        "userRateLimitExceeded",
        "RATE_LIMIT_EXCEEDED",
        "resourceNotReady",
        "RESOURCE_NOT_READY",
        "RESOURCE_OPERATION_RATE_EXCEEDED",
        "alreadyExists",
        "backendError",
        "internalError",
        "conditionNotMet",
    }
)
# Limits the planner plans for.
QUOTA_REASONS = frozenset({"quotaExceeded", "QUOTA_EXCEEDED"})


def classify(exc: Exception, operation: str = "") -> GatewayError:
    if isinstance(exc, GoogleAPICallError):
        status = exc.code if isinstance(exc.code, int) else None
        return failure(_reason(exc), _message(exc), operation, status, _retry_after(exc))
    if isinstance(exc, RetryError | TransportError | requests.RequestException):
        # The request did not reach Google, or its answer did not come back (timeouts too).
        return Retryable(type(exc).__name__, str(exc), operation)
    if isinstance(exc, DefaultCredentialsError):
        return Terminal("DefaultCredentialsError", str(exc), operation)
    # The SDK refused the request before sending it: retrying cannot help.
    return Terminal(type(exc).__name__, str(exc), operation)


def failure(
    code: str,
    message: str,
    operation: str = "",
    status: int | None = 400,
    retry_after: float | None = None,
) -> GatewayError:
    if status == 404 or code in GONE_REASONS:
        return Gone(code, message, operation)
    if code in RETRYABLE_REASONS or status in (409, 412, 429) or (status or 0) >= 500:
        return Retryable(code, message, operation, retry_after=retry_after)
    return Terminal(code, message, operation)


def is_quota(exc: GatewayError) -> bool:
    """A refusal because a limit is reached: the planner spreads the work differently."""
    return isinstance(exc, Terminal) and exc.code in QUOTA_REASONS


def _reason(exc: GoogleAPICallError) -> str:
    for detail in exc.errors or []:
        if isinstance(detail, dict) and detail.get("reason"):
            return str(detail["reason"])
    if exc.reason:
        return str(exc.reason)
    return f"Http{exc.code}" if exc.code else type(exc).__name__


def _message(exc: GoogleAPICallError) -> str:
    for detail in exc.errors or []:
        if isinstance(detail, dict) and detail.get("message"):
            return str(detail["message"])
    return str(exc.message)


def _retry_after(exc: GoogleAPICallError) -> float | None:
    """Seconds from a Retry-After: a number of seconds, or an HTTP date."""
    headers = getattr(exc.response, "headers", None) or {}
    value = headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())
