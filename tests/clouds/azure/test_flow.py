"""An Azure PrivateLink end to end through the engine: the customer's private endpoints
(made with the real SDK in the fake Azure) are seen, approved by the user, connected, and
published in the platform's zone (the fake AWS's Route 53) at the address the user gives."""

import pytest

from console import actions as console_actions
from console.models import AuditEvent, Service
from privatelink import actions, azure_actions, hosts, sweep
from privatelink.clouds.azure import AzureGateway
from privatelink.clouds.azure.names import load_balancer_name, private_link_service_name
from privatelink.models import Listener, PrivateLink, PrivateLinkConnection
from tests.clouds.azure.conftest import CUSTOMER, STRANGER
from tests.clouds.platform_zone import record_sets, value_of
from tests.privatelink.engine import converge

State = PrivateLinkConnection.State
LOAD_BALANCER = "Microsoft.Network/loadBalancers"


@pytest.fixture
def active_link(azure_settings, fake_aws, azure_service, developer, queued, settings):
    """my-kafka-az's Azure PrivateLink allowing CUSTOMER, reconciled to `active`."""
    settings.PRIVATELINK_MAX_CONNECTIONS = 2
    link = azure_actions.create_azure_privatelink(azure_service, [CUSTOMER], actor=developer).link
    converge(azure_service)
    link.refresh_from_db()
    assert link.state == PrivateLink.State.ACTIVE
    return link


def test_the_activity_log_names_the_private_link_service_as_the_api_does(active_link):
    active = AuditEvent.objects.get(action="privatelink.active", service=active_link.service)
    assert active.after == {"azure_service_id": active_link.azure.service_id}
    assert active_link.azure.service_id.endswith(private_link_service_name(active_link.pk))


def _connection(endpoint_id: str) -> PrivateLinkConnection:
    return PrivateLinkConnection.objects.get(endpoint_id__iexact=endpoint_id)


def _route53(fake_aws) -> dict[str, tuple[str, str]]:
    """Every record of the platform's zones in the fake AWS: name -> (kind, value)."""
    return {
        record["Name"].rstrip("."): (record["Type"], value_of(record))
        for record in record_sets(fake_aws, ("A", "CNAME", "TXT"))
    }


def _approved(link, fake_azure, developer, subscription=CUSTOMER) -> PrivateLinkConnection:
    """A new endpoint of `subscription`, seen by a reconcile, approved by the user and
    reconciled again."""
    endpoint = fake_azure.customer(subscription).create_endpoint(link.azure.service_alias)
    converge(link.service)
    row = _connection(endpoint.id)
    azure_actions.approve_connection(link, row.privatelink_connection_id, actor=developer)
    converge(link.service)
    row.refresh_from_db()
    return row


def _status_in_azure(fake_azure, subscription: str, endpoint_id: str) -> str:
    endpoints = fake_azure.customer(subscription).list_endpoints()
    return next(e.status for e in endpoints if e.id.lower() == endpoint_id.lower())


def test_an_endpoint_of_a_listed_subscription_waits_for_the_user_then_connects(
    active_link, fake_azure, developer
):
    service = active_link.service
    endpoint = fake_azure.customer(CUSTOMER).create_endpoint(active_link.azure.service_alias)

    converge(service)

    row = _connection(endpoint.id)
    assert (row.state, row.owner, row.cloud_state) == (
        State.PENDING_USER_APPROVAL,
        CUSTOMER,
        "pending",
    )
    assert _status_in_azure(fake_azure, CUSTOMER, endpoint.id) == "Pending"

    azure_actions.approve_connection(active_link, row.privatelink_connection_id, actor=developer)
    converge(service)

    row.refresh_from_db()
    assert row.state == State.CONNECTED
    assert _status_in_azure(fake_azure, CUSTOMER, endpoint.id) == "Approved"


def test_an_endpoint_of_an_unlisted_subscription_is_rejected_in_azure_without_the_user(
    active_link, fake_azure
):
    # Someone made the service visible to another subscription behind the console's back.
    name = private_link_service_name(active_link.pk)
    AzureGateway().set_visibility(name, [CUSTOMER, STRANGER])
    endpoint = fake_azure.customer(STRANGER).create_endpoint(active_link.azure.service_alias)

    converge(active_link.service)

    row = _connection(endpoint.id)
    assert row.state == State.REJECTED
    assert STRANGER in row.rejection_reason
    assert _status_in_azure(fake_azure, STRANGER, endpoint.id) == "Rejected"
    assert AzureGateway().private_link_service(name).visibility == {CUSTOMER}


def test_the_address_the_user_gives_is_published_as_an_a_record_then_moved(
    active_link, fake_azure, fake_aws, developer
):
    row = _approved(active_link, fake_azure, developer)
    host = hosts.connection_host(active_link.service, row.number)

    azure_actions.set_connection_address(
        active_link, row.privatelink_connection_id, "10.1.0.5", actor=developer
    )
    converge(active_link.service)

    row.refresh_from_db()
    assert (row.state, row.dns_record_published) == (State.ACTIVE, True)
    records = _route53(fake_aws)
    assert records[host] == ("A", "10.1.0.5")
    assert records[f"_owner.{host}"][0] == "TXT"
    assert f"owner=privatelink/{active_link.pk}" in records[f"_owner.{host}"][1]

    azure_actions.set_connection_address(
        active_link, row.privatelink_connection_id, "10.1.0.6", actor=developer
    )
    converge(active_link.service)

    row.refresh_from_db()
    assert (row.state, row.dns_record_published) == (State.ACTIVE, True)
    assert _route53(fake_aws)[host] == ("A", "10.1.0.6")


def test_a_second_endpoint_gets_its_own_host_and_rules(
    active_link, fake_azure, fake_aws, developer
):
    first = _approved(active_link, fake_azure, developer)
    second = _approved(active_link, fake_azure, developer)
    for row, address in ((first, "10.1.0.5"), (second, "10.1.0.6")):
        azure_actions.set_connection_address(
            active_link, row.privatelink_connection_id, address, actor=developer
        )
    converge(active_link.service)

    actions.set_component_access(active_link.service, {"kafka": True}, actor=developer)
    converge(active_link.service)

    rows = list(PrivateLinkConnection.objects.order_by("number"))
    assert [(r.number, r.state) for r in rows] == [(1, State.ACTIVE), (2, State.ACTIVE)]
    # Kafka over privatelink: one rule per broker and connection, each to its broker.
    balancer = next(r for r in fake_azure.resources() if r["type"] == LOAD_BALANCER)
    rules = balancer["properties"]["loadBalancingRules"]
    listeners = Listener.objects.filter(privatelink=active_link)
    assert len(rules) == listeners.count() == 3 * 2
    assert {r["properties"]["frontendPort"] for r in rules} == {x.port for x in listeners}
    records = _route53(fake_aws)
    service = active_link.service
    assert records[hosts.connection_host(service, 1)] == ("A", "10.1.0.5")
    assert records[hosts.connection_host(service, 2)] == ("A", "10.1.0.6")


def test_deleting_the_link_removes_its_azure_resources_and_its_records(
    active_link, fake_azure, fake_aws, developer
):
    row = _approved(active_link, fake_azure, developer)
    azure_actions.set_connection_address(
        active_link, row.privatelink_connection_id, "10.1.0.5", actor=developer
    )
    converge(active_link.service)
    assert _route53(fake_aws)

    active_link.mark_deleting()
    converge(active_link.service)

    assert not PrivateLink.objects.filter(pk=active_link.pk).exists()
    kinds = {r["type"] for r in fake_azure.resources()}
    # The customer's endpoint and networks, and the Project VPC's network, stay.
    assert kinds == {
        "Microsoft.Network/privateEndpoints",
        "Microsoft.Network/virtualNetworks",
        "Microsoft.Network/virtualNetworks/subnets",
    }
    assert _route53(fake_aws) == {}


def test_a_link_whose_service_left_its_project_vpc_is_still_removed_from_azure(
    active_link, fake_azure
):
    # The service no longer names its Project VPC: its cloud alone says that the link was
    # built in Azure, so AWS's driver, which would find nothing there, must not tear it down.
    Service.objects.filter(pk=active_link.service_id).update(project_vpc=None)
    active_link.mark_deleting()

    converge(active_link.service)

    assert not PrivateLink.objects.filter(pk=active_link.pk).exists()
    # Only the Project VPC's network is left.
    assert {r["type"] for r in fake_azure.resources()} == {
        "Microsoft.Network/virtualNetworks",
        "Microsoft.Network/virtualNetworks/subnets",
    }


def test_removing_a_subscription_cuts_its_connection_and_its_host(
    active_link, fake_azure, fake_aws, developer
):
    row = _approved(active_link, fake_azure, developer)
    azure_actions.set_connection_address(
        active_link, row.privatelink_connection_id, "10.1.0.5", actor=developer
    )
    converge(active_link.service)
    host = hosts.connection_host(active_link.service, row.number)
    assert host in _route53(fake_aws)

    azure_actions.replace_subscriptions(active_link, [STRANGER], actor=developer)
    converge(active_link.service)

    row.refresh_from_db()
    assert (row.state, row.dns_record_published) == (State.REJECTED, False)
    assert _status_in_azure(fake_azure, CUSTOMER, row.endpoint_id) == "Rejected"
    assert host not in _route53(fake_aws)
    name = private_link_service_name(active_link.pk)
    assert AzureGateway().private_link_service(name).visibility == {STRANGER}


def test_the_sweep_puts_back_a_load_balancing_rule_deleted_behind_the_consoles_back(
    active_link, fake_azure, developer, settings
):
    settings.PRIVATELINK_DEEP_CHECK_SWEEPS = 1
    row = _approved(active_link, fake_azure, developer)
    azure_actions.set_connection_address(
        active_link, row.privatelink_connection_id, "10.1.0.5", actor=developer
    )
    actions.set_component_access(active_link.service, {"kafka": True}, actor=developer)
    converge(active_link.service)
    ports = sorted(Listener.objects.filter(privatelink=active_link).values_list("port", flat=True))
    balancer = load_balancer_name(active_link.pk)
    AzureGateway().change_rules(balancer, {}, remove=[ports[0]])

    assert active_link.service.pk in sweep.sweep(turn=1).drifted
    converge(active_link.service)

    assert sorted(rule.frontend_port for rule in AzureGateway().rules(balancer)) == ports
    assert AuditEvent.objects.filter(
        action="privatelink.drift_repaired", service=active_link.service
    ).exists()


def _kafka_over_privatelink(link, fake_azure, developer) -> None:
    """An addressed, active connection, and Kafka reached over the link."""
    row = _approved(link, fake_azure, developer)
    azure_actions.set_connection_address(
        link, row.privatelink_connection_id, "10.1.0.5", actor=developer
    )
    actions.set_component_access(link.service, {"kafka": True}, actor=developer)
    assert converge(link.service).error == ""


def _rule_targets(link) -> dict[int, tuple[str, ...]]:
    rules = AzureGateway().rules(load_balancer_name(link.pk))
    return {rule.frontend_port: rule.backend_ips for rule in rules}


def test_a_plan_with_more_brokers_gives_each_new_one_its_rule(active_link, fake_azure, developer):
    _kafka_over_privatelink(active_link, fake_azure, developer)
    service = active_link.service

    console_actions.change_plan(service, "premium-6", actor=developer)
    assert converge(service).error == ""

    rows = Listener.objects.filter(privatelink=active_link)
    targets = _rule_targets(active_link)
    assert sorted(targets) == sorted(rows.values_list("port", flat=True))
    assert {ip for ips in targets.values() for ip in ips} == set(
        service.nodes.values_list("private_ip", flat=True)
    )
    assert service.nodes.count() == 6


def test_a_replaced_node_keeps_its_ports_and_its_rules_follow_its_new_address(
    active_link, fake_azure, developer
):
    _kafka_over_privatelink(active_link, fake_azure, developer)
    node = active_link.service.nodes.order_by("name").first()
    old_ip = node.private_ip
    ports = sorted(_rule_targets(active_link))

    console_actions.replace_node(node, actor=developer)
    assert converge(active_link.service).error == ""

    node.refresh_from_db()
    targets = _rule_targets(active_link)
    assert sorted(targets) == ports
    addresses = {ip for ips in targets.values() for ip in ips}
    assert node.private_ip in addresses
    assert old_ip not in addresses


def test_terminating_the_service_leaves_nothing_of_its_link_in_azure(
    active_link, fake_azure, developer, django_capture_on_commit_callbacks
):
    _kafka_over_privatelink(active_link, fake_azure, developer)
    service = active_link.service
    links_kinds = {LOAD_BALANCER.lower(), "microsoft.network/privatelinkservices"}
    assert links_kinds <= {r["type"].lower() for r in fake_azure.resources()}

    with django_capture_on_commit_callbacks(execute=True):
        console_actions.terminate_service(service, actor=developer)
    converge(service)

    assert not Service.objects.filter(pk=service.pk).exists()
    assert not links_kinds & {r["type"].lower() for r in fake_azure.resources()}
