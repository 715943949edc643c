"""A cloud's refusals sorted once into gone, retryable and terminal, in no cloud's words.

Each cloud's gateway turns its SDK's exceptions into these; the engine decides by class
alone. The cloud's own code stays on the error for the message and for the few refusals a
driver plans for (the quota errors it reads).
"""


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


class Terminal(GatewayError):
    """The cloud refused the request as given (validation, limits): retrying cannot help."""
