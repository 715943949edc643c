"""The producer's flow through the real azure-mgmt-network client: network, load balancer,
private link service, a customer's endpoint, approval, rejection and deletion."""

import re

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from azure.mgmt.network.models import PrivateEndpointConnection

from fakeazure.pytest_plugin import PLATFORM_SUBSCRIPTION
from tests.fakeazure.conftest import CUSTOMER, GROUP, STRANGER, group_path

ALIAS = re.compile(
    r"^pls-my-kafka\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    r"\.westeurope\.azure\.privatelinkservice$"
)


def test_a_virtual_network_keeps_its_subnets_and_the_nat_subnet_has_policies_disabled(producer):
    vnet = producer.client.virtual_networks.get(GROUP, "vnet")

    policies = {s.name: s.private_link_service_network_policies for s in vnet.subnets}
    assert policies == {"brokers": "Enabled", "privatelink-nat": "Disabled"}
    assert vnet.provisioning_state == "Succeeded"
    assert vnet.id == f"{group_path()}/virtualNetworks/vnet"


def test_a_load_balancer_has_its_frontend_in_the_subnet_and_rules_that_name_pool_and_probe(
    producer,
):
    load_balancer = producer.load_balancer(ports=(10000, 10001))

    frontend = load_balancer.frontend_ip_configurations[0]
    assert frontend.subnet.id == producer.backend_subnet_id
    assert frontend.private_ip_address == "10.20.0.4"  # Azure keeps .0 to .3
    assert load_balancer.sku.name == "Standard"
    rules = {rule.name: rule for rule in load_balancer.load_balancing_rules}
    assert sorted(rules) == ["kafka-10000", "kafka-10001"]
    assert rules["kafka-10001"].probe.id.endswith("/probes/tcp-10001")
    assert rules["kafka-10001"].backend_address_pool.id == load_balancer.backend_address_pools[0].id
    assert producer.client.load_balancers.get(GROUP, "lb").provisioning_state == "Succeeded"


def test_a_rule_naming_a_probe_that_does_not_exist_is_refused_and_nothing_is_stored(
    producer, fake_azure
):
    lb_id = f"{group_path()}/loadBalancers/lb"
    with pytest.raises(HttpResponseError) as refusal:
        producer.client.load_balancers.begin_create_or_update(
            GROUP,
            "lb",
            {
                "location": "westeurope",
                "properties": {
                    "frontendIPConfigurations": [
                        {
                            "name": "front",
                            "properties": {"subnet": {"id": producer.backend_subnet_id}},
                        }
                    ],
                    "backendAddressPools": [{"name": "brokers"}],
                    "loadBalancingRules": [
                        {
                            "name": "kafka",
                            "properties": {
                                "frontendIPConfiguration": {
                                    "id": f"{lb_id}/frontendIPConfigurations/front"
                                },
                                "backendAddressPool": {
                                    "id": f"{lb_id}/backendAddressPools/brokers"
                                },
                                "probe": {"id": f"{lb_id}/probes/missing"},
                                "protocol": "Tcp",
                                "frontendPort": 10000,
                                "backendPort": 10000,
                            },
                        }
                    ],
                },
            },
        )

    assert refusal.value.error.code == "InvalidResourceReference"
    assert "probes/missing" in refusal.value.error.message
    assert not [r for r in fake_azure.resources() if r["type"] == "Microsoft.Network/loadBalancers"]


def test_a_private_link_service_gets_an_alias_nat_addresses_and_its_visibility(producer):
    service = producer.service(producer.load_balancer(), nat_configs=2)

    assert ALIAS.match(service.alias)
    assert service.visibility.subscriptions == [CUSTOMER]
    nat = [config.private_ip_address for config in service.ip_configurations]
    assert nat == ["10.20.1.4", "10.20.1.5"]
    assert service.provisioning_state == "Succeeded"
    # An update keeps the alias: customers already hold it.
    again = producer.service(producer.client.load_balancers.get(GROUP, "lb"), nat_configs=2)
    assert again.alias == service.alias


def test_a_customer_endpoint_appears_on_the_service_as_a_pending_connection(producer, fake_azure):
    service = producer.service(producer.load_balancer())

    endpoint = fake_azure.customer(CUSTOMER).create_endpoint(service.alias, name="pe-kafka")

    assert endpoint.status == "Pending"
    assert endpoint.id == (
        f"/subscriptions/{CUSTOMER}/resourceGroups/fakeazure-customer/providers/"
        "Microsoft.Network/privateEndpoints/pe-kafka"
    )
    assert endpoint.ip_address == "10.1.0.4"
    connections = list(
        producer.client.private_link_services.list_private_endpoint_connections(
            GROUP, "pls-my-kafka"
        )
    )
    assert [c.private_endpoint.id for c in connections] == [endpoint.id]
    assert connections[0].private_link_service_connection_state.status == "Pending"
    assert connections[0].name.startswith("pe-kafka.")
    listed = producer.client.private_link_services.get(GROUP, "pls-my-kafka")
    assert [c.id for c in listed.private_endpoint_connections] == [connections[0].id]


def test_an_endpoint_may_name_the_service_by_resource_id(producer, fake_azure):
    service = producer.service(producer.load_balancer())

    endpoint = fake_azure.customer(CUSTOMER).create_endpoint(service.id)

    assert endpoint.status == "Pending"


def test_approving_then_rejecting_a_connection_shows_on_the_customer_endpoint(producer, fake_azure):
    producer.service(producer.load_balancer())
    service = producer.client.private_link_services.get(GROUP, "pls-my-kafka")
    customer = fake_azure.customer(CUSTOMER)
    customer.create_endpoint(service.alias, name="pe-kafka")
    connection = producer.client.private_link_services.list_private_endpoint_connections(
        GROUP, "pls-my-kafka"
    ).next()

    approved = producer.client.private_link_services.update_private_endpoint_connection(
        GROUP,
        "pls-my-kafka",
        connection.name,
        PrivateEndpointConnection(
            {
                "properties": {
                    "privateLinkServiceConnectionState": {"status": "Approved", "description": "ok"}
                }
            }
        ),
    )

    assert approved.private_link_service_connection_state.status == "Approved"
    assert [e.status for e in customer.list_endpoints()] == ["Approved"]
    producer.client.private_link_services.update_private_endpoint_connection(
        GROUP,
        "pls-my-kafka",
        connection.name,
        {"properties": {"privateLinkServiceConnectionState": {"status": "Rejected"}}},
    )
    fetched = producer.client.private_link_services.get_private_endpoint_connection(
        GROUP, "pls-my-kafka", connection.name
    )
    assert fetched.private_link_service_connection_state.status == "Rejected"
    assert [e.status for e in customer.list_endpoints()] == ["Rejected"]


def test_a_status_other_than_approved_or_rejected_is_refused_with_armss_error(producer, fake_azure):
    service = producer.service(producer.load_balancer())
    fake_azure.customer(CUSTOMER).create_endpoint(service.alias)
    connection = service_connection(producer)

    with pytest.raises(HttpResponseError) as refusal:
        producer.client.private_link_services.update_private_endpoint_connection(
            GROUP,
            "pls-my-kafka",
            connection.name,
            {"properties": {"privateLinkServiceConnectionState": {"status": "Disconnected"}}},
        )

    assert refusal.value.status_code == 400
    assert refusal.value.error.code == "InvalidPrivateEndpointConnectionStatus"
    assert service_connection(producer).private_link_service_connection_state.status == "Pending"


def test_deleting_a_connection_leaves_the_customer_endpoint_disconnected(producer, fake_azure):
    service = producer.service(producer.load_balancer())
    customer = fake_azure.customer(CUSTOMER)
    customer.create_endpoint(service.alias)
    connection = service_connection(producer)

    producer.client.private_link_services.begin_delete_private_endpoint_connection(
        GROUP, "pls-my-kafka", connection.name
    ).result()

    assert not list(
        producer.client.private_link_services.list_private_endpoint_connections(
            GROUP, "pls-my-kafka"
        )
    )
    assert [e.status for e in customer.list_endpoints()] == ["Disconnected"]


def test_a_customer_deleting_its_endpoint_removes_the_connection(producer, fake_azure):
    service = producer.service(producer.load_balancer())
    customer = fake_azure.customer(CUSTOMER)
    endpoint = customer.create_endpoint(service.alias)

    customer.delete_endpoint(endpoint.id)

    assert customer.list_endpoints() == []
    assert not list(
        producer.client.private_link_services.list_private_endpoint_connections(
            GROUP, "pls-my-kafka"
        )
    )


def test_a_subscription_outside_the_visibility_cannot_find_the_service(producer, fake_azure):
    service = producer.service(producer.load_balancer(), visibility=(CUSTOMER,))

    with pytest.raises(HttpResponseError) as refusal:
        fake_azure.customer(STRANGER).create_endpoint(service.alias)

    assert refusal.value.error.code == "PrivateLinkServiceNotFound"
    assert STRANGER in refusal.value.error.message
    assert not list(
        producer.client.private_link_services.list_private_endpoint_connections(
            GROUP, "pls-my-kafka"
        )
    )
    assert not [
        r for r in fake_azure.resources() if r["type"] == "Microsoft.Network/privateEndpoints"
    ]


def test_a_customer_can_ask_whether_the_service_is_visible_to_it(producer, fake_azure):
    service = producer.service(producer.load_balancer(), visibility=(CUSTOMER,))

    def visible(subscription, alias):
        return (
            fake_azure.client(subscription)
            .private_link_services.begin_check_private_link_service_visibility(
                "westeurope", {"privateLinkServiceAlias": alias}
            )
            .result()
            .visible
        )

    assert visible(CUSTOMER, service.alias) is True
    assert visible(STRANGER, service.alias) is False
    assert visible(CUSTOMER, "nothing.0000.westeurope.azure.privatelinkservice") is False


def test_a_visibility_of_star_lets_any_subscription_connect(producer, fake_azure):
    service = producer.service(producer.load_balancer(), visibility=("*",))

    endpoint = fake_azure.customer(STRANGER).create_endpoint(service.alias)

    assert endpoint.status == "Pending"


def test_a_subscription_in_auto_approval_is_approved_at_once(producer, fake_azure):
    load_balancer = producer.load_balancer()
    service = producer.client.private_link_services.begin_create_or_update(
        GROUP,
        "pls-auto",
        {
            "location": "westeurope",
            "properties": {
                "loadBalancerFrontendIpConfigurations": [
                    {"id": load_balancer.frontend_ip_configurations[0].id}
                ],
                "ipConfigurations": [
                    {"name": "nat", "properties": {"subnet": {"id": producer.nat_subnet_id}}}
                ],
                "visibility": {"subscriptions": [CUSTOMER]},
                "autoApproval": {"subscriptions": [CUSTOMER]},
            },
        },
    ).result()

    assert fake_azure.customer(CUSTOMER).create_endpoint(service.alias).status == "Approved"


def test_an_automatic_request_from_the_services_own_subscription_is_approved_but_a_manual_one_waits(
    producer, fake_azure
):
    service = producer.service(producer.load_balancer())
    own = fake_azure.customer(PLATFORM_SUBSCRIPTION)
    subnet_id = own.endpoint_subnet()

    def endpoint(name, section):
        return producer.client.private_endpoints.begin_create_or_update(
            "fakeazure-customer",
            name,
            {
                "location": "westeurope",
                "properties": {
                    "subnet": {"id": subnet_id},
                    section: [{"name": name, "properties": {"privateLinkServiceId": service.id}}],
                },
            },
        ).result()

    automatic = endpoint("pe-auto", "privateLinkServiceConnections")
    manual = endpoint("pe-manual", "manualPrivateLinkServiceConnections")

    state = automatic.private_link_service_connections[0].private_link_service_connection_state
    assert state.status == "Approved"
    waiting = manual.manual_private_link_service_connections[0]
    assert waiting.private_link_service_connection_state.status == "Pending"


def test_tearing_down_in_order_leaves_nothing(producer, fake_azure):
    service = producer.service(producer.load_balancer())
    customer = fake_azure.customer(CUSTOMER)
    endpoint = customer.create_endpoint(service.alias)
    client = producer.client

    client.private_link_services.begin_delete(GROUP, "pls-my-kafka").result()
    client.load_balancers.begin_delete(GROUP, "lb").result()
    client.virtual_networks.begin_delete(GROUP, "vnet").result()
    customer.delete_endpoint(endpoint.id)
    fake_azure.customer(CUSTOMER).client.virtual_networks.begin_delete(
        "fakeazure-customer", "customer-network"
    ).result()

    assert fake_azure.resources() == []
    with pytest.raises(ResourceNotFoundError):
        client.private_link_services.get(GROUP, "pls-my-kafka")


def test_a_load_balancer_behind_a_service_cannot_be_deleted(producer, fake_azure):
    producer.service(producer.load_balancer())

    with pytest.raises(HttpResponseError) as refusal:
        producer.client.load_balancers.begin_delete(GROUP, "lb").result()

    assert (
        refusal.value.error.code == "LoadBalancerFrontendIPConfigurationInUseByPrivateLinkService"
    )
    assert producer.client.load_balancers.get(GROUP, "lb").provisioning_state == "Succeeded"


def test_a_subnet_in_use_cannot_be_deleted(producer):
    producer.load_balancer()

    with pytest.raises(HttpResponseError) as refusal:
        producer.client.subnets.begin_delete(GROUP, "vnet", "brokers").result()

    assert refusal.value.error.code == "InUseSubnetCannotBeDeleted"
    assert producer.client.subnets.get(GROUP, "vnet", "brokers").address_prefix == "10.20.0.0/24"


def test_resources_are_kept_per_subscription(producer, fake_azure):
    other = fake_azure.client("00000000-0000-0000-0000-0000000000bb")

    with pytest.raises(ResourceNotFoundError):
        other.virtual_networks.get(GROUP, "vnet")
    assert producer.client.virtual_networks.get(GROUP, "vnet").id.startswith(
        f"/subscriptions/{PLATFORM_SUBSCRIPTION}/"
    )


def test_a_subscription_lists_its_services_across_resource_groups_with_their_tags(
    producer, fake_azure
):
    producer.service(producer.load_balancer())
    producer.client.load_balancers.begin_create_or_update(
        "another-group",
        "lb-tagged",
        {
            "location": "westeurope",
            "tags": {"owner": "privatelink-7"},
            "properties": {
                "frontendIPConfigurations": [
                    {"name": "front", "properties": {"subnet": {"id": producer.backend_subnet_id}}}
                ]
            },
        },
    ).result()

    listed = {lb.name: lb.tags for lb in producer.client.load_balancers.list_all()}

    assert listed == {"lb": {}, "lb-tagged": {"owner": "privatelink-7"}}
    assert [s.name for s in producer.client.private_link_services.list_by_subscription()] == [
        "pls-my-kafka"
    ]
    assert list(fake_azure.client(CUSTOMER).load_balancers.list_all()) == []


def service_connection(producer):
    return next(
        iter(
            producer.client.private_link_services.list_private_endpoint_connections(
                GROUP, "pls-my-kafka"
            )
        )
    )
