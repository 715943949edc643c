"""Reading a request's JSON body as an object, with errors that say what to send instead.

The errors are our own words: Python's parser messages (and its limits, such as the one on
digits in an integer) mean nothing to a client of the API.
"""

import json
from typing import Any

from django.http import HttpRequest

from console.errors import InvalidInput

# No body this API takes nests deeper than a few levels (user_config is the deepest, at
# three); the limit keeps recursive code after the parser (schema checks, serialising)
# far from Python's recursion limit.
MAX_DEPTH = 32


def _depth_exceeds(data: Any, limit: int) -> bool:
    """Whether `data` nests containers deeper than `limit`; iterative, so it cannot recurse."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value
        if isinstance(value, dict | list):
            if depth > limit:
                return True
            stack.extend((child, depth + 1) for child in children)
    return False


def json_object(request: HttpRequest, *, empty_allowed: bool = False) -> dict[str, Any]:
    """The body as a JSON object; an empty body is `{}` only where the endpoint takes none."""
    raw = request.body
    if not raw.strip():
        if empty_allowed:
            return {}
        raise InvalidInput("Send a JSON object as the request body.")
    try:
        data = json.loads(raw)
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            "The request body is not UTF-8 text; send JSON encoded as UTF-8."
        ) from exc
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"The request body is not valid JSON (line {exc.lineno}, column {exc.colno})."
        ) from exc
    except RecursionError as exc:
        raise InvalidInput(
            f"The request body nests deeper than {MAX_DEPTH} levels; send a flatter JSON object."
        ) from exc
    except ValueError as exc:
        # Python refuses integers of more than 4,300 digits with a message about its own
        # interpreter settings; no value of this API is anywhere near that long.
        raise InvalidInput("The request body has a number too long to read.") from exc
    if not isinstance(data, dict):
        raise InvalidInput("The request body must be a JSON object.")
    if _depth_exceeds(data, MAX_DEPTH):
        raise InvalidInput(
            f"The request body nests deeper than {MAX_DEPTH} levels; send a flatter JSON object."
        )
    return data
