"""A plan change scales the service and the PrivateLink follows, against the fake AWS:
new brokers get pool ports, target groups and listeners; existing brokers keep theirs;
removed brokers' listeners and target groups go, and their ports return to the pool."""

import ipaddress

import pytest

from console import actions as console_actions
from console import nodes
from console.errors import InvalidInput
from console.models import AuditEvent, ServiceNode
from privatelink import actions
from privatelink.clouds.aws.listeners import DRAIN_POLL_SECONDS
from privatelink.engine import planner
from privatelink.models import Listener
from privatelink.routes import privatelink_routes
from tests.factories import ProjectVPCFactory, ServiceFactory
from tests.privatelink.aws_state import aws_inventory
from tests.privatelink.engine import converge


def _kafka_ports() -> dict[str, int]:
    return {
        row.node.name: row.port
        for row in Listener.objects.filter(component="kafka")
        .exclude(health=Listener.Health.DRAINING)
        .select_related("node")
    }


def _aws_matches_the_rows(fake_aws) -> None:
    """AWS holds exactly the listeners and target groups of the current rows."""
    inventory = aws_inventory(fake_aws)
    rows = list(Listener.objects.all())
    assert sorted(x["Port"] for x in inventory["listeners"]) == sorted(r.port for r in rows)
    assert sorted(g["TargetGroupArn"] for g in inventory["target_groups"]) == sorted(
        r.target_group_arn for r in rows
    )


def test_scaling_up_and_down_keeps_the_first_brokers_ports_and_leaves_nothing_behind(
    fake_aws, kafka_over_privatelink, service, developer, django_capture_on_commit_callbacks
):
    first = _kafka_ports()
    assert sorted(first.values()) == [10000, 10001, 10002]

    with django_capture_on_commit_callbacks(execute=True):
        console_actions.change_plan(service, "premium-6", actor=developer)
    nodes = list(ServiceNode.objects.filter(service=service))
    assert len(nodes) == 6
    vpc = service.project_vpc
    assert all(ipaddress.IPv4Address(n.private_ip) in vpc.network for n in nodes)
    assert len({n.private_ip for n in nodes}) == 6
    zones = [n.availability_zone for n in nodes]
    assert sorted(zones.count(z) for z in set(zones)) == [2, 2, 2]
    converge(service)

    scaled = _kafka_ports()
    assert len(scaled) == 6
    assert {name: scaled[name] for name in first} == first  # clients need no new config
    assert sorted(scaled.values()) == [10000, 10001, 10002, 10003, 10004, 10005]
    assert set(Listener.objects.values_list("health", flat=True)) == {Listener.Health.HEALTHY}
    _aws_matches_the_rows(fake_aws)
    # Connection information (and the API) list every broker's own port.
    service.refresh_from_db()
    (route,) = privatelink_routes(service)
    assert {n.node: n.port for n in route.nodes} == scaled

    with django_capture_on_commit_callbacks(execute=True):
        console_actions.change_plan(service, "business-4", actor=developer)
    # The removed brokers' targets drain first: the run asks to look again instead of
    # waiting, and their listeners keep their ports meanwhile.
    outcome = converge(service, rounds=8, settle=False)
    assert outcome.requeue_after == DRAIN_POLL_SECONDS
    assert _kafka_ports() == first
    draining = Listener.objects.filter(health=Listener.Health.DRAINING)
    assert sorted(draining.values_list("port", flat=True)) == [10003, 10004, 10005]
    _aws_matches_the_rows(fake_aws)
    elbv2 = fake_aws.client("elbv2")
    for row in draining:
        health = elbv2.describe_target_health(TargetGroupArn=row.target_group_arn)
        states = [d["TargetHealth"]["State"] for d in health["TargetHealthDescriptions"]]
        assert states == ["draining"]
    (route,) = privatelink_routes(service)
    assert {n.node: n.port for n in route.nodes} == first

    fake_aws.advance_clock(planner.deregistration_delay(service.type.component("kafka")))
    assert converge(service).requeue_after is None
    assert _kafka_ports() == first
    assert not Listener.objects.filter(health=Listener.Health.DRAINING).exists()
    _aws_matches_the_rows(fake_aws)
    assert len(aws_inventory(fake_aws)["target_groups"]) == 3

    # The ports the removed brokers held are free again for the next brokers.
    with django_capture_on_commit_callbacks(execute=True):
        console_actions.change_plan(service, "premium-6", actor=developer)
    converge(service)
    assert sorted(_kafka_ports().values()) == [10000, 10001, 10002, 10003, 10004, 10005]
    _aws_matches_the_rows(fake_aws)
    events = AuditEvent.objects.filter(action="service.plan", service=service)
    assert [e.after["plan"] for e in events.order_by("id")] == [
        "premium-6",
        "business-4",
        "premium-6",
    ]


def test_an_unknown_plan_is_refused_and_changes_nothing(service, developer):
    with pytest.raises(InvalidInput, match="Choose one of the plans"):
        console_actions.change_plan(service, "hobbyist", actor=developer)
    service.refresh_from_db()
    assert (service.plan, service.nodes.count()) == ("business-4", 3)


def test_a_plan_that_does_not_fit_the_vpc_is_refused_and_changes_nothing(project, developer):
    vpc = ProjectVPCFactory(project=project, cidr="10.7.0.0/24")
    kafka = ServiceFactory(project=project, name="small", project_vpc=vpc, nodes=0)
    nodes.add_nodes(kafka, 3)
    filler = ServiceFactory(project=project, name="filler", project_vpc=vpc, nodes=0)
    # Each zone has a /26 of the /24: eu-west-1b's offers .74 to .126, 53 addresses, one
    # of them the broker's. Fill the rest.
    free = nodes.free_addresses(filler, "eu-west-1b", 52)
    ServiceNode.objects.bulk_create(
        ServiceNode(service=filler, name=f"filler-{i}", private_ip=ip, availability_zone="x")
        for i, ip in enumerate(free)
    )

    with pytest.raises(InvalidInput, match="has no room for 1 more node in eu-west-1b") as refused:
        console_actions.change_plan(kafka, "premium-6", actor=developer)
    assert refused.value.field == "plan"
    kafka.refresh_from_db()
    assert (kafka.plan, kafka.nodes.count()) == ("business-4", 3)


def test_new_nodes_take_an_address_in_their_zones_subnet(project):
    vpc = ProjectVPCFactory(project=project, cidr="10.8.0.0/16")
    kafka = ServiceFactory(project=project, name="spread", project_vpc=vpc, nodes=0)

    added = nodes.add_nodes(kafka, 4)

    assert [(n.availability_zone, n.private_ip) for n in added] == [
        ("eu-west-1a", "10.8.0.10"),
        ("eu-west-1b", "10.8.64.10"),
        ("eu-west-1c", "10.8.128.10"),
        ("eu-west-1a", "10.8.0.11"),
    ]


def test_target_groups_get_the_deregistration_delay_of_their_component(
    fake_aws, kafka_over_privatelink, service, developer
):
    actions.set_component_access(service, {"kafka_connect": True}, actor=developer)
    converge(service)
    elbv2 = fake_aws.client("elbv2")

    delays = {}
    for row in Listener.objects.all():
        attributes = elbv2.describe_target_group_attributes(TargetGroupArn=row.target_group_arn)
        values = {a["Key"]: a["Value"] for a in attributes["Attributes"]}
        delays[row.component] = values["deregistration_delay.timeout_seconds"]

    # Kafka clients reconnect to another broker at once; HTTP requests get time to finish.
    assert delays == {"kafka": "15", "kafka_connect": "60"}
