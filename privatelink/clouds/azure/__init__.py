"""Azure: the engine's driver (`make_driver`, imported only through
`privatelink.clouds.registry`) and the only door to Azure, its gateway: client factory,
typed ARM operations and error classification.

Views, forms, the API and admin never import this package.
"""

from privatelink.clouds.azure.driver import make_driver
from privatelink.clouds.azure.errors import GatewayError, Gone, Retryable, Terminal, is_quota
from privatelink.clouds.azure.inventory import AzureResource
from privatelink.clouds.azure.load_balancers import AzureLoadBalancer, AzureRule, RuleTarget
from privatelink.clouds.azure.network import AzureSubnet, AzureVirtualNetwork
from privatelink.clouds.azure.operations import AzureGateway
from privatelink.clouds.azure.private_link import AzureConnection, AzurePrivateLinkService
from privatelink.clouds.azure.quotas import AzureLimits
from privatelink.clouds.azure.tags import Tagged

__all__ = [
    "AzureConnection",
    "AzureGateway",
    "AzureLimits",
    "AzureLoadBalancer",
    "AzurePrivateLinkService",
    "AzureResource",
    "AzureRule",
    "AzureSubnet",
    "AzureVirtualNetwork",
    "GatewayError",
    "Gone",
    "Retryable",
    "RuleTarget",
    "Tagged",
    "Terminal",
    "is_quota",
    "make_driver",
]
