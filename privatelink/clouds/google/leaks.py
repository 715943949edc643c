"""Leaked Google resources of this deployment: what a PrivateLink without a row left
(attachment, NAT subnet, forwarding rule, backend service, endpoint group), found by their
marks in one listing per kind and removed in Google's order. A Project VPC's network and
nodes' subnet belong to its own row and are never listed here."""

from privatelink.clouds import leak_sweep
from privatelink.clouds.driver import Leak
from privatelink.clouds.google.inventory import (
    BACKEND_SERVICES,
    ENDPOINT_GROUPS,
    FORWARDING_RULES,
    HEALTH_CHECKS,
    SERVICE_ATTACHMENTS,
    SUBNETWORKS,
    GoogleResource,
)
from privatelink.clouds.google.operations import GoogleGateway

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


def _link(resource: GoogleResource) -> str:
    return resource.self_link


def leaks(gateway: GoogleGateway, known_links: set[int]) -> list[Leak]:
    """Our resources of PrivateLinks without a row, attachments first. Unmarked resources
    and those of Project VPCs are never listed."""
    return leak_sweep.leaks_among(gateway.our_resources(LINK_KINDS), _link, known_links)


def remove_leaks(gateway: GoogleGateway, due: list[Leak]) -> list[str]:
    """Delete the leaks in the order given; the links of those deleted (one still in use
    is left for the next sweep)."""
    found = gateway.our_resources(LINK_KINDS)
    return leak_sweep.remove_among(found, _link, due, gateway.delete_resource)
