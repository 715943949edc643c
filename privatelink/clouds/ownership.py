"""Ownership tags: how the console marks, and later recognises, what it made in any cloud.

Every resource says which deployment made it and for which row (its owner); a resource
without both is never ours, whatever its name says.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings

TAG_DEPLOYMENT = "privatelink-console:deployment"
TAG_OWNER = "privatelink-console:owner"


def ownership_tags(owner: str) -> dict[str, str]:
    """The tags that mark a resource as ours: this deployment, and the row it belongs to."""
    return {TAG_DEPLOYMENT: settings.DEPLOYMENT_ID, TAG_OWNER: owner}


def is_ours(tags: Mapping[str, str] | None) -> bool:
    tags = tags or {}
    return tags.get(TAG_DEPLOYMENT) == settings.DEPLOYMENT_ID and bool(tags.get(TAG_OWNER))


@dataclass(frozen=True)
class Tagged:
    """A resource read from a cloud with its tags: who owns it is read from them."""

    # Keyword-only, so that each resource's own fields come first and stay positional.
    tags: dict[str, str] = field(default_factory=dict, kw_only=True)

    @property
    def owner(self) -> str:
        """The owner tag ("" when the resource has none)."""
        return self.tags.get(TAG_OWNER, "")

    def owned_by(self, owner: str) -> bool:
        return is_ours(self.tags) and self.tags.get(TAG_OWNER) == owner
