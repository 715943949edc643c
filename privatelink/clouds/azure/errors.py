"""ARM's errors sorted once into the clouds' gone, retryable and terminal
(`privatelink.clouds.errors`): callers decide by class, and the gateway reads no ARM error
code outside this module. ARM's code and message stay on the error."""

from azure.core.exceptions import (
    AzureError,
    ClientAuthenticationError,
    HttpResponseError,
    ServiceRequestError,
    ServiceResponseError,
)

from privatelink.clouds.errors import (
    GatewayError,
    Gone,
    RefusalCodes,
    Retryable,
    Terminal,
    retry_after_seconds,
)

__all__ = ["GatewayError", "Gone", "Retryable", "Terminal", "classify", "is_quota"]

# A read or delete of something that is not there (any more). ResourceGroupNotFound is not
# among them: the platform's resource group is configuration, and its absence an
# operator's problem, not a resource already deleted.
GONE_CODES = frozenset({"ResourceNotFound", "NotFound", "ParentResourceNotFound"})
# Refusals that pass once what they wait for is over: another write of the same resource
# (or of the virtual network it sits in), throttling, ARM's own hiccups.
RETRYABLE_CODES = frozenset(
    {
        "AnotherOperationInProgress",
        "RetryableError",
        "ReferencedResourceNotProvisioned",
        "CanceledAndSupersededDueToAnotherOperation",
        "OperationPreempted",
        "PutSubnetOperationInProgress",
        "SubscriptionRequestsThrottled",
        "TooManyRequests",
        "InternalServerError",
        "ServerTimeout",
        "GatewayTimeout",
        # An update guarded by an etag lost to another writer: read again and redo.
        "PreconditionFailed",
    }
)
CODES = RefusalCodes(GONE_CODES, RETRYABLE_CODES, retryable_statuses=frozenset({412, 429}))
# Limits the planner plans for: more rules or NAT IP configurations than Azure allows.
QUOTA_CODES = frozenset(
    {
        "LoadBalancingRulesLimitReached",
        "PrivateLinkServiceIpConfigurationsLimitReached",
        "QuotaExceeded",
    }
)


def classify(exc: AzureError, operation: str = "") -> GatewayError:
    if isinstance(exc, ClientAuthenticationError):
        # No token, or a token without the rights: retrying with the same one cannot help.
        return Terminal(_code(exc), _message(exc), operation)
    if isinstance(exc, HttpResponseError):
        retry_after = retry_after_seconds(getattr(exc.response, "headers", None))
        return CODES.sort(_code(exc), _message(exc), operation, exc.status_code, retry_after)
    if isinstance(exc, ServiceRequestError | ServiceResponseError):
        # The request did not reach ARM, or its answer did not come back (timeouts too).
        return Retryable(type(exc).__name__, str(exc.message), operation)
    # The SDK refused the request before sending it: retrying cannot help.
    return Terminal(type(exc).__name__, str(exc.message), operation)


def is_quota(exc: GatewayError) -> bool:
    """A refusal because a limit is reached: the planner spreads the work differently."""
    return isinstance(exc, Terminal) and exc.code in QUOTA_CODES


def _code(exc: HttpResponseError) -> str:
    error = exc.error
    if error is not None and error.code:
        return str(error.code)
    return f"Http{exc.status_code}" if exc.status_code else type(exc).__name__


def _message(exc: HttpResponseError) -> str:
    error = exc.error
    if error is not None and error.message:
        return str(error.message)
    return str(exc.reason or exc.message)
