"""Create-once by name: ARM's PUT overwrites, so a create first reads the name, and a
resource found there is taken only when its tags say it is the same owner's."""

from privatelink.clouds.azure.calls import Json
from privatelink.clouds.azure.errors import Terminal
from privatelink.clouds.azure.tags import TAG_OWNER, is_ours


def claim(found: Json, owner: str, operation: str) -> Json:
    """`found`, if it is this deployment's resource of `owner`; else a Terminal refusal (an
    earlier run's resource is reused, someone else's is never overwritten)."""
    tags = found.get("tags") or {}
    if is_ours(tags) and tags.get(TAG_OWNER) == owner:
        return found
    raise Terminal(
        "NameTakenByAnother",
        f"{found.get('id')} exists and is not tagged as {owner}'s of this deployment; "
        "it is left alone.",
        operation,
    )
