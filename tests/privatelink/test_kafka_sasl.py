"""Kafka's SASL port beside its client-certificate port, over PrivateLink: a second listener
per broker and connection with a pool port of its own, counted in the 50-listener budget,
drained and removed when SASL is turned off, against the fake AWS."""

import pytest

from console import actions as console_actions
from console.catalog import KafkaAuthenticationMethod
from console.errors import InvalidInput
from console.models import AuditEvent, ServiceNode
from privatelink import actions
from privatelink.clouds.aws.listeners import DRAIN_POLL_SECONDS
from privatelink.engine import planner
from privatelink.models import PORT_POOL, Listener
from privatelink.routes import privatelink_routes
from tests.constants import CUSTOMER_ROLE
from tests.factories import ConnectionFactory, ServiceFactory
from tests.privatelink.aws_state import aws_inventory
from tests.privatelink.engine import converge

CERTIFICATE, SASL = KafkaAuthenticationMethod.CERTIFICATE, KafkaAuthenticationMethod.SASL
SASL_ON = {"kafka_authentication_methods": {"sasl": True}}
SASL_OFF = {"kafka_authentication_methods": {"sasl": False}}


def _ports(method: str) -> dict[str, int]:
    """Each broker's port for `method`, from the rows not draining."""
    return {
        row.node.name: row.port
        for row in Listener.objects.filter(component="kafka", kafka_authentication_method=method)
        .exclude(health=Listener.Health.DRAINING)
        .select_related("node")
    }


def _aws_listener_targets(fake_aws) -> dict[int, tuple[int, list[str]]]:
    """Every NLB listener port in the fake AWS: (its target group's port, the target IPs)."""
    elbv2 = fake_aws.client("elbv2")
    found = {}
    for listener in aws_inventory(fake_aws)["listeners"]:
        group_arn = listener["DefaultActions"][0]["TargetGroupArn"]
        (group,) = elbv2.describe_target_groups(TargetGroupArns=[group_arn])["TargetGroups"]
        health = elbv2.describe_target_health(TargetGroupArn=group_arn)
        ips = sorted(d["Target"]["Id"] for d in health["TargetHealthDescriptions"])
        found[listener["Port"]] = (group["Port"], ips)
    return found


def _switch(service, developer, change, capture) -> None:
    with capture(execute=True):
        console_actions.update_user_config(service, change, actor=developer)
    service.refresh_from_db()


def test_sasl_slots_are_a_second_set_per_broker_and_connection_with_their_own_names(service):
    service.user_config = {"privatelink_access": {"kafka": True}, **SASL_ON}
    nodes = list(ServiceNode.objects.filter(service=service))

    slots = planner.desired_slots(planner.enabled_ports(service), nodes, ["plc1", "plc2"])

    keys = [(s.key, s.kafka_authentication_method, s.target_port) for s in slots]
    each = [(plc, n) for plc in ("plc1", "plc2") for n in (1, 2, 3)]
    assert keys == [
        *((f"kafka:{plc}:my-kafka-{n}", "certificate", 12692) for plc, n in each),
        *((f"kafka.sasl:{plc}:my-kafka-{n}", "sasl", 12697) for plc, n in each),
    ]
    assert all(s.fixed_port is None for s in slots)  # pool ports, allocated per row
    assert planner.listener_count(planner.enabled_ports(service), 3, 2) == 12


def test_without_sasl_the_plan_is_unchanged(service):
    service.user_config = {"privatelink_access": {"kafka": True}}
    ports = planner.enabled_ports(service)
    assert [(p.name, p.kafka_authentication_method) for p in ports] == [("kafka", CERTIFICATE)]
    assert planner.listener_count(ports, 3, 1) == 3


def test_turning_sasl_on_adds_a_listener_per_broker_with_its_own_port_and_target_group(
    fake_aws, kafka_over_privatelink, service, developer, django_capture_on_commit_callbacks
):
    certificate = _ports(CERTIFICATE)
    assert sorted(certificate.values()) == [10000, 10001, 10002]

    _switch(service, developer, SASL_ON, django_capture_on_commit_callbacks)
    converge(service)

    sasl = _ports(SASL)
    assert _ports(CERTIFICATE) == certificate  # clients of the certificate port see no change
    assert sorted(sasl.values()) == [10003, 10004, 10005]
    assert set(sasl.values()).isdisjoint(certificate.values())
    assert all(port in PORT_POOL for port in sasl.values())
    assert set(Listener.objects.values_list("health", flat=True)) == {Listener.Health.HEALTHY}

    # In AWS: a listener on every port; each forwards to its broker alone, on the port the
    # broker answers that method on.
    ip = {n.name: n.private_ip for n in ServiceNode.objects.filter(service=service)}
    expected = {port: (12692, [ip[node]]) for node, port in certificate.items()}
    expected |= {port: (12697, [ip[node]]) for node, port in sasl.items()}
    assert _aws_listener_targets(fake_aws) == expected

    # Stable: another run changes no port and makes nothing new.
    converge(service)
    assert (_ports(CERTIFICATE), _ports(SASL)) == (certificate, sasl)
    assert len(aws_inventory(fake_aws)["target_groups"]) == 6

    # Pages and API: one route per method, the same host, each with its own ports.
    routes = privatelink_routes(service)
    assert [(r.component, r.kafka_authentication_method) for r in routes] == [
        ("kafka", CERTIFICATE),
        ("kafka", SASL),
    ]
    assert routes[0].host == routes[1].host
    assert {n.node: n.port for n in routes[1].nodes} == sasl


def test_turning_sasl_off_drains_its_listeners_then_removes_them_and_keeps_the_certificate_ports(
    fake_aws, kafka_over_privatelink, service, developer, django_capture_on_commit_callbacks
):
    certificate = _ports(CERTIFICATE)
    _switch(service, developer, SASL_ON, django_capture_on_commit_callbacks)
    converge(service)
    sasl_ports = sorted(_ports(SASL).values())

    _switch(service, developer, SASL_OFF, django_capture_on_commit_callbacks)
    outcome = converge(service, rounds=8, settle=False)

    # Draining: the SASL listeners keep their ports while open connections finish, and no
    # route offers them any more.
    assert outcome.requeue_after == DRAIN_POLL_SECONDS
    draining = Listener.objects.filter(health=Listener.Health.DRAINING)
    assert sorted(draining.values_list("port", flat=True)) == sasl_ports
    assert sorted(_aws_listener_targets(fake_aws)) == sorted([*certificate.values(), *sasl_ports])
    elbv2 = fake_aws.client("elbv2")
    for row in draining:
        health = elbv2.describe_target_health(TargetGroupArn=row.target_group_arn)
        assert [d["TargetHealth"]["State"] for d in health["TargetHealthDescriptions"]] == [
            "draining"
        ]
    assert [r.kafka_authentication_method for r in privatelink_routes(service)] == [CERTIFICATE]

    fake_aws.advance_clock(planner.deregistration_delay(service.type.component("kafka")))
    assert converge(service).requeue_after is None

    assert not Listener.objects.filter(kafka_authentication_method=SASL).exists()
    assert _ports(CERTIFICATE) == certificate
    assert sorted(_aws_listener_targets(fake_aws)) == sorted(certificate.values())
    assert len(aws_inventory(fake_aws)["target_groups"]) == 3


def test_turning_sasl_on_beyond_fifty_listeners_is_refused_before_anything_is_saved(
    project, developer, queued
):
    big = ServiceFactory(project=project, name="big", nodes=9)
    link = actions.create_privatelink(big, [CUSTOMER_ROLE], actor=developer).link
    for number in (1, 2):
        ConnectionFactory(privatelink=link, number=number)
    # kafka and prometheus per broker and per connection: 2 * 9 * 2 = 36 of 50.
    actions.set_component_access(big, {"kafka": True, "prometheus": True}, actor=developer)
    big.refresh_from_db()
    before = dict(big.user_config)
    events = AuditEvent.objects.count()

    with pytest.raises(InvalidInput) as refused:
        console_actions.update_user_config(big, SASL_ON, actor=developer)

    message = refused.value.message
    assert "needs 54 load balancer listeners" in message
    assert "kafka 18, kafka-sasl 18, prometheus 18" in message
    assert "(or kafka_authentication_methods.sasl, prometheus) to free at least 4" in message
    assert refused.value.field == "user_config.kafka_authentication_methods.sasl"
    big.refresh_from_db()
    assert big.user_config == before
    assert AuditEvent.objects.count() == events


def test_enabling_kafka_with_sasl_on_counts_both_methods_in_the_budget(project, developer, queued):
    big = ServiceFactory(project=project, name="big", nodes=9)
    link = actions.create_privatelink(big, [CUSTOMER_ROLE], actor=developer).link
    for number in (1, 2):
        ConnectionFactory(privatelink=link, number=number)
    actions.set_component_access(
        big, {"prometheus": True}, kafka_authentication={"sasl": True}, actor=developer
    )

    # Certificates alone would fit (18 + 18); with SASL Kafka takes 36 more than prometheus.
    with pytest.raises(InvalidInput, match="needs 54 load balancer listeners") as refused:
        actions.set_component_access(big, {"kafka": True, "prometheus": True}, actor=developer)

    assert refused.value.field == "user_config.privatelink_access.kafka"
    big.refresh_from_db()
    assert big.privatelink_access()["kafka"] is False


def test_a_plan_change_that_would_not_fit_with_sasl_is_refused_before_anything_is_saved(
    service, developer, queued
):
    link = actions.create_privatelink(service, [CUSTOMER_ROLE], actor=developer).link
    for number in range(1, 6):
        ConnectionFactory(privatelink=link, number=number)
    actions.set_component_access(
        service, {"kafka": True}, kafka_authentication={"sasl": True}, actor=developer
    )
    service.refresh_from_db()

    # 3 brokers x 5 connections x 2 methods = 30 fits; 6 brokers would need 60.
    with pytest.raises(InvalidInput, match="needs 60 load balancer listeners"):
        console_actions.change_plan(service, "premium-6", actor=developer)

    service.refresh_from_db()
    assert (service.plan, service.nodes.count()) == ("business-4", 3)
