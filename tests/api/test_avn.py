"""The platform's AWS PrivateLink documentation, run unchanged with the real `avn` client.

Each test starts avn as a subprocess against a live server and checks what it prints
(with --json) and what it left in the database.
"""

import io

import pytest
from django.core.management import call_command

from console.models import AuditEvent, Service
from console.models.tokens import ApiToken
from privatelink.models import AwsPrivateLink, Listener, PrivateLink, PrivateLinkConnection
from tests.factories import ConnectionFactory, ServiceFactory

# No broker in these tests: the reconciles the API asks for are only recorded.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("queued")]

MWF = "arn:aws:iam::012345678901:user/mwf"
OPS = "arn:aws:iam::012345678901:role/ops"
PROJECT = ("--project", "demo")


def observe_endpoint_service(link: PrivateLink) -> None:
    """What the reconciler writes once AWS created the endpoint service."""
    PrivateLink.objects.filter(pk=link.pk).update(state=PrivateLink.State.ACTIVE)
    AwsPrivateLink.objects.update_or_create(
        privatelink=link,
        defaults={
            "service_id": "vpce-svc-0123456789abcdef0",
            "service_name": "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0",
            "endpoint_service_state": "Available",
        },
    )


def observe_connection(link: PrivateLink, state: str) -> PrivateLinkConnection:
    """What the reconciler writes when it sees the customer's endpoint."""
    connection, _ = PrivateLinkConnection.objects.update_or_create(
        privatelink=link,
        endpoint_id="vpce-0aaaabbbbccccdddd",
        defaults={
            "privatelink_connection_id": "plc39e8e2c8d1d",
            "dns_name": "vpce-0aaaabbbbccccdddd-abcdefgh.vpce-svc-0123456789abcdef0"
            ".eu-west-1.vpce.amazonaws.com",
            "state": state,
            "number": 1,
        },
    )
    return connection


def observe_kafka_listeners(link: PrivateLink, connection: PrivateLinkConnection) -> list[int]:
    ports = []
    for offset, node in enumerate(link.service.nodes.order_by("name")):
        listener = Listener.objects.create(
            privatelink=link,
            component="kafka",
            kafka_authentication_method="certificate",
            connection=connection,
            node=node,
            slot=f"kafka:{connection.privatelink_connection_id}:{node.name}",
            port=10000 + offset,
            health=Listener.Health.HEALTHY,
        )
        ports.append(listener.port)
    return ports


def test_documented_privatelink_commands_print_what_the_documentation_shows(
    avn, service, developer
):
    created = avn("service", "privatelink", "aws", "create", "my-kafka", *PROJECT,
                  "--principal", MWF, "--json")  # fmt: skip
    assert created.returncode == 0, created.stderr
    assert created.json() == [
        {"aws_service_id": None, "aws_service_name": None, "principals": [MWF], "state": "creating"}
    ]
    link = PrivateLink.objects.get(service=service)
    assert (link.principals, link.state) == ([MWF], PrivateLink.State.CREATING)
    assert AuditEvent.objects.filter(action="privatelink.create", actor=developer).exists()

    observe_endpoint_service(link)
    got = avn("service", "privatelink", "aws", "get", "my-kafka", *PROJECT, "--json")
    assert got.json() == [
        {
            "aws_service_id": "vpce-svc-0123456789abcdef0",
            "aws_service_name": "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0",
            "principals": [MWF],
            "state": "active",
        }
    ]

    updated = avn("service", "privatelink", "aws", "update", "my-kafka", *PROJECT,
                  "--principal", MWF, "--principal", OPS, "--json")  # fmt: skip
    assert updated.returncode == 0, updated.stderr
    assert updated.json()[0]["principals"] == sorted([MWF, OPS])
    link.refresh_from_db()
    assert link.principals == sorted([MWF, OPS])
    assert link.generation == 2

    connection = observe_connection(link, PrivateLinkConnection.State.PENDING_USER_APPROVAL)
    listed = avn("service", "privatelink", "aws", "connection", "list", "my-kafka", *PROJECT,
                 "--json")  # fmt: skip
    assert listed.json() == [
        {
            "dns_name": connection.dns_name,
            "privatelink_connection_id": "plc39e8e2c8d1d",
            "state": "pending-user-approval",
            "vpc_endpoint_id": "vpce-0aaaabbbbccccdddd",
        }
    ]

    refreshed = avn("service", "privatelink", "aws", "refresh", "my-kafka", *PROJECT)
    assert (refreshed.returncode, refreshed.stdout) == (0, "")
    assert PrivateLink.objects.get(pk=link.pk).state == PrivateLink.State.ACTIVE

    enabled = avn("service", "update", "-c", "privatelink_access.kafka=true", "my-kafka", *PROJECT)
    assert enabled.returncode == 0, enabled.stderr
    service.refresh_from_db()
    assert service.user_config == {"privatelink_access": {"kafka": True}}
    assert AuditEvent.objects.filter(action="service.user_config", service=service).exists()

    connection = observe_connection(link, PrivateLinkConnection.State.ACTIVE)
    ports = observe_kafka_listeners(link, connection)
    shown = avn("service", "get", "my-kafka", *PROJECT, "--json").json()
    privatelink_routes = [c for c in shown["components"] if c["route"] == "privatelink"]
    assert privatelink_routes == [
        {
            "component": "kafka",
            "host": "privatelink-1-my-kafka-demo.example.test",
            "port": ports[0],
            "route": "privatelink",
            "usage": "primary",
            "ssl": True,
            "kafka_authentication_method": "certificate",
            "privatelink_connection_id": "plc39e8e2c8d1d",
        }
    ]
    kcat = avn("service", "connection-info", "kcat", "my-kafka", *PROJECT,
               "-r", "privatelink", "-p", "plc39e8e2c8d1d")  # fmt: skip
    assert kcat.returncode == 0, kcat.stderr
    assert f"-b privatelink-1-my-kafka-demo.example.test:{ports[0]} " in kcat.stdout

    deleted = avn("service", "privatelink", "aws", "delete", "my-kafka", *PROJECT, "--json")
    assert deleted.json()[0]["state"] == "deleting"
    assert PrivateLink.objects.get(pk=link.pk).state == PrivateLink.State.DELETING
    # The privatelink routes go away as soon as the PrivateLink is being deleted.
    shown = avn("service", "get", "my-kafka", *PROJECT, "--json").json()
    assert [c for c in shown["components"] if c["route"] == "privatelink"] == []
    assert {c["route"] for c in shown["components"]} == {"dynamic"}
    kcat = avn("service", "connection-info", "kcat", "my-kafka", *PROJECT,
               "-r", "privatelink", "-p", "plc39e8e2c8d1d")  # fmt: skip
    assert kcat.returncode != 0
    assert "Could not find connection information" in kcat.stderr
    assert "privatelink-1-" not in kcat.stdout
    again = avn("service", "privatelink", "aws", "delete", "my-kafka", *PROJECT)
    assert again.returncode != 0
    assert "being deleted" in again.stderr
    assert "status 409" in again.stderr


def test_availability_lists_each_aws_cloud_with_its_price(avn, project, developer):
    shown = avn("service", "privatelink", "availability", *PROJECT, "--json")
    assert shown.returncode == 0, shown.stderr
    assert {"cloud_name": "aws-eu-west-1", "price_usd": "0.0600"} in shown.json()


def test_a_token_from_create_api_token_drives_avn(avn, service, developer):
    out = io.StringIO()
    call_command("create_api_token", developer.email, stdout=out, stderr=io.StringIO())
    token = out.getvalue().strip().splitlines()[-1]
    shown = avn("service", "list", *PROJECT, "--json", token=token)
    assert shown.returncode == 0, shown.stderr
    assert [s["service_name"] for s in shown.json()] == ["my-kafka"]
    assert ApiToken.objects.get(prefix=token[:8]).last_used is not None


def test_a_principal_aws_refuses_is_printed_and_nothing_is_saved(avn, service, developer):
    bad = "arn:aws:iam::0123:user/mwf"
    result = avn("service", "privatelink", "aws", "create", "my-kafka", *PROJECT,
                 "--principal", bad)  # fmt: skip
    assert result.returncode != 0
    assert f"{bad} is not an IAM principal AWS accepts" in result.stderr
    assert "status 400" in result.stderr
    assert not PrivateLink.objects.filter(service=service).exists()


def test_create_without_a_principal_says_to_give_one(avn, service, developer):
    result = avn("service", "privatelink", "aws", "create", "my-kafka", *PROJECT)
    assert result.returncode != 0
    assert "Give the allowed principals" in result.stderr
    assert not PrivateLink.objects.filter(service=service).exists()


def test_read_only_member_cannot_create_and_is_told_why(avn, service, read_only_token):
    result = avn("service", "privatelink", "aws", "create", "my-kafka", *PROJECT,
                 "--principal", MWF, token=read_only_token)  # fmt: skip
    assert result.returncode != 0
    assert "read-only" in result.stderr
    assert "status 403" in result.stderr
    assert not PrivateLink.objects.filter(service=service).exists()


def test_outsider_sees_neither_project_nor_service(avn, service, outsider_token):
    result = avn("service", "get", "my-kafka", *PROJECT, token=outsider_token)
    assert result.returncode != 0
    assert "status 404" in result.stderr
    assert Service.objects.filter(name="my-kafka").exists()


def test_enabling_an_unknown_component_is_refused_before_any_request(avn, service, developer):
    result = avn("service", "update", "-c", "privatelink_access.zookeeper=true", "my-kafka",
                 *PROJECT)  # fmt: skip
    assert result.returncode != 0
    assert "privatelink_access.kafka" in result.stderr  # the options the schema offers
    service.refresh_from_db()
    assert service.user_config == {}


def test_revoked_token_is_refused(avn, service, developer, developer_token):
    ApiToken.objects.get(prefix=developer_token[:8]).revoke()
    result = avn("service", "list", *PROJECT)
    assert result.returncode != 0
    assert "status 401" in result.stderr


def test_enabling_every_component_of_a_nine_broker_kafka_is_refused_naming_the_limit(
    avn, project, developer
):
    big = ServiceFactory(project=project, name="big-kafka", nodes=9)
    link = PrivateLink.objects.create(service=big, principals=[MWF])
    ConnectionFactory(privatelink=link, number=1)
    ConnectionFactory(privatelink=link, number=2)
    every = [f"privatelink_access.{c.name}=true" for c in big.type.privatelink_components]
    options = [arg for item in every for arg in ("-c", item)]

    result = avn("service", "update", *options, "big-kafka", *PROJECT)

    assert result.returncode != 0
    assert "needs 57 load balancer listeners" in result.stderr
    assert "at most 50 listeners per Network Load Balancer" in result.stderr
    assert "Turn off privatelink access for" in result.stderr
    big.refresh_from_db()
    assert big.user_config == {}


def test_a_privatelink_in_a_full_platform_account_is_refused_without_the_accounts_figures(
    avn, project, service, developer, settings
):
    from privatelink.models import PlatformAccount

    settings.AWS_PLATFORM_ACCOUNTS = {}
    PlatformAccount.objects.create(
        region="eu-west-1", role_arn=settings.AWS_PLATFORM_ROLE_ARN, load_balancer_quota=1
    )
    neighbour = ServiceFactory(project=project, name="neighbour", project_vpc=service.project_vpc)
    PrivateLink.objects.create(service=neighbour, principals=[MWF])

    result = avn("service", "privatelink", "aws", "create", "my-kafka", *PROJECT,
                 "--principal", MWF)  # fmt: skip

    assert result.returncode != 0
    assert "Contact platform support" in result.stderr
    assert "1 of its 1" not in result.stderr
    assert "status 409" in result.stderr
    assert not PrivateLink.objects.filter(service=service).exists()


def test_a_project_at_its_privatelink_limit_is_refused_naming_its_own_count_and_limit(
    avn, project, service, developer
):
    project.privatelink_limit = 1
    project.save(update_fields=["privatelink_limit"])
    neighbour = ServiceFactory(project=project, name="neighbour", project_vpc=service.project_vpc)
    PrivateLink.objects.create(service=neighbour, principals=[MWF])

    result = avn("service", "privatelink", "aws", "create", "my-kafka", *PROJECT,
                 "--principal", MWF)  # fmt: skip

    assert result.returncode != 0
    assert "Project demo has 1 of its 1 PrivateLinks in aws-eu-west-1" in result.stderr
    assert "status 409" in result.stderr
    assert not PrivateLink.objects.filter(service=service).exists()
