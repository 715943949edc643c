"""Ownership marks on Google: the clouds' own tags (`privatelink.clouds.ownership`).

Of the kinds the console makes, only forwarding rules take labels, and a label's key and
value allow no ':' nor '/'. So the marks are kept exactly in every resource's
`description`, as JSON, and read from there; forwarding rules carry them as labels too,
in label spelling, for people filtering in Google's console.
"""

import json
import re
from typing import Any

from privatelink.clouds.ownership import TAG_DEPLOYMENT, TAG_OWNER, Tagged, is_ours, ownership_tags

__all__ = [
    "TAG_DEPLOYMENT",
    "TAG_OWNER",
    "Tagged",
    "is_ours",
    "ownership_description",
    "ownership_labels",
    "tags_of",
]

_LABEL_UNSAFE = re.compile(r"[^a-z0-9_-]")
_LABEL_LENGTH = 63


def ownership_description(owner: str) -> str:
    """The marks of a resource of `owner`, as its description holds them."""
    return json.dumps(ownership_tags(owner), sort_keys=True)


def ownership_labels(owner: str) -> dict[str, str]:
    """The same marks in label spelling (lower case letters, digits, '-' and '_')."""
    return {_label(key): _label(value) for key, value in ownership_tags(owner).items()}


def tags_of(description: str) -> dict[str, str]:
    """The marks a description holds; none when it is not ours (text, or other JSON)."""
    try:
        found: Any = json.loads(description or "")
    except ValueError:
        return {}
    if not isinstance(found, dict):
        return {}
    return {key: str(value) for key, value in found.items() if key in (TAG_DEPLOYMENT, TAG_OWNER)}


def _label(text: str) -> str:
    return _LABEL_UNSAFE.sub("-", text.lower())[:_LABEL_LENGTH]
