"""The producer's side of Azure Private Link, built with the real SDK as the console will."""

from dataclasses import dataclass
from typing import Any

import pytest
from azure.mgmt.network import NetworkManagementClient
from azure.mgmt.network.models import LoadBalancer, PrivateLinkService, Subnet, VirtualNetwork

from fakeazure.pytest_plugin import PLATFORM_SUBSCRIPTION, FakeAzure

GROUP = "privatelink-my-kafka"
LOCATION = "westeurope"
CUSTOMER = "00000000-0000-0000-0000-000000000001"
STRANGER = "00000000-0000-0000-0000-000000000002"


def group_path(subscription: str = PLATFORM_SUBSCRIPTION, group: str = GROUP) -> str:
    return f"/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Network"


@dataclass
class Producer:
    client: NetworkManagementClient
    vnet: Any
    backend_subnet_id: str
    nat_subnet_id: str

    def subnet(self, name: str, prefix: str, pls_policies: str = "Disabled") -> str:
        return str(
            self.client.subnets.begin_create_or_update(
                GROUP,
                "vnet",
                name,
                Subnet(
                    {
                        "properties": {
                            "addressPrefix": prefix,
                            "privateLinkServiceNetworkPolicies": pls_policies,
                        }
                    }
                ),
            )
            .result()
            .id
        )

    def load_balancer(self, name: str = "lb", ports: tuple[int, ...] = (10000,)) -> Any:
        lb_id = f"{group_path()}/loadBalancers/{name}"
        return self.client.load_balancers.begin_create_or_update(
            GROUP,
            name,
            LoadBalancer(
                {
                    "location": LOCATION,
                    "sku": {"name": "Standard"},
                    "properties": {
                        "frontendIPConfigurations": [
                            {
                                "name": "front",
                                "properties": {"subnet": {"id": self.backend_subnet_id}},
                            }
                        ],
                        "backendAddressPools": [{"name": "brokers"}],
                        "probes": [
                            {"name": f"tcp-{port}", "properties": {"protocol": "Tcp", "port": port}}
                            for port in ports
                        ],
                        "loadBalancingRules": [
                            {
                                "name": f"kafka-{port}",
                                "properties": {
                                    "frontendIPConfiguration": {
                                        "id": f"{lb_id}/frontendIPConfigurations/front"
                                    },
                                    "backendAddressPool": {
                                        "id": f"{lb_id}/backendAddressPools/brokers"
                                    },
                                    "probe": {"id": f"{lb_id}/probes/tcp-{port}"},
                                    "protocol": "Tcp",
                                    "frontendPort": port,
                                    "backendPort": port,
                                },
                            }
                            for port in ports
                        ],
                    },
                }
            ),
        ).result()

    def service(
        self,
        load_balancer: Any,
        name: str = "pls-my-kafka",
        visibility: tuple[str, ...] = (CUSTOMER,),
        nat_configs: int = 1,
        subnet_id: str | None = None,
    ) -> Any:
        return self.client.private_link_services.begin_create_or_update(
            GROUP,
            name,
            PrivateLinkService(
                {
                    "location": LOCATION,
                    "properties": {
                        "loadBalancerFrontendIpConfigurations": [
                            {"id": load_balancer.frontend_ip_configurations[0].id}
                        ],
                        "ipConfigurations": [
                            {
                                "name": f"nat-{i}",
                                "properties": {
                                    "subnet": {"id": subnet_id or self.nat_subnet_id},
                                    "primary": i == 0,
                                },
                            }
                            for i in range(nat_configs)
                        ],
                        "visibility": {"subscriptions": list(visibility)},
                    },
                }
            ),
        ).result()


@pytest.fixture
def producer(fake_azure: FakeAzure) -> Producer:
    return build_producer(fake_azure)


def build_producer(fake_azure: FakeAzure) -> Producer:
    """A virtual network with a subnet for the brokers and a NAT subnet for Private Link."""
    client = fake_azure.client()
    vnet = client.virtual_networks.begin_create_or_update(
        GROUP,
        "vnet",
        VirtualNetwork(
            {
                "location": LOCATION,
                "properties": {
                    "addressSpace": {"addressPrefixes": ["10.20.0.0/16"]},
                    "subnets": [
                        {"name": "brokers", "properties": {"addressPrefix": "10.20.0.0/24"}},
                        {
                            "name": "privatelink-nat",
                            "properties": {
                                "addressPrefix": "10.20.1.0/24",
                                "privateLinkServiceNetworkPolicies": "Disabled",
                            },
                        },
                    ],
                },
            }
        ),
    ).result()
    subnets = {subnet.name: subnet.id for subnet in vnet.subnets}
    return Producer(client, vnet, subnets["brokers"], subnets["privatelink-nat"])
