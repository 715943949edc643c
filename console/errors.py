"""Typed errors of user actions, so that pages and the API show the same words.

`field` names the input to fix (None for the request as a whole); `status` is the HTTP
status the API answers with.
"""


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
