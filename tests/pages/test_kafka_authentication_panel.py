"""Kafka's authentication methods on the Service Overview page: switched in Advanced
configuration, and shown in Connection information as one line per method, each with its
own port, on the dynamic and the privatelink route."""

import re

from console.models import AuditEvent
from tests.constants import HTMX
from tests.factories import ConnectionFactory, ListenerFactory, PrivateLinkFactory

OVERVIEW = "/projects/demo/services/my-kafka/"
INFO = OVERVIEW + "connection-info"
ACCESS = OVERVIEW + "privatelink-access"
HOST = "my-kafka-demo.example.test"


def test_advanced_configuration_shows_the_methods_with_certificates_ticked(
    developer_client, service
):
    html = developer_client.get(OVERVIEW).content.decode()
    assert "kafka_authentication_methods.certificate" in html
    assert "kafka_authentication_methods.sasl" in html
    assert 'id="id_authentication_certificate" aria-describedby="authentication-help" checked' in (
        html
    )
    assert 'id="id_authentication_sasl" aria-describedby="authentication-help">' in html


def test_ticking_sasl_saves_it_and_connection_information_gains_its_port(developer_client, service):
    response = developer_client.post(
        ACCESS, {"authentication_certificate": "on", "authentication_sasl": "on"}, **HTMX
    )

    assert 'id="id_authentication_sasl" aria-describedby="authentication-help" checked' in (
        response.content.decode()
    )
    service.refresh_from_db()
    assert service.kafka_authentication_methods() == ("certificate", "sasl")
    assert AuditEvent.objects.filter(service=service, action="service.user_config").count() == 1
    html = developer_client.get(INFO, **HTMX).content.decode()
    assert 'data-component="kafka"' in html
    assert "Kafka (SASL)" in html
    assert f'data-copy="{HOST}:12697"' in html
    assert f'data-copy="{HOST}:12692"' in html


def test_unticking_both_methods_is_refused_next_to_the_certificate_box(developer_client, service):
    response = developer_client.post(ACCESS, {}, **HTMX)

    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_authentication_certificate_error"' in html
    assert "at least one of certificate and sasl must stay on" in html
    service.refresh_from_db()
    assert service.user_config == {}


def test_privatelink_route_shows_kafka_once_per_method_on_the_same_host(developer_client, service):
    service.user_config = {
        "privatelink_access": {"kafka": True},
        "kafka_authentication_methods": {"sasl": True},
    }
    service.save()
    link = PrivateLinkFactory(service=service)
    connection = ConnectionFactory(privatelink=link, number=1, state="active")
    for offset, node in enumerate(service.nodes.order_by("name")):
        ListenerFactory(privatelink=link, connection=connection, node=node, port=10000 + offset)
        ListenerFactory(
            privatelink=link,
            connection=connection,
            node=node,
            kafka_authentication_method="sasl",
            port=10003 + offset,
        )

    html = developer_client.get(
        INFO + "?route=" + connection.privatelink_connection_id, **HTMX
    ).content.decode()

    assert 'data-component="kafka"' in html
    assert 'data-component="kafka-sasl"' in html
    assert "Each node: my-kafka-1 10000, my-kafka-2 10001, my-kafka-3 10002" in html
    assert "Each node: my-kafka-1 10003, my-kafka-2 10004, my-kafka-3 10005" in html
    hosts = set(re.findall(r'data-copy="(privatelink-[^":]+)', html))
    assert len(hosts) == 1  # the same host for both methods
