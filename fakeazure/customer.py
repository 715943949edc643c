"""The customer's side: a private endpoint in the customer's own subscription, made with
the SDK as a customer would, against a private link service's alias or resource id.

The first endpoint of a subscription creates a resource group, a virtual network and a
subnet for endpoints (`fakeazure-customer`, `customer-network`, `endpoints`), reused later.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from azure.core.exceptions import ResourceNotFoundError
from azure.mgmt.network import NetworkManagementClient
from azure.mgmt.network.models import PrivateEndpoint, VirtualNetwork

from fakeazure.sdk import network_client

RESOURCE_GROUP = "fakeazure-customer"
NETWORK = "customer-network"
SUBNET = "endpoints"
ADDRESS_SPACE = "10.1.0.0/16"
SUBNET_PREFIX = "10.1.0.0/24"
LOCATION = "westeurope"


@dataclass(frozen=True)
class Endpoint:
    id: str
    status: str  # the connection's state: Pending, Approved, Rejected, Disconnected
    ip_address: str

    @classmethod
    def of(cls, endpoint: Any) -> Endpoint:
        connections = list(endpoint.manual_private_link_service_connections or []) + list(
            endpoint.private_link_service_connections or []
        )
        state = connections[0].private_link_service_connection_state if connections else None
        configs = endpoint.custom_dns_configs or []
        addresses = configs[0].ip_addresses if configs else []
        return cls(
            id=endpoint.id,
            status=state.status if state else "",
            ip_address=addresses[0] if addresses else "",
        )


class Customer:
    """A customer subscription acting through the real SDK."""

    def __init__(
        self,
        subscription_id: str,
        endpoint_url: str,
        certificate: Path | str,
        location: str = LOCATION,
    ) -> None:
        if not _is_guid(subscription_id):
            raise ValueError(
                "the subscription id must be a GUID such as "
                f"00000000-0000-0000-0000-000000000001, not {subscription_id!r}"
            )
        self.subscription_id = subscription_id
        self.location = location
        self.client: NetworkManagementClient = network_client(
            subscription_id, endpoint_url, certificate
        )

    def create_endpoint(self, resource: str, name: str | None = None) -> Endpoint:
        """A private endpoint asking `resource` (alias or resource id) for a connection."""
        subnet_id = self.endpoint_subnet()
        name = name or f"pe-{uuid.uuid4().hex[:8]}"
        poller = self.client.private_endpoints.begin_create_or_update(
            RESOURCE_GROUP,
            name,
            PrivateEndpoint(
                {
                    "location": self.location,
                    "properties": {
                        "subnet": {"id": subnet_id},
                        "manualPrivateLinkServiceConnections": [
                            {
                                "name": name,
                                "properties": {
                                    "privateLinkServiceId": resource,
                                    "requestMessage": "Private endpoint of the customer",
                                },
                            }
                        ],
                    },
                }
            ),
        )
        return Endpoint.of(poller.result())

    def list_endpoints(self) -> list[Endpoint]:
        return [Endpoint.of(e) for e in self.client.private_endpoints.list(RESOURCE_GROUP)]

    def delete_endpoint(self, endpoint_id: str) -> None:
        name = endpoint_id.rstrip("/").rsplit("/", 1)[-1]
        self.client.private_endpoints.begin_delete(RESOURCE_GROUP, name).result()

    def endpoint_subnet(self) -> str:
        """The id of the subscription's subnet for endpoints, made on first use."""
        try:
            return str(self.client.subnets.get(RESOURCE_GROUP, NETWORK, SUBNET).id)
        except ResourceNotFoundError:
            pass
        network = self.client.virtual_networks.begin_create_or_update(
            RESOURCE_GROUP,
            NETWORK,
            VirtualNetwork(
                {
                    "location": self.location,
                    "properties": {
                        "addressSpace": {"addressPrefixes": [ADDRESS_SPACE]},
                        "subnets": [
                            {"name": SUBNET, "properties": {"addressPrefix": SUBNET_PREFIX}}
                        ],
                    },
                }
            ),
        ).result()
        return str(network.subnets[0].id)


def _is_guid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return len(text) == 36
