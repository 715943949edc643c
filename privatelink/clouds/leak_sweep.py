"""What a driver that lists its resources by their marks does with those of PrivateLinks
that have no row (Azure, Google): the leaks among them, and their removal in the order
given, one still in use left for the next sweep. Each cloud says which kinds it lists, in
its deletion order, what a resource's id is, and how one is deleted."""

import logging
from collections.abc import Callable, Iterable
from typing import Protocol

from privatelink.clouds.driver import Leak
from privatelink.clouds.errors import GatewayError
from privatelink.engine import naming

logger = logging.getLogger(__name__)


class Marked(Protocol):
    """A resource as a cloud's inventory lists it: its kind, and the owner its marks name."""

    @property
    def kind(self) -> str: ...

    @property
    def owner(self) -> str: ...


def leaks_among[R: Marked](
    found: Iterable[R], resource_id: Callable[[R], str], known_links: set[int]
) -> list[Leak]:
    """The resources of PrivateLinks without a row, in the order found. Those of Project
    VPCs (and any other owner) are never listed."""
    return [
        Leak(resource_id(resource), resource.kind)
        for resource in found
        if (link_id := naming.privatelink_id_of(resource.owner)) is not None
        and link_id not in known_links
    ]


def remove_among[R: Marked](
    found: Iterable[R],
    resource_id: Callable[[R], str],
    due: list[Leak],
    delete: Callable[[R], None],
) -> list[str]:
    """Delete the leaks due, in the order given, that are still `found`; the ids of those
    deleted or gone meanwhile. One the cloud refuses to delete yet is left for later."""
    removed: list[str] = []
    listed = {resource_id(resource): resource for resource in found}
    for leak in due:
        resource = listed.get(leak.resource_id)
        if resource is None:
            removed.append(leak.resource_id)  # gone meanwhile
            continue
        try:
            delete(resource)
        except GatewayError as exc:
            logger.info("Leaked %s not removed yet: %s", leak.resource_id, exc)
            continue
        removed.append(leak.resource_id)
    return removed
