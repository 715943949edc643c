"""`kafka_authentication_methods` in Kafka's user config: certificates on and SASL off by
default, at least one on, and `components` listing Kafka once per method on every route."""

import pytest

from console import catalog
from console.models import AuditEvent
from tests.api.test_api import error_of
from tests.factories import (
    ConnectionFactory,
    ListenerFactory,
    PrivateLinkFactory,
    ServiceFactory,
)

SERVICE = "/v1/project/demo/service/my-kafka"
HOST = "my-kafka-demo.example.test"


def kafka_entries(components: list[dict], route: str) -> list[tuple[str, str, int]]:
    return [
        (c["kafka_authentication_method"], c["host"], c["port"])
        for c in components
        if c["component"] == "kafka" and c["route"] == route
    ]


def test_the_schema_offers_both_methods_with_the_platforms_defaults_on_kafka_only():
    kafka = catalog.user_config_schema(catalog.get_service_type("kafka"))
    methods = kafka["properties"]["kafka_authentication_methods"]
    assert methods["properties"]["certificate"]["default"] is True
    assert methods["properties"]["sasl"]["default"] is False
    assert methods["properties"]["sasl"]["title"] == "Enable SASL authentication"
    pg = catalog.user_config_schema(catalog.get_service_type("pg"))
    assert "kafka_authentication_methods" not in pg["properties"]


def test_a_new_kafka_lists_only_the_certificate_port(api, service):
    shown = api.get(SERVICE).json()["service"]
    assert kafka_entries(shown["components"], "dynamic") == [("certificate", HOST, 12692)]


def test_turning_sasl_on_through_the_api_adds_its_own_port_on_the_dynamic_route(api, service):
    answer = api.put(SERVICE, {"user_config": {"kafka_authentication_methods": {"sasl": True}}})

    shown = answer.json()["service"]
    assert kafka_entries(shown["components"], "dynamic") == [
        ("certificate", HOST, 12692),
        ("sasl", HOST, 12697),
    ]
    # SASL's port is Kafka's own: no other component answers on it.
    others = {c["port"] for c in shown["components"] if c["component"] != "kafka"}
    assert 12697 not in others
    service.refresh_from_db()
    assert service.user_config == {"kafka_authentication_methods": {"sasl": True}}
    event = AuditEvent.objects.get(action="service.user_config", service=service)
    assert event.after == {"kafka_authentication_methods": {"sasl": True}}


def test_with_certificates_off_only_the_sasl_entry_is_left(api, service):
    api.put(
        SERVICE,
        {"user_config": {"kafka_authentication_methods": {"sasl": True, "certificate": False}}},
    )
    shown = api.get(SERVICE).json()["service"]
    assert kafka_entries(shown["components"], "dynamic") == [("sasl", HOST, 12697)]
    assert shown["service_uri"] == f"{HOST}:12697"


@pytest.mark.parametrize(
    ("start", "change", "field"),
    [
        ({}, {"certificate": False}, "certificate"),
        ({"certificate": False, "sasl": True}, {"sasl": False}, "sasl"),
        ({}, {"certificate": False, "sasl": False}, "certificate"),
    ],
)
def test_turning_every_method_off_is_refused_naming_the_switch_and_changes_nothing(
    api, service, start, change, field
):
    service.user_config = {"kafka_authentication_methods": start} if start else {}
    service.save()

    status, message, _ = error_of(
        api.put(SERVICE, {"user_config": {"kafka_authentication_methods": change}})
    )

    assert status == 400
    assert "at least one of certificate and sasl must stay on" in message
    assert f"kafka_authentication_methods.{field}=true" in message
    service.refresh_from_db()
    assert service.user_config == ({"kafka_authentication_methods": start} if start else {})
    assert not AuditEvent.objects.filter(action="service.user_config").exists()


def test_a_non_kafka_service_has_no_authentication_methods(api, project):
    ServiceFactory(project=project, name="my-pg", service_type="pg", nodes=1)
    status, message, _ = error_of(
        api.put(
            "/v1/project/demo/service/my-pg",
            {"user_config": {"kafka_authentication_methods": {"sasl": True}}},
        )
    )
    assert (status, "Unknown user config key kafka_authentication_methods" in message) == (
        400,
        True,
    )


def test_privatelink_components_list_each_method_with_its_own_port_and_the_same_host(api, service):
    service.user_config = {
        "privatelink_access": {"kafka": True},
        "kafka_authentication_methods": {"sasl": True},
    }
    service.save()
    link = PrivateLinkFactory(service=service)
    connection = ConnectionFactory(privatelink=link, number=1, state="active")
    brokers = list(service.nodes.order_by("name"))
    for offset, node in enumerate(brokers):
        ListenerFactory(privatelink=link, connection=connection, node=node, port=10000 + offset)
        ListenerFactory(
            privatelink=link,
            connection=connection,
            node=node,
            kafka_authentication_method="sasl",
            port=10003 + offset,
        )

    shown = api.get(SERVICE).json()["service"]

    entries = kafka_entries(shown["components"], "privatelink")
    assert [(method, port) for method, _, port in entries] == [
        ("certificate", 10000),
        ("sasl", 10003),
    ]
    (host,) = {host for _, host, _ in entries}  # the same host, whatever the method
    assert host.startswith("privatelink-1-")
    assert {
        c["privatelink_connection_id"] for c in shown["components"] if c["route"] == "privatelink"
    } == {connection.privatelink_connection_id}
