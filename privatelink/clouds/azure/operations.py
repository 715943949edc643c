"""The Azure gateway: every typed ARM operation of the platform subscription's resource
group.

Each resource has its module of operations; all of them call through `AzureCalls`, which
turns the SDK's exceptions into Gone, Retryable or Terminal. Reads re-filter on the client.
"""

from privatelink.clouds.azure.inventory import InventoryOperations
from privatelink.clouds.azure.load_balancers import LoadBalancerOperations
from privatelink.clouds.azure.network import NetworkOperations
from privatelink.clouds.azure.private_link import PrivateLinkOperations
from privatelink.clouds.azure.quotas import AzureLimits, limits


class AzureGateway(
    NetworkOperations, LoadBalancerOperations, PrivateLinkOperations, InventoryOperations
):
    """The platform subscription's networking (AZURE_SUBSCRIPTION_ID, AZURE_RESOURCE_GROUP,
    AZURE_LOCATION), through this thread's client."""

    def limits(self) -> AzureLimits:
        return limits()
