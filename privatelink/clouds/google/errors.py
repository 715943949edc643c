"""Compute Engine's errors sorted once into the clouds' gone, retryable and terminal
(`privatelink.clouds.errors`): callers decide by class, and the gateway reads no Google
reason outside this module. Google's reason and message stay on the error."""

import requests
from google.api_core.exceptions import GoogleAPICallError, RetryError
from google.auth.exceptions import DefaultCredentialsError, TransportError

from privatelink.clouds.errors import (
    GatewayError,
    Gone,
    RefusalCodes,
    Retryable,
    Terminal,
    retry_after_seconds,
)

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
# Google answers 409 to an insert racing another of the same name: read it again.
CODES = RefusalCodes(GONE_REASONS, RETRYABLE_REASONS, retryable_statuses=frozenset({409, 412, 429}))
# A refusal by its code and HTTP status (a failed operation's too).
failure = CODES.sort
# Limits the planner plans for.
QUOTA_REASONS = frozenset({"quotaExceeded", "QUOTA_EXCEEDED"})


def classify(exc: Exception, operation: str = "") -> GatewayError:
    if isinstance(exc, GoogleAPICallError):
        status = exc.code if isinstance(exc.code, int) else None
        retry_after = retry_after_seconds(getattr(exc.response, "headers", None))
        return failure(_reason(exc), _message(exc), operation, status, retry_after)
    if isinstance(exc, RetryError | TransportError | requests.RequestException):
        # The request did not reach Google, or its answer did not come back (timeouts too).
        return Retryable(type(exc).__name__, str(exc), operation)
    if isinstance(exc, DefaultCredentialsError):
        return Terminal("DefaultCredentialsError", str(exc), operation)
    # The SDK refused the request before sending it: retrying cannot help.
    return Terminal(type(exc).__name__, str(exc), operation)


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
