"""Reading a request's JSON body as an object, with errors that say what to send instead."""

import json
from typing import Any

from django.http import HttpRequest

from console.errors import InvalidInput


def json_object(request: HttpRequest, *, empty_allowed: bool = False) -> dict[str, Any]:
    """The body as a JSON object; an empty body is `{}` only where the endpoint takes none."""
    raw = request.body
    if not raw.strip():
        if empty_allowed:
            return {}
        raise InvalidInput("Send a JSON object as the request body.")
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        raise InvalidInput(f"The request body is not valid JSON ({exc}).") from exc
    if not isinstance(data, dict):
        raise InvalidInput("The request body must be a JSON object.")
    return data


def reject_unknown_keys(data: dict[str, Any], allowed: set[str]) -> None:
    """Refuse keys this console does not carry out, rather than silently ignoring them."""
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise InvalidInput(
            f"{unknown[0]} is not supported here; send only {', '.join(sorted(allowed))}.",
            field=unknown[0],
        )
