"""Fault injection at the AWS boundary: a Gateway whose boto3 clients carry botocore hooks
that count calls, crash after the k-th one, or throttle a share of them."""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from botocore.awsrequest import AWSResponse

from privatelink.clouds.aws.gateway import Gateway, clients

# Clients of their own (the gateway keeps one per thread): the hooks below must reach the
# faulty gateways only, never a plain gateway of the same test.
fresh_client = clients.new_client

READ_PREFIXES = ("Describe", "List", "Get")


class Crash(BaseException):
    """The worker dies: nothing after the AWS call runs, not even error handling or a save."""


@dataclass
class Faults:
    """What the hooks do; one plan is shared by every client of every gateway built with it."""

    crash_after_call: int | None = None  # crash once, right after the k-th call returns
    throttle_share: float = 0.0  # answer this share of HTTP requests with throttling
    seed: int = 0
    calls: list[str] = field(default_factory=list)  # operation names, in order
    throttled: int = 0
    crashed_at: str = ""
    clients: dict[tuple[str, str], Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.random = random.Random(self.seed)

    @property
    def mutating_calls(self) -> list[str]:
        return [name for name in self.calls if not name.startswith(READ_PREFIXES)]

    def after_call(self, model: Any, **kwargs: Any) -> None:
        self.calls.append(model.name)
        if self.crash_after_call == len(self.calls):
            self.crash_after_call = None
            self.crashed_at = model.name
            raise Crash(f"crash after call {len(self.calls)}: {model.name}")

    def before_send(self, request: Any, **kwargs: Any) -> AWSResponse | None:
        if self.random.random() >= self.throttle_share:
            return None
        self.throttled += 1
        # botocore gives the first non-None answer, but moto's handlers may still run the
        # request; pointing it at nothing makes sure the throttled call did nothing.
        request.url = "http://127.0.0.1:9/throttled"
        return AWSResponse(request.url, 400, {}, _Body(_throttling_error(request)))

    def gateway(self) -> Callable[[str], Gateway]:
        plan = self

        class FaultyGateway(Gateway):
            def _client(self, name: str) -> Any:
                key = (name, self.region)
                if key not in plan.clients:
                    client = fresh_client(name, self.region, self.role_arn)
                    client.meta.events.register("after-call", plan.after_call)
                    client.meta.events.register_first("before-send", plan.before_send)
                    plan.clients[key] = client
                return plan.clients[key]

        return FaultyGateway


class _Body:
    def __init__(self, content: bytes) -> None:
        self.content = content

    def stream(self, **kwargs: Any) -> Any:
        yield self.content


def _throttling_error(request: Any) -> bytes:
    body = request.body or b""
    text = body.decode() if isinstance(body, bytes) else str(body)
    if "Version=2016-11-15" in text:  # EC2's query protocol and error shape
        return (
            b"<Response><Errors><Error><Code>RequestLimitExceeded</Code>"
            b"<Message>Request limit exceeded.</Message></Error></Errors>"
            b"<RequestID>injected</RequestID></Response>"
        )
    if "route53" in request.url:
        return (
            b'<?xml version="1.0"?><ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/">'
            b"<Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message>"
            b"</Error><RequestId>injected</RequestId></ErrorResponse>"
        )
    return (
        b"<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>"
        b"<Message>Rate exceeded</Message></Error><RequestId>injected</RequestId></ErrorResponse>"
    )
