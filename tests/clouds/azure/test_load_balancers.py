"""The internal load balancer through the gateway: its frontend in the nodes' subnet, a
rule per port with its pool of nodes and its probe, and Azure's rule limit."""

import pytest

from privatelink.clouds.azure import AzureGateway, Gone, Retryable, RuleTarget, Terminal, is_quota
from privatelink.clouds.azure.tags import TAG_OWNER
from tests.clouds.azure.conftest import GROUP, OWNER

LB = "lb-my-kafka"


@pytest.fixture
def load_balancer(network):
    return network.gateway.create_load_balancer(LB, network.nodes_subnet_id, OWNER)


def nodes(network, *ips: str, port: int = 9092) -> RuleTarget:
    return RuleTarget(backend_port=port, ips=ips, virtual_network_id=network.vnet.id)


def arm_load_balancer(fake_azure) -> dict:
    return next(r for r in fake_azure.resources() if r["name"] == LB)


def test_a_new_load_balancer_has_its_frontend_in_the_nodes_subnet_and_no_rules(
    load_balancer, fake_azure
):
    assert load_balancer.name == LB
    assert load_balancer.provisioning_state == "Succeeded"
    assert load_balancer.frontend_id.endswith(
        f"/loadBalancers/{LB}/frontendIPConfigurations/frontend"
    )
    # The first address Azure hands out in 10.20.0.0/24.
    assert load_balancer.frontend_ip == "10.20.0.4"
    assert load_balancer.rules == ()
    assert load_balancer.tags[TAG_OWNER] == OWNER
    arm = arm_load_balancer(fake_azure)
    assert arm["sku"]["name"] == "Standard"
    frontend = arm["properties"]["frontendIPConfigurations"][0]["properties"]
    assert "publicIPAddress" not in frontend


def test_a_rule_per_port_forwards_to_that_ports_nodes_with_a_tcp_probe(
    network, load_balancer, fake_azure
):
    gateway = network.gateway

    gateway.add_rule(LB, 10000, nodes(network, "10.20.0.10"))
    updated = gateway.add_rule(LB, 10001, nodes(network, "10.20.0.11", "10.20.0.12"))

    assert [(r.frontend_port, r.backend_port, r.backend_ips) for r in updated.rules] == [
        (10000, 9092, ("10.20.0.10",)),
        (10001, 9092, ("10.20.0.11", "10.20.0.12")),
    ]
    assert updated.ports == {10000, 10001}
    arm = arm_load_balancer(fake_azure)["properties"]
    rule = next(r for r in arm["loadBalancingRules"] if r["name"] == "port-10001")["properties"]
    assert rule["protocol"] == "Tcp"
    assert rule["probe"]["id"].endswith("/probes/port-10001")
    assert rule["backendAddressPool"]["id"].endswith("/backendAddressPools/port-10001")
    probe = next(p for p in arm["probes"] if p["name"] == "port-10001")["properties"]
    assert (probe["protocol"], probe["port"]) == ("Tcp", 9092)
    pool = next(p for p in arm["backendAddressPools"] if p["name"] == "port-10001")
    members = pool["properties"]["loadBalancerBackendAddresses"]
    assert {m["properties"]["virtualNetwork"]["id"] for m in members} == {network.vnet.id}


def test_rules_are_changed_in_one_update_and_removed_with_their_pool_and_probe(
    network, load_balancer, fake_azure
):
    gateway = network.gateway
    gateway.change_rules(LB, {p: nodes(network, f"10.20.0.{p - 9990}") for p in (10000, 10001)})

    changed = gateway.change_rules(
        LB, {10001: nodes(network, "10.20.0.99"), 10002: nodes(network, "10.20.0.12")}, [10000]
    )

    assert [(r.frontend_port, r.backend_ips) for r in changed.rules] == [
        (10001, ("10.20.0.99",)),
        (10002, ("10.20.0.12",)),
    ]
    gateway.remove_rule(LB, 10001)
    assert [r.frontend_port for r in gateway.rules(LB)] == [10002]
    arm = arm_load_balancer(fake_azure)["properties"]
    for section in ("loadBalancingRules", "probes", "backendAddressPools"):
        assert [item["name"] for item in arm[section]] == ["port-10002"]
    # The frontend keeps its address through every update.
    assert gateway.load_balancer(LB).frontend_ip == load_balancer.frontend_ip


def test_creating_twice_finds_the_first_load_balancer_with_its_rules(network, load_balancer):
    network.gateway.add_rule(LB, 10000, nodes(network, "10.20.0.10"))

    again = network.gateway.create_load_balancer(LB, network.nodes_subnet_id, OWNER)

    assert again.id == load_balancer.id
    assert again.ports == {10000}


def test_removing_a_port_without_a_rule_changes_nothing(network, load_balancer):
    network.gateway.add_rule(LB, 10000, nodes(network, "10.20.0.10"))

    assert network.gateway.remove_rule(LB, 10005).ports == {10000}


def test_more_rules_than_azure_allows_are_refused_as_a_quota_and_the_old_ones_stay(
    network, load_balancer, fake_azure
):
    fake_azure.set_quotas(load_balancing_rules_per_load_balancer=2)
    network.gateway.change_rules(LB, {p: nodes(network, "10.20.0.10") for p in (10000, 10001)})

    with pytest.raises(Terminal) as refusal:
        network.gateway.add_rule(LB, 10002, nodes(network, "10.20.0.10"))

    assert refusal.value.code == "LoadBalancingRulesLimitReached"
    assert "the limit is 2" in refusal.value.message
    assert refusal.value.operation == "change_rules"
    assert is_quota(refusal.value)
    assert network.gateway.load_balancer(LB).ports == {10000, 10001}


def test_rules_of_a_missing_load_balancer_are_none_and_changing_them_is_gone(network):
    assert network.gateway.rules("lb-nothing") == []
    assert network.gateway.load_balancer("lb-nothing") is None

    with pytest.raises(Gone) as gone:
        network.gateway.add_rule("lb-nothing", 10000, nodes(network, "10.20.0.10"))

    assert gone.value.code == "ResourceNotFound"


def test_a_load_balancer_is_deleted_and_deleting_it_again_is_done(network, load_balancer):
    network.gateway.delete_load_balancer(LB)
    network.gateway.delete_load_balancer(LB)

    assert network.gateway.load_balancer(LB) is None


def test_the_load_balancer_sits_in_the_configured_resource_group(load_balancer):
    assert f"/resourceGroups/{GROUP}/providers/Microsoft.Network/loadBalancers/{LB}" in (
        load_balancer.id
    )


def test_a_change_over_another_writers_change_is_refused_retryable_and_then_redone(
    network, load_balancer
):
    gateway = network.gateway
    calls = []

    def another_writer_meanwhile() -> None:
        calls.append(1)
        if len(calls) == 2:  # after the gateway read the load balancer, before it writes
            AzureGateway().add_rule(LB, 10001, nodes(network, "10.20.0.11"))

    gateway.before_call = another_writer_meanwhile
    with pytest.raises(Retryable) as lost:
        gateway.add_rule(LB, 10000, nodes(network, "10.20.0.10"))

    assert lost.value.code == "PreconditionFailed"
    gateway.before_call = None
    assert gateway.load_balancer(LB).ports == {10001}
    assert gateway.add_rule(LB, 10000, nodes(network, "10.20.0.10")).ports == {10000, 10001}
