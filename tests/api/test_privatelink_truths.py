"""The PrivateLink API answers only what is true and within the platform's documented
values: AWS names once usable, connection states of its enum, routes only while the
PrivateLink is not being deleted, prices per cloud from the catalog."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from schemathesis.specs.openapi.checks import response_schema_conformance

from console.api.openapi import document
from privatelink.models import AwsPrivateLink, PrivateLink, PrivateLinkConnection
from tests.factories import ListenerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("queued")]

MWF = "arn:aws:iam::012345678901:user/mwf"
SERVICE = "/v1/project/demo/service/my-kafka"
PRIVATELINK = f"{SERVICE}/privatelink/aws"
CONNECTIONS_PATH = "/v1/project/{project}/service/{service}/privatelink/aws/connections"
OPENAPI = schemathesis.openapi.from_dict(document())
OPENAPI.app = get_wsgi_application()
SERVICE_ID = "vpce-svc-0123456789abcdef0"
SERVICE_NAME = f"com.amazonaws.vpce.eu-west-1.{SERVICE_ID}"


def _link(service, state: str, endpoint_service_state: str) -> PrivateLink:
    link = PrivateLink.objects.create(service=service, principals=[MWF], state=state)
    AwsPrivateLink.objects.create(
        privatelink=link,
        service_id=SERVICE_ID,
        service_name=SERVICE_NAME,
        endpoint_service_state=endpoint_service_state,
    )
    return link


@pytest.mark.parametrize(
    ("state", "endpoint_service_state"),
    [("creating", "Pending"), ("creating", "Available"), ("active", "Pending")],
)
def test_aws_names_are_null_until_the_service_is_available_and_active(
    api, service, state, endpoint_service_state
):
    _link(service, state, endpoint_service_state)
    body = api.get(PRIVATELINK).json()
    assert (body["aws_service_id"], body["aws_service_name"]) == (None, None)
    assert body["state"] == state


def test_aws_names_are_answered_once_available_and_active(api, service):
    _link(service, "active", "Available")
    body = api.get(PRIVATELINK).json()
    assert (body["aws_service_id"], body["aws_service_name"]) == (SERVICE_ID, SERVICE_NAME)


def _active_kafka_route(service) -> PrivateLinkConnection:
    """An active connection with healthy Kafka listeners, as the reconciler leaves them."""
    service.user_config = {"privatelink_access": {"kafka": True}}
    service.save()
    link = _link(service, "active", "Available")
    connection = PrivateLinkConnection.objects.create(
        privatelink=link,
        privatelink_connection_id="plc39e8e2c8d1d",
        endpoint_id="vpce-0aaaabbbbccccdddd",
        owner="012345678901",
        state=PrivateLinkConnection.State.ACTIVE,
        number=1,
    )
    for port, node in enumerate(service.nodes.order_by("name"), start=10000):
        ListenerFactory(privatelink=link, connection=connection, node=node, port=port)
    return connection


def _privatelink_components(api) -> list[dict]:
    components = api.get(SERVICE).json()["service"]["components"]
    return [c for c in components if c["route"] == "privatelink"]


def test_components_lose_their_privatelink_routes_as_soon_as_it_is_deleting(
    api, service, developer
):
    _active_kafka_route(service)
    assert [c["host"] for c in _privatelink_components(api)] == [
        "privatelink-1-my-kafka-demo.example.test"
    ]
    assert api.delete(PRIVATELINK).json()["state"] == "deleting"
    assert _privatelink_components(api) == []


def _connections_in_every_state(service) -> PrivateLink:
    link = _link(service, "active", "Available")
    for number, state in enumerate(PrivateLinkConnection.State.values, start=1):
        PrivateLinkConnection.objects.create(
            privatelink=link,
            privatelink_connection_id=f"plc{number:04d}",
            endpoint_id=f"vpce-{number:017d}",
            owner="012345678901",
            state=state,
            rejection_reason="Connection limit reached" if state == "rejected" else "",
            number=number,
        )
    return link


def test_connection_list_answers_only_the_platforms_states(api, service):
    _connections_in_every_state(service)
    listed = api.get(f"{PRIVATELINK}/connections").json()["connections"]
    assert [c["state"] for c in listed] == [
        "pending-user-approval",
        "user-approved",
        "connected",
        "active",
    ]


@pytest.fixture
def connection_kept_for_the_test():
    """As Django's test client does: the WSGI requests must not close the connection that
    holds the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("connection_kept_for_the_test")
def test_the_openapi_document_holds_the_connection_states_to_the_platforms_enum(service, developer):
    from console.models.tokens import ApiToken

    _connections_in_every_state(service)
    enum = document()["components"]["schemas"]["PrivateLinkConnection"]["properties"]["state"]
    assert enum["enum"] == ["pending-user-approval", "user-approved", "connected", "active"]
    # schemathesis checks the real answer against the document, enum included.
    operation = OPENAPI[CONNECTIONS_PATH]["GET"]
    case = operation.Case(path_parameters={"project": "demo", "service": "my-kafka"})
    token = ApiToken.issue(developer, "contract")[1]
    case.call_and_validate(
        headers={"Authorization": f"aivenv1 {token}"}, checks=[response_schema_conformance]
    )


def test_a_second_endpoint_refused_by_the_limit_is_shown_on_the_page_only(
    fake_aws, api, service, developer, client
):
    from privatelink import actions
    from privatelink.engine import reconcile

    role = "arn:aws:iam::111122223333:role/app"
    link = actions.create_privatelink(service, [role], actor=developer).link
    for _ in range(3):
        reconcile.reconcile_service(service.pk)
    link.refresh_from_db()
    customer = fake_aws.customer("111122223333", role)
    first = customer.create_endpoint(link.aws.service_name)
    reconcile.reconcile_service(service.pk)
    second = customer.create_endpoint(link.aws.service_name)
    for _ in range(3):
        reconcile.reconcile_service(service.pk)

    listed = api.get(f"{PRIVATELINK}/connections").json()["connections"]
    assert [(c["vpc_endpoint_id"], c["state"]) for c in listed] == [(first.id, "active")]
    client.force_login(developer)
    page = client.get("/projects/demo/services/my-kafka/privatelink/").content.decode()
    assert second.id in page
    assert "Connection limit reached: this service accepts 1 connection(s)." in page
