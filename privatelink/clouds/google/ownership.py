"""Create-once by name: an insert first reads the name, and a resource found there is taken
only when its marks say it is the same owner's."""

from privatelink.clouds.google.errors import Terminal
from privatelink.clouds.google.labels import Tagged


def claim[T: Tagged](found: T, link: str, owner: str, operation: str) -> T:
    """`found`, if it is this deployment's resource of `owner`; else a Terminal refusal (an
    earlier run's resource is reused, someone else's is never taken)."""
    if found.owned_by(owner):
        return found
    raise Terminal(
        "NameTakenByAnother",
        f"{link} exists and is not marked as {owner}'s of this deployment; it is left alone.",
        operation,
    )
