"""The leak scan's view: this deployment's resources anywhere in the subscription, found
by their tags, and deleted in their own resource group."""

import pytest
from azure.mgmt.network.models import VirtualNetwork

from fakeazure.pytest_plugin import PLATFORM_SUBSCRIPTION
from privatelink.clouds.azure import AzureGateway, RuleTarget
from privatelink.clouds.azure.inventory import (
    LOAD_BALANCERS,
    PRIVATE_LINK_SERVICES,
    VIRTUAL_NETWORKS,
)
from privatelink.clouds.azure.tags import TAG_DEPLOYMENT, TAG_OWNER
from tests.clouds.azure.conftest import CUSTOMER, GROUP, OWNER


@pytest.fixture
def link(network):
    gateway = network.gateway
    load_balancer = gateway.create_load_balancer("lb-my-kafka", network.nodes_subnet_id, OWNER)
    gateway.add_rule("lb-my-kafka", 10000, RuleTarget(9092, ("10.20.0.10",), network.vnet.id))
    return gateway.create_private_link_service(
        "pls-my-kafka", load_balancer.frontend_id, network.nat_subnet_id, [CUSTOMER], OWNER
    )


def other_network(fake_azure, group: str, name: str, tags: dict[str, str]) -> None:
    fake_azure.client(PLATFORM_SUBSCRIPTION).virtual_networks.begin_create_or_update(
        group,
        name,
        VirtualNetwork(
            {
                "location": "westeurope",
                "tags": tags,
                "properties": {"addressSpace": {"addressPrefixes": ["10.50.0.0/16"]}},
            }
        ),
    ).result()


def test_ours_are_listed_services_first_and_others_are_not(network, link, fake_azure):
    other_network(fake_azure, GROUP, "someone-elses", {"team": "data"})
    other_network(
        fake_azure,
        GROUP,
        "other-deployments",
        {TAG_DEPLOYMENT: "another-deployment", TAG_OWNER: OWNER},
    )

    found = network.gateway.our_resources()

    assert [(r.kind, r.name) for r in found] == [
        (PRIVATE_LINK_SERVICES, "pls-my-kafka"),
        (LOAD_BALANCERS, "lb-my-kafka"),
        (VIRTUAL_NETWORKS, "vnet-my-kafka"),
    ]
    assert {r.owner for r in found} == {OWNER}
    assert {r.resource_group for r in found} == {GROUP}
    assert {r.provisioning_state for r in found} == {"Succeeded"}


def test_ours_in_another_resource_group_are_found_and_deleted_there(azure_settings, fake_azure):
    azure_settings.AZURE_RESOURCE_GROUP = "privatelink-before"
    AzureGateway().create_virtual_network(
        "vnet-old", "10.60.0.0/16", "10.60.0.0/24", "10.60.1.0/24", "privatelink/3"
    )
    azure_settings.AZURE_RESOURCE_GROUP = GROUP
    gateway = AzureGateway()

    [old] = gateway.our_resources([VIRTUAL_NETWORKS])
    assert (old.name, old.resource_group, old.owner) == (
        "vnet-old",
        "privatelink-before",
        "privatelink/3",
    )

    gateway.delete_resource(old)
    gateway.delete_resource(old)
    assert gateway.our_resources() == []


def test_deleting_what_was_found_in_order_leaves_nothing(network, link, fake_azure):
    for resource in network.gateway.our_resources():
        network.gateway.delete_resource(resource)

    assert network.gateway.our_resources() == []
    assert fake_azure.resources() == []


def test_the_limits_the_planner_reads_are_azures(gateway):
    limits = gateway.limits()

    assert limits.nat_ip_configurations_per_private_link_service == 8
    assert limits.load_balancing_rules_per_load_balancer == 1500
