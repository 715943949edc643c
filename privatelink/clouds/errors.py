"""A cloud's refusals sorted once into gone, retryable and terminal, in no cloud's words.

Each cloud's gateway turns its SDK's exceptions into these (an HTTP refusal through its
own `RefusalCodes`, its wait read by `retry_after_seconds`); the engine decides by class
alone. The cloud's own code stays on the error for the message and for the few refusals a
driver plans for (the quota errors it reads).
"""

import email.utils
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass


class GatewayError(Exception):
    """A cloud call failed; `code` is the cloud's error code, the message is its words."""

    def __init__(
        self, code: str, message: str, operation: str = "", retry_after: float | None = None
    ) -> None:
        super().__init__(f"{operation or 'cloud'}: {code}: {message}")
        self.code = code
        self.message = message
        self.operation = operation
        # Seconds the cloud asked to wait before the next try (Azure's Retry-After), if any.
        self.retry_after = retry_after


class Gone(GatewayError):
    """The resource does not exist: done, for a delete; missing, for a read."""


class Retryable(GatewayError):
    """Throttling, a 5xx, a timeout or a resource in transition: try again later."""


class InProgress(Retryable):
    """The cloud is still carrying out a change this run started or found (a long-running
    operation): nothing failed. The engine ends the run and runs it again after
    `retry_after` seconds as a requeue, which spends none of the task's retries; a caller
    outside the engine takes it as any other transient refusal."""

    def __init__(self, code: str, message: str, operation: str, retry_after: float) -> None:
        super().__init__(code, message, operation, retry_after=retry_after)


class Terminal(GatewayError):
    """The cloud refused the request as given (validation, limits): retrying cannot help."""


@dataclass(frozen=True)
class RefusalCodes:
    """How one cloud's error codes sort into the classes above: a 404 or a code of `gone`
    is Gone; a code of `retryable`, a status of `retryable_statuses` or a 5xx is Retryable
    (with the seconds the cloud asked to wait); any other refusal is Terminal."""

    gone: frozenset[str]
    retryable: frozenset[str]
    retryable_statuses: frozenset[int]

    def sort(
        self,
        code: str,
        message: str,
        operation: str = "",
        status: int | None = 400,
        retry_after: float | None = None,
    ) -> GatewayError:
        if status == 404 or code in self.gone:
            return Gone(code, message, operation)
        if code in self.retryable or status in self.retryable_statuses or (status or 0) >= 500:
            return Retryable(code, message, operation, retry_after=retry_after)
        return Terminal(code, message, operation)


def retry_after_seconds(headers: Mapping[str, str] | None) -> float | None:
    """Seconds from an HTTP answer's Retry-After: a number of seconds, or an HTTP date."""
    value = (headers or {}).get("Retry-After")
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


def unless_gone[R](work: Callable[[], R]) -> R | None:
    """The result of `work`, or None if what it reads or deletes is not there."""
    try:
        return work()
    except Gone:
        return None
