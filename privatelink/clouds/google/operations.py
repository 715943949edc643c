"""The Google gateway: every typed Compute operation of the platform project in one region.

Each resource (and the region's quotas) has its module of operations; all of them call
through `GoogleCalls`, which turns the SDK's exceptions into Gone, Retryable or Terminal
and leaves a running operation to a later run (InProgress), which looks at it with the
console's own clients. Reads re-filter on the client.
"""

from privatelink.clouds.google.endpoint_groups import EndpointGroupOperations
from privatelink.clouds.google.inventory import InventoryOperations
from privatelink.clouds.google.load_balancers import LoadBalancerOperations
from privatelink.clouds.google.network import NetworkOperations
from privatelink.clouds.google.private_link import PrivateLinkOperations
from privatelink.clouds.google.quotas import QuotaOperations


class GoogleGateway(
    NetworkOperations,
    LoadBalancerOperations,
    EndpointGroupOperations,
    PrivateLinkOperations,
    InventoryOperations,
    QuotaOperations,
):
    """The platform project's networking (GOOGLE_PROJECT, GOOGLE_REGION), through this
    thread's clients."""
