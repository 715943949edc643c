"""EC2-style pages: `MaxResults` 5..1000 and an opaque `NextToken` naming the next item."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence

from moto.ec2.exceptions import EC2ClientError, InvalidNextToken

MIN_PAGE = 5
MAX_PAGE = 1000


def page_of[T](
    items: Sequence[T], key: Callable[[T], str], max_results: int | None, next_token: str | None
) -> tuple[list[T], str | None]:
    """The page that starts at `next_token`, and the token of the page after it."""
    if max_results is None:
        size = MAX_PAGE
    elif MIN_PAGE <= max_results <= MAX_PAGE:
        size = max_results
    else:
        raise EC2ClientError(
            "InvalidParameterValue",
            f"Value ( {max_results} ) for parameter maxResults is invalid. "
            f"Expecting a value between {MIN_PAGE} and {MAX_PAGE}.",
        )
    start = 0
    if next_token:
        keys = [key(item) for item in items]
        try:
            start = keys.index(_decode(next_token))
        except ValueError:
            raise InvalidNextToken(next_token) from None
    page = list(items[start : start + size])
    following = items[start + size] if len(items) > start + size else None
    return page, None if following is None else _encode(key(following))


def _encode(key: str) -> str:
    return base64.urlsafe_b64encode(key.encode()).decode()


def _decode(token: str) -> str:
    try:
        return base64.urlsafe_b64decode(token.encode()).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise InvalidNextToken(token) from None
