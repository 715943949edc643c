"""The calls of one platform account in one region: every AWS request goes through here, so
that its errors are classified, the caller's lease is kept and AWS's call budget respected."""

import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, cast

from botocore.client import BaseClient

from privatelink.clouds.aws.gateway import budget, clients
from privatelink.clouds.aws.gateway.errors import (
    AWS_ERRORS,
    GatewayError,
    Retryable,
    classify,
    is_gone,
)

if TYPE_CHECKING:
    from types_boto3_ec2 import EC2Client
    from types_boto3_elbv2 import ElasticLoadBalancingv2Client
    from types_boto3_route53 import Route53Client

# Calls that share AWS's budget of about one per second per account and region.
BUDGETED_OPERATIONS = frozenset(
    {
        "create_vpc_endpoint_service_configuration",
        "modify_vpc_endpoint_service_configuration",
        "delete_vpc_endpoint_service_configurations",
        "modify_vpc_endpoint_service_permissions",
        "accept_vpc_endpoint_connections",
        "reject_vpc_endpoint_connections",
    }
)
MAX_PACING_SECONDS = 2.0


class AwsCalls:
    """Clients of the account, and the one way to call them.

    `role_arn` picks the pool account (None: AWS_PLATFORM_ROLE_ARN, "": the own
    credentials). Route 53 is always the deployment's main account: the hosted zone lives
    there, whichever account holds the NLBs.
    """

    def __init__(self, region: str, role_arn: str | None = None) -> None:
        self.region = region
        self.role_arn = role_arn
        self._clients: dict[str, BaseClient] = {}
        # Called before every AWS call: a reconcile run keeps its lease alive through it.
        self.before_call: Callable[[], None] | None = None

    def _client(self, name: clients.AwsService) -> BaseClient:
        if name not in self._clients:
            role = None if name == "route53" else self.role_arn
            try:
                self._clients[name] = clients.client(name, self.region, role)
            except AWS_ERRORS as exc:
                # Reaching a pool account assumes its role: an AWS call like any other.
                raise classify(exc, "assume_role") from exc
        return self._clients[name]

    @property
    def _ec2(self) -> "EC2Client":
        return cast("EC2Client", self._client("ec2"))

    @property
    def _elbv2(self) -> "ElasticLoadBalancingv2Client":
        return cast("ElasticLoadBalancingv2Client", self._client("elbv2"))

    @property
    def _route53(self) -> "Route53Client":
        return cast("Route53Client", self._client("route53"))

    def _call[**P, R](self, method: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """Call a client's method (`self._ec2.describe_vpcs`); AWS's errors come out as
        Gone, Retryable or Terminal."""
        operation = method.__name__  # boto3 names each method after its operation
        self._before(operation)
        try:
            return method(*args, **kwargs)
        except AWS_ERRORS as exc:
            raise classify(exc, operation) from exc

    def _paginate(
        self, client: BaseClient, operation: str, key: str, **kwargs: Any
    ) -> Iterator[Any]:
        """The items under `key` of every page, through botocore's paginator (which refuses
        a token it has seen, so a server that ignores paging ends in an error, not a loop)."""
        pages = iter(client.get_paginator(operation).paginate(**kwargs))
        while True:
            self._before(operation)
            try:
                page = next(pages)
            except StopIteration:
                return
            except AWS_ERRORS as exc:
                raise classify(exc, operation) from exc
            yield from page.get(key, [])

    def _before(self, operation: str) -> None:
        if self.before_call is not None:
            self.before_call()
        if operation in BUDGETED_OPERATIONS:
            self._pace(operation)

    def _pace(self, operation: str) -> None:
        if clients.mode() == "fake":
            return  # the fake AWS has no budget to protect
        # AWS's budget is per account and region: a pool account has a bucket of its own.
        account = self.role_arn.split(":")[4] + ":" if self.role_arn else ""
        wait = budget.reserve(f"ec2-endpoint-services:{account}{self.region}")
        if wait > MAX_PACING_SECONDS:
            # Too long to hold a worker: the task retries later with backoff.
            raise Retryable(
                "RateBudget", f"Waiting {wait:.0f}s for the AWS call budget.", operation
            )
        if wait > 0:
            time.sleep(wait)


def batches[T](items: list[T], size: int) -> Iterator[list[T]]:
    """`items` in lists of at most `size`: the most one call takes."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def unless_gone[R](work: Callable[[], R]) -> R | None:
    """The result of `work`, or None if what it reads or deletes is not there: a read finds
    nothing, a delete has nothing left to do."""
    try:
        return work()
    except GatewayError as exc:
        if is_gone(exc):
            return None
        raise
