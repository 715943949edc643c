"""The PrivateLink API answers only what is true and within the platform's documented
values: AWS names once usable, connection states of its enum, routes only while the
PrivateLink is not being deleted, prices per cloud from the catalog."""

import pytest

from privatelink.models import Listener, PrivateLink, PrivateLinkConnection

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("queued")]

MWF = "arn:aws:iam::012345678901:user/mwf"
SERVICE = "/v1/project/demo/service/my-kafka"
PRIVATELINK = f"{SERVICE}/privatelink/aws"
SERVICE_ID = "vpce-svc-0123456789abcdef0"
SERVICE_NAME = f"com.amazonaws.vpce.eu-west-1.{SERVICE_ID}"


def _link(service, state: str, endpoint_service_state: str) -> PrivateLink:
    return PrivateLink.objects.create(
        service=service,
        principals=[MWF],
        state=state,
        aws_service_id=SERVICE_ID,
        aws_service_name=SERVICE_NAME,
        endpoint_service_state=endpoint_service_state,
    )


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
        vpc_endpoint_id="vpce-0aaaabbbbccccdddd",
        owner_account="012345678901",
        state=PrivateLinkConnection.State.ACTIVE,
        number=1,
    )
    for port, node in enumerate(service.nodes.order_by("name"), start=10000):
        Listener.objects.create(
            privatelink=link,
            component="kafka",
            connection=connection,
            node=node,
            slot=f"kafka:plc39e8e2c8d1d:{node.name}",
            port=port,
            health=Listener.Health.HEALTHY,
        )
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
