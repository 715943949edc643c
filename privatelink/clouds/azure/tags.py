"""Ownership tags on Azure: the clouds' own (`privatelink.clouds.ownership`), which ARM
keeps as a resource's `tags` object as they are."""

from privatelink.clouds.ownership import TAG_DEPLOYMENT, TAG_OWNER, Tagged, is_ours, ownership_tags

__all__ = ["TAG_DEPLOYMENT", "TAG_OWNER", "Tagged", "is_ours", "ownership_tags"]
