"""The Google gateway pointed at the fake Compute through the console's own settings, and a
producer's network and internal load balancer built through it."""

from dataclasses import dataclass

import pytest

from fakegoogle.pytest_plugin import PLATFORM_PROJECT, FakeGoogle
from privatelink.clouds.google import (
    GoogleForwardingRule,
    GoogleGateway,
    GoogleNetwork,
    GoogleSubnet,
)

REGION = "europe-west1"
CUSTOMER = "customer-project"
STRANGER = "stranger-project"
OWNER = "privatelink/7"
NODES_GROUP = f"projects/{PLATFORM_PROJECT}/zones/{REGION}-b/networkEndpointGroups/kafka-nodes"


@pytest.fixture
def google_settings(settings, fake_google: FakeGoogle):
    """The console's Google settings, as `make run` sets them, for the fake of this session."""
    settings.GOOGLE_ENDPOINT_URL = fake_google.endpoint_url
    settings.GOOGLE_PROJECT = PLATFORM_PROJECT
    settings.GOOGLE_REGION = REGION
    settings.GOOGLE_POLLING_INTERVAL = 0.05
    settings.DEPLOYMENT_ID = "test-deployment"
    return settings


@pytest.fixture
def gateway(google_settings) -> GoogleGateway:
    return GoogleGateway()


@dataclass
class Front:
    network: GoogleNetwork
    nodes: GoogleSubnet
    nat: GoogleSubnet
    rule: GoogleForwardingRule


def build_front(gateway: GoogleGateway, owner: str = OWNER, suffix: str = "") -> Front:
    """A network with its nodes' subnet and a PSC NAT subnet, and the internal load
    balancer (health check, backend service, forwarding rule on 9092) in front."""
    network = gateway.create_network(f"net{suffix}", owner)
    nodes = gateway.create_subnet(f"nodes{suffix}", network, "10.0.0.0/24", owner)
    nat = gateway.create_subnet(f"nat{suffix}", network, "172.24.0.0/26", owner, psc_nat=True)
    check = gateway.create_health_check(f"hc{suffix}", 9092, owner)
    service = gateway.create_backend_service(f"bes{suffix}", check, [NODES_GROUP], owner)
    rule = gateway.create_forwarding_rule(f"ilb{suffix}", service, nodes, [9092], owner)
    return Front(network, nodes, nat, rule)


@pytest.fixture
def front(gateway: GoogleGateway) -> Front:
    return build_front(gateway)
