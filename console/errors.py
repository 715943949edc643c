"""Typed errors of user actions, so that pages and the API show the same words.

`field` names the input to fix (None for the request as a whole); `status` is the HTTP
status the API answers with.
"""

# Messages quote the value that is wrong so that a person sees which one; a long value is
# cut, so that an answer never grows with its input (nor repeats 100 KB back to the sender).
ECHO_LIMIT = 80


def echo(value: object, limit: int = ECHO_LIMIT) -> str:
    """`value` as an error message quotes it: whole when short, else its start and length."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text)} characters)"


class ActionError(Exception):
    status = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(ActionError):
    """The input cannot be carried out as given; the message says what to fix."""


class Conflict(ActionError):
    """The object is in a state that does not allow the change (409)."""

    status = 409


class NotFound(ActionError):
    """A part the request names inside an object it may see does not exist (404)."""

    status = 404
