"""Leaked Azure resources of this deployment: private link services and load balancers
tagged for a PrivateLink that has no row, found by their tags in one listing per kind and
removed in Azure's order (a service holds its load balancer's frontend)."""

from privatelink.clouds import leak_sweep
from privatelink.clouds.azure.inventory import LOAD_BALANCERS, PRIVATE_LINK_SERVICES, AzureResource
from privatelink.clouds.azure.operations import AzureGateway
from privatelink.clouds.driver import Leak

LINK_KINDS = (PRIVATE_LINK_SERVICES, LOAD_BALANCERS)


def _id(resource: AzureResource) -> str:
    return resource.id


def leaks(gateway: AzureGateway, known_links: set[int]) -> list[Leak]:
    """Our resources of PrivateLinks without a row, services first. Untagged resources and
    those of Project VPCs (their networks) are never listed."""
    return leak_sweep.leaks_among(gateway.our_resources(LINK_KINDS), _id, known_links)


def remove_leaks(gateway: AzureGateway, due: list[Leak]) -> list[str]:
    """Delete the leaks in the order given; the ids of those deleted."""
    found = gateway.our_resources(LINK_KINDS)
    return leak_sweep.remove_among(found, _id, due, gateway.delete_resource)
