"""The Azure gateway pointed at the fake ARM through the console's own settings, and a
producer's network built through it."""

from dataclasses import dataclass

import pytest

from fakeazure.pytest_plugin import PLATFORM_SUBSCRIPTION, FakeAzure
from privatelink.clouds.azure import AzureGateway, AzureVirtualNetwork
from privatelink.clouds.azure.network import NAT_SUBNET, NODES_SUBNET

GROUP = "privatelink-test"
LOCATION = "westeurope"
CUSTOMER = "00000000-0000-0000-0000-000000000001"
STRANGER = "00000000-0000-0000-0000-000000000002"
OWNER = "privatelink/7"


@pytest.fixture
def azure_settings(settings, fake_azure: FakeAzure):
    """The console's Azure settings, as `make run` sets them, for the fake of this session.

    No retries inside the SDK: a test sees each of the fake's answers as the gateway does.
    """
    settings.AZURE_ENDPOINT_URL = fake_azure.endpoint_url
    settings.AZURE_CERTIFICATE = str(fake_azure.certificate)
    settings.AZURE_SUBSCRIPTION_ID = PLATFORM_SUBSCRIPTION
    settings.AZURE_RESOURCE_GROUP = GROUP
    settings.AZURE_LOCATION = LOCATION
    settings.AZURE_POLLING_INTERVAL = 0.05
    settings.AZURE_MAX_RETRIES = 0
    settings.DEPLOYMENT_ID = "test-deployment"
    return settings


@pytest.fixture
def gateway(azure_settings) -> AzureGateway:
    return AzureGateway()


@dataclass
class Network:
    gateway: AzureGateway
    vnet: AzureVirtualNetwork

    @property
    def nodes_subnet_id(self) -> str:
        subnet = self.vnet.subnet(NODES_SUBNET)
        assert subnet is not None
        return subnet.id

    @property
    def nat_subnet_id(self) -> str:
        subnet = self.vnet.subnet(NAT_SUBNET)
        assert subnet is not None
        return subnet.id


@pytest.fixture
def network(gateway: AzureGateway) -> Network:
    vnet = gateway.create_virtual_network(
        "vnet-my-kafka", "10.20.0.0/16", "10.20.0.0/24", "10.20.1.0/24", OWNER
    )
    return Network(gateway, vnet)
