"""Leaked Azure resources of this deployment: private link services and load balancers
tagged for a PrivateLink that has no row, found by their tags in one listing per kind and
removed in Azure's order (a service holds its load balancer's frontend)."""

import logging

from privatelink.clouds.azure.errors import GatewayError
from privatelink.clouds.azure.inventory import LOAD_BALANCERS, PRIVATE_LINK_SERVICES
from privatelink.clouds.azure.operations import AzureGateway
from privatelink.clouds.driver import Leak
from privatelink.engine import naming

logger = logging.getLogger(__name__)


def leaks(gateway: AzureGateway, known_links: set[int]) -> list[Leak]:
    """Our resources of PrivateLinks without a row, services first. Untagged resources and
    those of Project VPCs (their networks) are never listed."""
    found = gateway.our_resources((PRIVATE_LINK_SERVICES, LOAD_BALANCERS))
    return [
        Leak(resource.id, resource.kind)
        for resource in found
        if (link_id := naming.privatelink_id_of(resource.owner)) is not None
        and link_id not in known_links
    ]


def remove_leaks(gateway: AzureGateway, due: list[Leak]) -> list[str]:
    """Delete the leaks in the order given; the ids of those deleted."""
    removed: list[str] = []
    listed = {r.id: r for r in gateway.our_resources((PRIVATE_LINK_SERVICES, LOAD_BALANCERS))}
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
