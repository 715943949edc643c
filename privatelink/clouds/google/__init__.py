"""Google Cloud: the only door to Compute Engine for Private Service Connect, its gateway:
client factory, typed Compute operations waited for by the console's own polling, and
error classification.

The driver's steps that need no row of their own are here too: the Project VPC's network
(`project_network`), customers' endpoints as connections (`connections`) and the leak scan
(`leaks`). Views, forms, the API and admin never import this package. It has no
`make_driver` yet: the registry reports the provider as not served until the driver's
front, published service and teardown are written (they need a `GooglePrivateLink` row).
"""

from privatelink.clouds.google.errors import GatewayError, Gone, Retryable, Terminal, is_quota
from privatelink.clouds.google.inventory import GoogleResource
from privatelink.clouds.google.labels import Tagged
from privatelink.clouds.google.load_balancers import (
    GoogleBackendService,
    GoogleForwardingRule,
    GoogleHealthCheck,
)
from privatelink.clouds.google.network import GoogleNetwork, GoogleSubnet
from privatelink.clouds.google.operations import GoogleGateway
from privatelink.clouds.google.private_link import GoogleEndpoint, GoogleServiceAttachment

__all__ = [
    "GatewayError",
    "Gone",
    "GoogleBackendService",
    "GoogleEndpoint",
    "GoogleForwardingRule",
    "GoogleGateway",
    "GoogleHealthCheck",
    "GoogleNetwork",
    "GoogleResource",
    "GoogleServiceAttachment",
    "GoogleSubnet",
    "Retryable",
    "Tagged",
    "Terminal",
    "is_quota",
]
