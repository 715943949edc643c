"""Google Cloud: the only door to Compute Engine for Private Service Connect, its gateway:
client factory, typed Compute operations (none waited for in a worker: a run that leaves
one running is requeued and looks at it again), and error classification.

The engine's driver (`make_driver`, imported only through `privatelink.clouds.registry`)
is here too, with its steps: the Project VPC's network (`project_network`), the front and
the attachment (`publishing`), the ports (`port_mapping`), customers' endpoints as
connections (`connections`), the teardown and the leak scan (`leaks`). Views, forms, the
API and admin never import this package.
"""

from privatelink.clouds.google.driver import make_driver
from privatelink.clouds.google.endpoint_groups import GoogleEndpointGroup, MappedPort
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
    "GoogleEndpointGroup",
    "GoogleForwardingRule",
    "GoogleGateway",
    "GoogleHealthCheck",
    "GoogleNetwork",
    "GoogleResource",
    "GoogleServiceAttachment",
    "GoogleSubnet",
    "MappedPort",
    "Retryable",
    "Tagged",
    "Terminal",
    "is_quota",
    "make_driver",
]
