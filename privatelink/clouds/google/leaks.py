"""Leaked Google resources of this deployment: what a PrivateLink without a row left
(attachment, NAT subnet, forwarding rule, backend service, endpoint group), found by their
marks in one listing per kind and removed in Google's order. A Project VPC's network and
nodes' subnet belong to its own row and are never listed here."""

import logging

from privatelink.clouds.driver import Leak
from privatelink.clouds.google.errors import GatewayError
from privatelink.clouds.google.inventory import (
    BACKEND_SERVICES,
    ENDPOINT_GROUPS,
    FORWARDING_RULES,
    HEALTH_CHECKS,
    SERVICE_ATTACHMENTS,
    SUBNETWORKS,
)
from privatelink.clouds.google.operations import GoogleGateway
from privatelink.engine import naming

# In deletion order: an attachment holds its rule and NAT subnet, a rule its backend
# service, a backend service its endpoint group (or, before port mapping, its health check).
LINK_KINDS = (
    SERVICE_ATTACHMENTS,
    FORWARDING_RULES,
    BACKEND_SERVICES,
    ENDPOINT_GROUPS,
    HEALTH_CHECKS,
    SUBNETWORKS,
)

logger = logging.getLogger(__name__)


def leaks(gateway: GoogleGateway, known_links: set[int]) -> list[Leak]:
    """Our resources of PrivateLinks without a row, attachments first. Unmarked resources
    and those of Project VPCs are never listed."""
    return [
        Leak(resource.self_link, resource.kind)
        for resource in gateway.our_resources(LINK_KINDS)
        if (link_id := naming.privatelink_id_of(resource.owner)) is not None
        and link_id not in known_links
    ]


def remove_leaks(gateway: GoogleGateway, due: list[Leak]) -> list[str]:
    """Delete the leaks in the order given; the links of those deleted (one still in use
    is left for the next sweep)."""
    removed: list[str] = []
    listed = {r.self_link: r for r in gateway.our_resources(LINK_KINDS)}
    for leak in due:
        resource = listed.get(leak.resource_id)
        if resource is None:
            removed.append(leak.resource_id)  # gone meanwhile
            continue
        try:
            gateway.delete_resource(resource)
        except GatewayError as exc:
            logger.info("Leaked %s not removed yet: %s", leak.resource_id, exc)
            continue
        removed.append(leak.resource_id)
    return removed
