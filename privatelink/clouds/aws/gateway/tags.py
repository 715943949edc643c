"""Ownership tags on AWS: the clouds' own (`privatelink.clouds.ownership`), in the shape of
AWS's requests and answers (a list of Key/Value pairs)."""

from collections.abc import Iterable, Mapping
from typing import Any

from privatelink.clouds.ownership import TAG_DEPLOYMENT, TAG_OWNER, Tagged, is_ours, ownership_tags

__all__ = [
    "TAG_DEPLOYMENT",
    "TAG_OWNER",
    "Tagged",
    "is_ours",
    "ownership_tags",
    "tag_dict",
    "tag_list",
]


def tag_list(tags: Mapping[str, str]) -> list[Any]:
    """AWS's shape of tags in a request, in a stable order (EC2's and ELB's stubs type the
    same shape apart, hence Any)."""
    return [{"Key": k, "Value": v} for k, v in sorted(tags.items())]


def tag_dict(tags: Iterable[Mapping[str, object]] | None) -> dict[str, str]:
    """Tags from AWS's answer, as a dict."""
    return {str(t["Key"]): str(t["Value"]) for t in tags or []}
