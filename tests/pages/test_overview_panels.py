from console.credentials import credentials_of
from console.models import AuditEvent, Service
from tests.constants import HTMX
from tests.factories import ConnectionFactory, ListenerFactory, PrivateLinkFactory, ServiceFactory

OVERVIEW = "/projects/demo/services/my-kafka/"
INFO = OVERVIEW + "connection-info"
ACCESS = OVERVIEW + "privatelink-access"
# The Kafka client-certificate checkbox, ticked as the page shows it by default.
CERTIFICATE_ON = {"authentication_certificate": "on"}
HOST1 = "privatelink-1-my-kafka-demo.example.test"


def _enable(service, **access):
    service.user_config = {"privatelink_access": access}
    service.save()


def _kafka_listeners(service, link, connection, health="healthy"):
    for port, node in zip((10000, 10001, 10002), service.nodes.order_by("name"), strict=True):
        ListenerFactory(
            privatelink=link,
            component="kafka",
            port=port,
            health=health,
            connection=connection,
            node=node,
        )


def test_dynamic_route_lists_every_component_with_a_ready_uri(developer_client, service):
    html = developer_client.get(OVERVIEW).content.decode()
    assert "Connection information" in html
    assert 'data-copy="my-kafka-demo.example.test:12692"' in html
    assert 'data-copy="https://my-kafka-demo.example.test:12695"' in html
    assert "same on every route" in html


def test_privatelink_route_shows_host_port_and_uri_of_enabled_components(developer_client, service):
    _enable(service, kafka=True, schema_registry=True)
    link = PrivateLinkFactory(service=service)
    connection = ConnectionFactory(privatelink=link, number=1, state="active")
    _kafka_listeners(service, link, connection)
    ListenerFactory(privatelink=link, component="schema_registry", port=12695)

    response = developer_client.get(INFO + "?route=" + connection.privatelink_connection_id, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "privatelink-access-changed from:body, every 5s" in html
    assert f'data-copy="{HOST1}:10000"' in html
    assert f'data-copy="https://{HOST1}:12695"' in html
    assert "my-kafka-2 10001" in html
    assert 'data-component="kafka_rest"' not in html  # not enabled
    assert "pending health checks" not in html


def test_each_active_connection_is_a_choice_of_the_route_switch(developer_client, service):
    _enable(service, schema_registry=True)
    link = PrivateLinkFactory(service=service)
    first = ConnectionFactory(privatelink=link, number=1, state="active")
    second = ConnectionFactory(privatelink=link, number=2, state="active")
    ConnectionFactory(privatelink=link, number=3, state="pending-user-approval")
    ListenerFactory(privatelink=link, component="schema_registry", port=12695)
    html = developer_client.get(OVERVIEW).content.decode()
    assert f'value="{first.privatelink_connection_id}"' in html
    assert f'value="{second.privatelink_connection_id}"' in html
    assert "PrivateLink 3" not in html


def test_initial_targets_say_connectivity_is_pending_and_keep_polling(developer_client, service):
    _enable(service, kafka=True)
    link = PrivateLinkFactory(service=service)
    connection = ConnectionFactory(privatelink=link, number=1, state="active")
    _kafka_listeners(service, link, connection, health="initial")
    response = developer_client.get(INFO + "?route=" + connection.privatelink_connection_id, **HTMX)
    assert response.status_code == 200
    assert b"Connectivity is pending health checks" in response.content
    assert b"every 2s" in response.content


def test_access_form_saves_every_toggle_in_one_submit(
    developer_client, service, queued, django_capture_on_commit_callbacks
):
    PrivateLinkFactory(service=service)
    with django_capture_on_commit_callbacks(execute=True):
        response = developer_client.post(
            ACCESS, {"kafka": "on", "schema_registry": "on", **CERTIFICATE_ON}, **HTMX
        )
    service.refresh_from_db()
    assert service.privatelink_access()["kafka"] is True
    assert service.privatelink_access()["schema_registry"] is True
    assert service.privatelink_access()["kafka_rest"] is False
    assert b"Pending: waiting for healthy listeners" in response.content
    assert AuditEvent.objects.filter(service=service, action="service.user_config").count() == 1


def test_enabling_access_without_a_privatelink_is_stored_and_said_to_take_effect_later(
    developer_client, service
):
    response = developer_client.post(ACCESS, {"kafka": "on", **CERTIFICATE_ON}, **HTMX)
    html = response.content.decode()
    kafka = html[html.index("privatelink_access.kafka ") :]
    kafka = kafka[: kafka.index("</li>")]
    assert "Enabled: takes effect when the PrivateLink is active" in kafka
    assert 'id="id_kafka_error"' not in html
    service.refresh_from_db()
    assert service.privatelink_access()["kafka"] is True


def test_exceeding_the_listener_budget_is_explained(developer_client, project):
    big = ServiceFactory(project=project, name="big-kafka", nodes=9)
    link = PrivateLinkFactory(service=big)
    for number in (1, 2):
        ConnectionFactory(privatelink=link, number=number, state="active")
    everything = {c.name: "on" for c in big.type.privatelink_components}
    everything.update(CERTIFICATE_ON)
    response = developer_client.post(
        "/projects/demo/services/big-kafka/privatelink-access", everything, **HTMX
    )
    html = response.content.decode()
    assert "needs 57 load balancer listeners" in html
    assert "at most 50 listeners per Network Load Balancer" in html
    assert "Turn off privatelink access for" in html
    assert Service.objects.get(pk=big.pk).user_config == {}


def test_the_listener_budget_is_shown_beside_advanced_configuration(developer_client, project):
    big = ServiceFactory(project=project, name="big-kafka", nodes=9)
    link = PrivateLinkFactory(service=big)
    ConnectionFactory(privatelink=link, number=1, state="active")
    big.user_config = {"privatelink_access": {"kafka": True, "schema_registry": True}}
    big.save(update_fields=["user_config"])

    html = developer_client.get("/projects/demo/services/big-kafka/").content.decode()

    # 9 brokers x 1 connection for kafka, one shared listener for the schema registry.
    assert "10 of 50 load balancer listeners used" in html


def test_read_only_member_sees_disabled_toggles_and_gets_403_on_save(read_only_client, service):
    PrivateLinkFactory(service=service)
    html = read_only_client.get(OVERVIEW).content.decode()
    assert 'name="kafka" id="id_kafka" disabled' in html
    assert "Save advanced configuration" not in html
    assert read_only_client.post(ACCESS, {"kafka": "on"}, **HTMX).status_code == 403
    service.refresh_from_db()
    assert service.user_config == {}


def test_outsider_gets_404_for_the_panels(outsider_client, service):
    assert outsider_client.get(INFO, **HTMX).status_code == 404
    assert outsider_client.post(ACCESS, {"kafka": "on"}).status_code == 404
    service.refresh_from_db()
    assert service.user_config == {}


def test_postgresql_overview_gives_the_uri_with_the_user_and_the_password_masked(
    developer_client, project
):
    pg = ServiceFactory(project=project, name="my-pg", service_type="pg", nodes=2)
    html = developer_client.get("/projects/demo/services/my-pg/").content.decode()
    assert (
        'data-copy="postgres://avnadmin:••••••••@my-pg-demo.example.test:12691/defaultdb'
        '?sslmode=require"'
    ) in html
    (password,) = [c.password for c in credentials_of(pg, with_passwords=True)]
    assert password not in html
    assert "privatelink_access.pg_replica" not in html  # not privatelink-capable
    assert "privatelink_access.pgbouncer" in html


def test_privatelink_routes_disappear_as_soon_as_the_privatelink_is_deleting(
    developer_client, service
):
    _enable(service, kafka=True)
    link = PrivateLinkFactory(service=service, state="deleting")
    connection = ConnectionFactory(privatelink=link, number=1, state="active")
    _kafka_listeners(service, link, connection)
    plc = connection.privatelink_connection_id

    for html in (
        developer_client.get(OVERVIEW).content.decode(),
        developer_client.get(INFO + "?route=" + plc, **HTMX).content.decode(),
    ):
        assert HOST1 not in html
        assert f'value="{plc}"' not in html  # no choice of the route switch
        assert "The PrivateLink is being deleted" in html
    access = developer_client.get(ACCESS, **HTMX).content.decode()
    assert "Enabled: the PrivateLink is being deleted" in access
    assert "waiting for an active connection" not in access


def test_after_the_privatelink_is_gone_switched_on_components_wait_for_the_next_one(
    developer_client, service
):
    # What teardown leaves: the user config as it was, and no PrivateLink row.
    _enable(service, kafka=True, schema_registry=False)
    response = developer_client.get(ACCESS, **HTMX)
    html = response.content.decode()
    assert 'hx-trigger="every 5s"' in html
    kafka = html[html.index("privatelink_access.kafka ") :]
    kafka = kafka[: kafka.index("</li>")]
    assert "Enabled: takes effect when the PrivateLink is active" in kafka
    assert "waiting for an active connection" not in html
    assert 'id="id_kafka" checked' in html
    service.refresh_from_db()
    assert service.user_config == {"privatelink_access": {"kafka": True, "schema_registry": False}}


def test_a_replaced_node_shows_its_health_check_in_connection_information(
    developer_client, service
):
    service.user_config = {"privatelink_access": {"kafka": True}}
    service.save()
    link = PrivateLinkFactory(service=service)
    connection = ConnectionFactory(privatelink=link)
    for offset, node in enumerate(service.nodes.order_by("name")):
        health = "initial" if node.name == "my-kafka-1" else "healthy"
        ListenerFactory(
            privatelink=link,
            component="kafka",
            port=10000 + offset,
            health=health,
            connection=connection,
            node=node,
        )

    html = developer_client.get(
        INFO + f"?route={connection.privatelink_connection_id}", **HTMX
    ).content.decode()

    assert "my-kafka-1 10000 (initial), my-kafka-2 10001, my-kafka-3 10002" in html
    assert 'hx-trigger="privatelink-access-changed from:body, every 2s"' in html


def test_the_overview_page_polls_both_panels_at_the_settled_pace(developer_client, service):
    PrivateLinkFactory(service=service)
    html = developer_client.get("/projects/demo/services/my-kafka/").content.decode()
    assert 'hx-trigger="privatelink-access-changed from:body, every 5s"' in html
    assert 'hx-trigger="every 5s"' in html
