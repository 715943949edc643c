"""Every privatelink host and port the API gives is reachable from every zone of the
customer's endpoint, as `python -m fakeaws customer reach` judges it in the fake AWS; and
each thing that would strand a client is named."""

import pytest

from console import actions as console_actions
from console.models import AuditEvent
from fakeaws.__main__ import main as fakeaws_main
from privatelink import actions
from privatelink.models import Listener, PrivateLinkConnection
from tests.constants import CUSTOMER_ACCOUNT, CUSTOMER_ROLE
from tests.factories import ServiceFactory
from tests.privatelink.engine import converge

CROSS_ZONE = "load_balancing.cross_zone.enabled"


def reach(fake_aws, capsys, endpoint_id: str, host: str, port: int) -> tuple[int, list[list[str]]]:
    """Exit code and the printed lines (zone ID, zone name, verdict, reason) of the command."""
    capsys.readouterr()
    code = fakeaws_main(
        ["customer", "--endpoint-url", fake_aws.endpoint_url, "reach",
         "--endpoint-id", endpoint_id, "--host", host, "--port", str(port)]
    )  # fmt: skip
    return code, [line.split("\t") for line in capsys.readouterr().out.splitlines()]


def connect(fake_aws, service, developer, components: dict[str, bool]) -> str:
    """A PrivateLink on `service` with the customer's endpoint accepted and `components`
    over privatelink; returns the endpoint id."""
    link = actions.create_privatelink(service, [CUSTOMER_ROLE], actor=developer).link
    converge(service)
    link.refresh_from_db()
    endpoint = fake_aws.customer(CUSTOMER_ACCOUNT, CUSTOMER_ROLE).create_endpoint(
        link.aws.service_name
    )
    actions.set_component_access(service, components, actor=developer)
    converge(service)
    assert PrivateLinkConnection.objects.get(endpoint_id=endpoint.id).state == "active"
    return endpoint.id


def privatelink_entries(api, service) -> list[dict]:
    body = api.get(f"/v1/project/{service.project.name}/service/{service.name}").json()
    return [c for c in body["service"]["components"] if c["route"] == "privatelink"]


def endpoint_of(entry: dict) -> str:
    return PrivateLinkConnection.objects.get(
        privatelink_connection_id=entry["privatelink_connection_id"]
    ).endpoint_id


def the_nlb(fake_aws) -> str:
    (balancer,) = fake_aws.client("elbv2").describe_load_balancers()["LoadBalancers"]
    return balancer["LoadBalancerArn"]


def cross_zone(fake_aws) -> str:
    attributes = fake_aws.client("elbv2").describe_load_balancer_attributes(
        LoadBalancerArn=the_nlb(fake_aws)
    )["Attributes"]
    return {a["Key"]: a["Value"] for a in attributes}[CROSS_ZONE]


def test_every_privatelink_host_and_port_of_kafka_is_reachable_from_every_zone(
    fake_aws, api, capsys, service, developer, queued
):
    console_actions.update_user_config(
        service, {"kafka_authentication_methods": {"sasl": True}}, actor=developer
    )
    connect(fake_aws, service, developer, {"kafka": True, "schema_registry": True})

    entries = privatelink_entries(api, service)
    # Kafka's entries (one per authentication method) are bootstrap addresses; the brokers
    # then advertise one port each per method.
    brokers = [
        {**entry, "port": row.port}
        for entry in entries
        if entry["component"] == "kafka"
        for row in Listener.objects.filter(
            component="kafka",
            kafka_authentication_method=entry["kafka_authentication_method"],
            connection__privatelink_connection_id=entry["privatelink_connection_id"],
        )
    ]

    assert sorted((e["component"], e.get("kafka_authentication_method")) for e in entries) == [
        ("kafka", "certificate"),
        ("kafka", "sasl"),
        ("schema_registry", None),
    ]
    assert len({b["port"] for b in brokers}) == 6
    for entry in entries + brokers:
        code, zones = reach(fake_aws, capsys, endpoint_of(entry), entry["host"], entry["port"])
        assert [z[0] for z in zones] == ["euw1-az1", "euw1-az2", "euw1-az3"]
        assert [z[2] for z in zones] == ["reachable"] * 3, (entry, zones)
        assert code == 0
    assert cross_zone(fake_aws) == "true"


def test_a_postgresql_service_is_reachable_from_every_zone(
    fake_aws, api, capsys, project, developer, queued
):
    pg = ServiceFactory(project=project, name="my-pg", service_type="pg", nodes=2)
    connect(fake_aws, pg, developer, {"pg": True})

    (entry,) = privatelink_entries(api, pg)
    code, zones = reach(fake_aws, capsys, endpoint_of(entry), entry["host"], entry["port"])

    assert (entry["component"], entry["port"]) == ("pg", 12691)
    assert [z[2] for z in zones] == ["reachable"] * 3
    assert code == 0


def test_with_cross_zone_off_a_broker_is_reached_only_from_its_own_zone_until_a_refresh(
    fake_aws, api, capsys, service, developer, queued, django_capture_on_commit_callbacks
):
    connect(fake_aws, service, developer, {"kafka": True})
    first = min(
        (e for e in privatelink_entries(api, service) if e["component"] == "kafka"),
        key=lambda e: e["port"],
    )
    broker = service.nodes.get(name="my-kafka-1")
    fake_aws.client("elbv2").modify_load_balancer_attributes(
        LoadBalancerArn=the_nlb(fake_aws), Attributes=[{"Key": CROSS_ZONE, "Value": "false"}]
    )

    code, zones = reach(fake_aws, capsys, endpoint_of(first), first["host"], first["port"])

    # The platform's eu-west-1a (the broker's zone) is euw1-az1 in the fake.
    verdicts = {z[0]: z[2] for z in zones}
    assert (broker.availability_zone, verdicts) == (
        "eu-west-1a",
        {"euw1-az1": "reachable", "euw1-az2": "unreachable", "euw1-az3": "unreachable"},
    )
    assert "cross-zone load balancing is off" in zones[1][3]
    assert code == 1

    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        refreshed = api.post("/v1/project/demo/service/my-kafka/privatelink/aws/refresh")
    assert (refreshed.json(), queued) == ({"message": "refreshed"}, [("service", service.pk)])
    converge(service)

    assert cross_zone(fake_aws) == "true"
    assert reach(fake_aws, capsys, endpoint_of(first), first["host"], first["port"])[0] == 0
    repaired = AuditEvent.objects.get(action="privatelink.drift_repaired")
    assert repaired.after["resource"] == "cross-zone load balancing"


@pytest.fixture
def kafka_endpoint(fake_aws, service, developer, queued) -> str:
    return connect(fake_aws, service, developer, {"kafka": True})


def test_a_name_that_does_not_lead_to_the_endpoint_is_named(
    fake_aws, api, capsys, service, kafka_endpoint
):
    entry = privatelink_entries(api, service)[0]

    code, zones = reach(
        fake_aws, capsys, kafka_endpoint, "my-kafka-demo.example.test", entry["port"]
    )

    assert code == 1
    assert {z[3] for z in zones} == {
        f"my-kafka-demo.example.test does not resolve to {kafka_endpoint}"
    }


def test_a_port_without_a_listener_is_named(fake_aws, api, capsys, service, kafka_endpoint):
    entry = privatelink_entries(api, service)[0]

    code, zones = reach(fake_aws, capsys, kafka_endpoint, entry["host"], 12692)

    assert code == 1
    assert {z[3] for z in zones} == {"no listener on port 12692"}


def test_a_security_group_without_the_port_is_named(fake_aws, api, capsys, service, kafka_endpoint):
    entry = privatelink_entries(api, service)[0]
    ec2 = fake_aws.customer(CUSTOMER_ACCOUNT, CUSTOMER_ROLE).client("ec2")
    (endpoint,) = ec2.describe_vpc_endpoints(VpcEndpointIds=[kafka_endpoint])["VpcEndpoints"]
    narrow = ec2.create_security_group(
        GroupName="https-only", Description="443 only", VpcId=endpoint["VpcId"]
    )["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=narrow,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                        "IpRanges": [{"CidrIp": "10.99.0.0/16"}]}],
    )  # fmt: skip
    ec2.modify_vpc_endpoint(VpcEndpointId=kafka_endpoint, AddSecurityGroupIds=[narrow])

    code, zones = reach(fake_aws, capsys, kafka_endpoint, entry["host"], entry["port"])

    assert code == 1
    assert {z[3] for z in zones} == {
        f"the endpoint's security groups do not allow TCP port {entry['port']}"
    }


def test_a_connection_not_accepted_is_named(fake_aws, api, capsys, service, kafka_endpoint):
    entry = privatelink_entries(api, service)[0]
    link = service.privatelink
    fake_aws.client("ec2").reject_vpc_endpoint_connections(
        ServiceId=link.aws.service_id, VpcEndpointIds=[kafka_endpoint]
    )

    code, zones = reach(fake_aws, capsys, kafka_endpoint, entry["host"], entry["port"])

    assert code == 1
    assert {z[3] for z in zones} == {"no accepted connection: the endpoint is rejected"}


def test_targets_not_yet_healthy_are_named(fake_aws, api, capsys, service, developer, queued):
    fake_aws.set_delays(health_check=60)
    link = actions.create_privatelink(service, [CUSTOMER_ROLE], actor=developer).link
    converge(service)
    link.refresh_from_db()
    endpoint = fake_aws.customer(CUSTOMER_ACCOUNT, CUSTOMER_ROLE).create_endpoint(
        link.aws.service_name
    )
    actions.set_component_access(service, {"kafka": True}, actor=developer)
    converge(service, settle=False)
    entry = privatelink_entries(api, service)[0]

    code, zones = reach(fake_aws, capsys, endpoint.id, entry["host"], entry["port"])

    assert code == 1
    assert {z[3] for z in zones} == {
        f"no healthy target on port {entry['port']} (targets: initial)"
    }
