"""AWS errors sorted once into the clouds' gone, retryable and terminal
(`privatelink.clouds.errors`): callers decide by class, and the gateway reads no error code
outside this module. The code stays on the error for the message and for the few refusals
a caller plans for (the quota errors the reconciler reads)."""

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ReadTimeoutError,
)
from botocore.exceptions import (
    ConnectionError as BotoConnectionError,
)
from botocore.parsers import ResponseParserError

from privatelink.clouds.errors import GatewayError, Gone, Retryable, Terminal

__all__ = ["GatewayError", "Gone", "Retryable", "Terminal", "classify", "failure", "is_gone"]

# A delete or describe of something that is not there (any more).
GONE_CODES = frozenset(
    {
        "LoadBalancerNotFound",
        "TargetGroupNotFound",
        "ListenerNotFound",
        "InvalidVpcEndpointServiceId.NotFound",
        "InvalidVpcEndpointService.NotFound",
        "InvalidVpcEndpointId.NotFound",
        "InvalidVpcID.NotFound",
        "InvalidSubnetID.NotFound",
        "NoSuchHostedZone",
    }
)
# Refusals that mean "not there" in other words: Route 53 refuses to delete a missing record
# as an invalid batch, ELB to deregister a target it never had as an invalid target.
MISSING_IN_OTHER_WORDS = frozenset({"InvalidChangeBatch", "InvalidInput", "InvalidTarget"})
RETRYABLE_CODES = frozenset(
    {
        "RequestLimitExceeded",
        "Throttling",
        "ThrottlingException",
        "TooManyRequestsException",
        "PriorRequestNotComplete",
        "ServiceUnavailable",
        "InternalError",
        "InternalFailure",
        "ResourceInUse",
        "IncorrectState",
        "DependencyViolation",
    }
)


# What boto3 raises for AWS's answers and the network; anything else is a bug of ours.
AWS_ERRORS = (ClientError, BotoCoreError, ResponseParserError)


def classify(exc: BaseException, operation: str = "") -> GatewayError:
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code", "Unknown"))
        message = str(error.get("Message", ""))
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        return failure(code, message, operation, status)
    if isinstance(exc, ResponseParserError):
        # An HTML 500 page: fake AWS lacks the call, or AWS had an outage mid-answer.
        return Retryable("ResponseParserError", str(exc), operation)
    if isinstance(exc, BotoConnectionError | ReadTimeoutError):
        return Retryable(type(exc).__name__, str(exc), operation)
    # Parameter validation and other client-side refusals: retrying cannot help.
    return Terminal(type(exc).__name__, str(exc), operation)


def failure(code: str, message: str, operation: str = "", status: int = 400) -> GatewayError:
    """Classify one error by its code (also the per-item errors inside `Unsuccessful`)."""
    if code in GONE_CODES or code.endswith(".NotFound"):
        return Gone(code, message, operation)
    if code in RETRYABLE_CODES or status >= 500:
        return Retryable(code, message, operation)
    return Terminal(code, message, operation)


def is_gone(exc: GatewayError) -> bool:
    """Nothing there: done, for a delete; missing, for a read."""
    return isinstance(exc, Gone) or exc.code in MISSING_IN_OTHER_WORDS
