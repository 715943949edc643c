"""Hosts and ports of the privatelink route, read from the database."""

from django.db import connection as db_connection
from django.test.utils import CaptureQueriesContext

from privatelink.models import Listener, PrivateLink, PrivateLinkConnection
from privatelink.routes import privatelink_routes
from tests.factories import ListenerFactory


def test_each_active_connection_gets_a_host_and_kafka_gets_a_port_per_broker(service):
    service.user_config = {"privatelink_access": {"kafka": True, "schema_registry": True}}
    service.save()
    link = PrivateLink.objects.create(service=service, principals=["*"])
    active = PrivateLinkConnection.objects.create(
        privatelink=link,
        privatelink_connection_id="plc1a",
        endpoint_id="vpce-1",
        number=1,
        state=PrivateLinkConnection.State.ACTIVE,
    )
    PrivateLinkConnection.objects.create(
        privatelink=link,
        privatelink_connection_id="plc2b",
        endpoint_id="vpce-2",
        number=2,
        state=PrivateLinkConnection.State.PENDING_USER_APPROVAL,
    )
    for port, node in zip((10000, 10001, 10002), service.nodes.order_by("name"), strict=True):
        ListenerFactory(privatelink=link, connection=active, node=node, port=port)
    ListenerFactory(
        privatelink=link, component="schema_registry", port=12695, health=Listener.Health.PENDING
    )

    with CaptureQueriesContext(db_connection) as queries:
        routes = privatelink_routes(service)

    assert len(queries) <= 2
    host = "privatelink-1-my-kafka-demo.example.test"
    assert [(r.component, r.host, r.port, r.privatelink_connection_id) for r in routes] == [
        ("kafka", host, 10000, "plc1a"),
        ("schema_registry", host, 12695, "plc1a"),
    ]
    assert [(n.node, n.port) for n in routes[0].nodes] == [
        ("my-kafka-1", 10000),
        ("my-kafka-2", 10001),
        ("my-kafka-3", 10002),
    ]
    assert routes[0].health == "healthy"
    assert routes[1].health == "pending"
