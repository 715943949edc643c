"""Ownership tags: how the console marks, and later recognises, the AWS resources it made."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

TAG_DEPLOYMENT = "privatelink-console:deployment"
TAG_OWNER = "privatelink-console:owner"


def ownership_tags(owner: str) -> dict[str, str]:
    """The tags that mark a resource as ours: this deployment, and the row it belongs to."""
    return {TAG_DEPLOYMENT: settings.DEPLOYMENT_ID, TAG_OWNER: owner}


def is_ours(tags: Mapping[str, str]) -> bool:
    return tags.get(TAG_DEPLOYMENT) == settings.DEPLOYMENT_ID and bool(tags.get(TAG_OWNER))


def tag_list(tags: Mapping[str, str]) -> list[Any]:
    """AWS's shape of tags in a request, in a stable order (EC2's and ELB's stubs type the
    same shape apart, hence Any)."""
    return [{"Key": k, "Value": v} for k, v in sorted(tags.items())]


def tag_dict(tags: Iterable[Mapping[str, object]] | None) -> dict[str, str]:
    """Tags from AWS's answer, as a dict."""
    return {str(t["Key"]): str(t["Value"]) for t in tags or []}


@dataclass(frozen=True)
class Tagged:
    """A resource read from AWS with its tags: who owns it is read from them."""

    # Keyword-only, so that each resource's own fields come first and stay positional.
    tags: dict[str, str] = field(default_factory=dict, kw_only=True)

    @property
    def owner(self) -> str:
        """The owner tag ("" when the resource has none)."""
        return self.tags.get(TAG_OWNER, "")

    def owned_by(self, owner: str) -> bool:
        return self.tags.get(TAG_OWNER) == owner
