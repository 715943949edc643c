"""Azure's limits and refusals, as the real SDK meets them: rules per load balancer, NAT IP
configurations per private link service, subnets with network policies enabled."""

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

from tests.fakeazure.conftest import GROUP, group_path


def test_a_private_link_service_on_a_subnet_with_network_policies_enabled_is_refused(producer):
    subnet_id = producer.subnet("nat-enabled", "10.20.2.0/24", pls_policies="Enabled")

    with pytest.raises(HttpResponseError) as refusal:
        producer.service(producer.load_balancer(), subnet_id=subnet_id)

    assert refusal.value.status_code == 400
    assert (
        refusal.value.error.code
        == "PrivateLinkServiceCannotBeCreatedInSubnetThatHasNetworkPoliciesEnabled"
    )
    assert subnet_id in refusal.value.error.message
    with pytest.raises(ResourceNotFoundError):
        producer.client.private_link_services.get(GROUP, "pls-my-kafka")


def test_network_policies_cannot_be_enabled_on_a_subnet_holding_nat_addresses(producer):
    producer.service(producer.load_balancer())

    with pytest.raises(HttpResponseError) as refusal:
        producer.subnet("privatelink-nat", "10.20.1.0/24", pls_policies="Enabled")

    assert (
        refusal.value.error.code
        == "PrivateLinkServiceNetworkPoliciesCannotBeEnabledOnPrivateLinkServiceSubnet"
    )
    subnet = producer.client.subnets.get(GROUP, "vnet", "privatelink-nat")
    assert subnet.private_link_service_network_policies == "Disabled"


def test_eight_nat_ip_configurations_are_allowed_and_a_ninth_is_refused(producer):
    load_balancer = producer.load_balancer()

    service = producer.service(load_balancer, nat_configs=8)
    assert len(service.ip_configurations) == 8

    with pytest.raises(HttpResponseError) as refusal:
        producer.service(load_balancer, nat_configs=9)

    assert refusal.value.error.code == "PrivateLinkServiceIpConfigurationsLimitReached"
    assert "at most 8" in refusal.value.error.message
    kept = producer.client.private_link_services.get(GROUP, "pls-my-kafka")
    assert len(kept.ip_configurations) == 8


def test_load_balancing_rules_beyond_the_limit_are_refused_and_the_old_rules_stay(
    producer, fake_azure
):
    fake_azure.set_quotas(load_balancing_rules_per_load_balancer=3)
    producer.load_balancer(ports=(10000, 10001, 10002))

    with pytest.raises(HttpResponseError) as refusal:
        producer.load_balancer(ports=(10000, 10001, 10002, 10003))

    assert refusal.value.error.code == "LoadBalancingRulesLimitReached"
    assert "the limit is 3" in refusal.value.error.message
    rules = producer.client.load_balancers.get(GROUP, "lb").load_balancing_rules
    assert [rule.frontend_port for rule in rules] == [10000, 10001, 10002]


def test_the_default_rule_limit_is_azures_1500(fake_azure):
    assert fake_azure.set_quotas() == {
        "load_balancing_rules_per_load_balancer": 1500,
        "nat_ip_configurations_per_private_link_service": 8,
    }


def test_two_rules_on_one_frontend_port_are_refused(producer):
    lb_id = f"{group_path()}/loadBalancers/lb"
    rules = [
        {
            "name": name,
            "properties": {
                "frontendIPConfiguration": {"id": f"{lb_id}/frontendIPConfigurations/front"},
                "backendAddressPool": {"id": f"{lb_id}/backendAddressPools/brokers"},
                "protocol": "Tcp",
                "frontendPort": 10000,
                "backendPort": backend_port,
            },
        }
        for name, backend_port in (("first", 10000), ("second", 10001))
    ]

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
                    "loadBalancingRules": rules,
                },
            },
        )

    assert refusal.value.error.code == "LoadBalancingRuleFrontendPortConflict"
    assert "first and second" in refusal.value.error.message
    assert list(producer.client.load_balancers.list(GROUP)) == []


def test_a_subnet_outside_the_address_space_is_refused(producer):
    with pytest.raises(HttpResponseError) as refusal:
        producer.subnet("elsewhere", "10.99.0.0/24")

    assert refusal.value.error.code == "NetcfgSubnetRangeOutsideVnet"
    names = [s.name for s in producer.client.subnets.list(GROUP, "vnet")]
    assert names == ["brokers", "privatelink-nat"]


def test_an_overlapping_subnet_is_refused(producer):
    with pytest.raises(HttpResponseError) as refusal:
        producer.subnet("overlap", "10.20.1.128/25")

    assert refusal.value.error.code == "NetcfgSubnetRangesOverlap"
    assert "privatelink-nat" in refusal.value.error.message
