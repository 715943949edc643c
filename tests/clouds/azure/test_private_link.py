"""The private link service and its connections through the gateway, with customers'
private endpoints made by the fake's customer (the real SDK in another subscription)."""

import pytest

from privatelink.clouds.azure import Gone, RuleTarget, Terminal, is_quota
from privatelink.clouds.azure.private_link import APPROVED, DISCONNECTED, PENDING, REJECTED
from tests.clouds.azure.conftest import CUSTOMER, OWNER, STRANGER

PLS = "pls-my-kafka"


def visible(fake_azure, subscription: str, alias: str) -> bool:
    """What a customer's `checkPrivateLinkServiceVisibility` answers."""
    client = fake_azure.customer(subscription).client
    answer = client.private_link_services.begin_check_private_link_service_visibility(
        "westeurope", {"privateLinkServiceAlias": alias}
    ).result()
    return bool(answer.visible)


@pytest.fixture
def load_balancer(network):
    gateway = network.gateway
    gateway.create_load_balancer("lb-my-kafka", network.nodes_subnet_id, OWNER)
    target = RuleTarget(9092, ("10.20.0.10",), network.vnet.id)
    return gateway.add_rule("lb-my-kafka", 10000, target)


@pytest.fixture
def service(network, load_balancer):
    return network.gateway.create_private_link_service(
        PLS, load_balancer.frontend_id, network.nat_subnet_id, [CUSTOMER], OWNER
    )


def test_a_service_behind_the_frontend_has_an_alias_nat_addresses_and_its_visibility(
    network, load_balancer, service
):
    assert service.name == PLS
    assert service.id.endswith(f"/privateLinkServices/{PLS}")
    assert service.alias.startswith(f"{PLS}.")
    assert service.alias.endswith(".westeurope.azure.privatelinkservice")
    assert service.provisioning_state == "Succeeded"
    assert service.frontend_ids == (load_balancer.frontend_id,)
    assert service.nat_ips == ("10.20.1.4",)
    assert service.visibility == {CUSTOMER}
    assert service.owned_by(OWNER)
    assert network.gateway.private_link_service(PLS) == service


def test_nat_addresses_are_asked_for_up_to_azures_eight(network, load_balancer):
    service = network.gateway.create_private_link_service(
        PLS, load_balancer.frontend_id, network.nat_subnet_id, [CUSTOMER], OWNER, nat_ip_count=8
    )

    assert len(service.nat_ips) == 8
    with pytest.raises(Terminal) as refusal:
        network.gateway.create_private_link_service(
            "pls-other", load_balancer.frontend_id, network.nat_subnet_id, [], OWNER, 9
        )
    assert is_quota(refusal.value)
    assert network.gateway.private_link_service("pls-other") is None


def test_a_lower_nat_limit_of_azure_is_a_quota_refusal(network, load_balancer, fake_azure):
    fake_azure.set_quotas(nat_ip_configurations_per_private_link_service=2)

    with pytest.raises(Terminal) as refusal:
        network.gateway.create_private_link_service(
            PLS, load_balancer.frontend_id, network.nat_subnet_id, [CUSTOMER], OWNER, 3
        )

    assert refusal.value.code == "PrivateLinkServiceIpConfigurationsLimitReached"
    assert is_quota(refusal.value)


def test_a_nat_subnet_with_network_policies_is_refused_terminally(network, load_balancer):
    subnet = network.gateway.put_subnet("vnet-my-kafka", "plain", "10.20.5.0/24")

    with pytest.raises(Terminal) as refusal:
        network.gateway.create_private_link_service(
            PLS, load_balancer.frontend_id, subnet.id, [CUSTOMER], OWNER
        )

    assert refusal.value.code == (
        "PrivateLinkServiceCannotBeCreatedInSubnetThatHasNetworkPoliciesEnabled"
    )
    assert subnet.id in refusal.value.message
    assert not is_quota(refusal.value)


def test_creating_twice_finds_the_first_service_with_its_alias_and_visibility(
    network, load_balancer, service, fake_azure
):
    network.gateway.set_visibility(PLS, [CUSTOMER, STRANGER])

    again = network.gateway.create_private_link_service(
        PLS, load_balancer.frontend_id, network.nat_subnet_id, [CUSTOMER], OWNER
    )

    assert again.alias == service.alias
    assert again.visibility == {CUSTOMER, STRANGER}
    services = [r for r in fake_azure.resources() if r["type"].endswith("/privateLinkServices")]
    assert len(services) == 1


def test_visibility_decides_which_subscriptions_may_connect_and_keeps_the_alias(
    network, service, fake_azure
):
    assert not visible(fake_azure, STRANGER, service.alias)

    updated = network.gateway.set_visibility(PLS, [CUSTOMER, STRANGER])

    assert updated.visibility == {CUSTOMER, STRANGER}
    assert updated.alias == service.alias
    assert updated.nat_ips == service.nat_ips
    assert visible(fake_azure, STRANGER, service.alias)
    assert network.gateway.set_visibility(PLS, []).visibility == frozenset()
    assert not visible(fake_azure, CUSTOMER, service.alias)


def test_setting_the_visibility_of_a_missing_service_is_gone(network):
    with pytest.raises(Gone):
        network.gateway.set_visibility("pls-nothing", [CUSTOMER])


def test_a_customers_endpoint_is_pending_until_approved(network, service, fake_azure):
    customer = fake_azure.customer(CUSTOMER)
    endpoint = customer.create_endpoint(service.alias, name="pe-orders")

    [pending] = network.gateway.connections(PLS)
    assert pending.status == PENDING
    assert pending.private_endpoint_id.lower() == endpoint.id.lower()
    assert pending.subscription_id == CUSTOMER
    assert pending.name.startswith("pe-orders.")

    approved = network.gateway.approve_connection(PLS, pending.name, "Approved by the console")

    assert (approved.status, approved.description) == (APPROVED, "Approved by the console")
    assert [c.status for c in network.gateway.connections(PLS)] == [APPROVED]
    assert [e.status for e in customer.list_endpoints()] == [APPROVED]


def test_a_rejected_connection_says_why_to_the_customer(network, service, fake_azure):
    customer = fake_azure.customer(CUSTOMER)
    customer.create_endpoint(service.alias)
    [pending] = network.gateway.connections(PLS)

    rejected = network.gateway.reject_connection(PLS, pending.name, "Not an allowed account")

    assert (rejected.status, rejected.description) == (REJECTED, "Not an allowed account")
    [endpoint] = customer.list_endpoints()
    assert endpoint.status == REJECTED


def test_a_deleted_connection_leaves_the_customers_endpoint_disconnected(
    network, service, fake_azure
):
    customer = fake_azure.customer(CUSTOMER)
    customer.create_endpoint(service.alias)
    [connection] = network.gateway.connections(PLS)

    network.gateway.delete_connection(PLS, connection.name)
    network.gateway.delete_connection(PLS, connection.name)

    assert network.gateway.connections(PLS) == []
    assert [e.status for e in customer.list_endpoints()] == [DISCONNECTED]


def test_deciding_on_a_connection_that_is_gone_is_gone(network, service):
    with pytest.raises(Gone):
        network.gateway.approve_connection(PLS, "pe-nothing.0000", "")


def test_a_missing_service_has_no_connections_and_deleting_it_is_done(network, service):
    network.gateway.delete_private_link_service(PLS)
    network.gateway.delete_private_link_service(PLS)

    assert network.gateway.private_link_service(PLS) is None
    assert network.gateway.connections(PLS) == []
    # The frontend is free again: the load balancer may go now.
    network.gateway.delete_load_balancer("lb-my-kafka")
    assert network.gateway.load_balancer("lb-my-kafka") is None


def test_a_load_balancer_whose_frontend_a_service_uses_is_not_deleted(network, service):
    with pytest.raises(Terminal) as refusal:
        network.gateway.delete_load_balancer("lb-my-kafka")

    assert refusal.value.code == "LoadBalancerFrontendIPConfigurationInUseByPrivateLinkService"
