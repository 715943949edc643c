"""The migration to unique host labels keeps every existing row working: hosts stay as they
were unless two services shared one, in which case the later service moves, says so, and
its old DNS record is left for its own reconcile to remove."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("console", "0008_projectvpc_public_id"),
    ("privatelink", "0009_listener_kafka_authentication_method"),
]
AFTER = [
    ("console", "0009_service_host_labels_unique"),
    ("privatelink", "0010_connection_hosts_owned"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.fixture
def old_apps():
    apps = _migrate(BEFORE)
    yield apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _service(apps, project, name):
    Project = apps.get_model("console", "Project")
    Service = apps.get_model("console", "Service")
    owner, _ = Project.objects.get_or_create(name=project)
    return Service.objects.create(
        project=owner, name=name, service_type="kafka", plan="business-4", cloud="aws-eu-west-1"
    )


def _published(apps, service, number, endpoint):
    PrivateLink = apps.get_model("privatelink", "PrivateLink")
    Connection = apps.get_model("privatelink", "PrivateLinkConnection")
    ConnectionHost = apps.get_model("privatelink", "ConnectionHost")
    link = PrivateLink.objects.create(service=service, principals=["*"], state="active")
    Connection.objects.create(
        privatelink=link,
        privatelink_connection_id=f"plc{endpoint}",
        vpc_endpoint_id=f"vpce-{endpoint}",
        dns_name=f"vpce-{endpoint}.vpce-svc.eu-west-1.vpce.amazonaws.com",
        state="active",
        number=number,
        dns_record_published=True,
    )
    host = f"privatelink-{number}-{service.name}-{service.project.name}.example.test"
    ConnectionHost.objects.get_or_create(host=host)
    return link


def test_existing_hosts_are_kept_and_of_a_colliding_pair_the_later_service_moves(old_apps):
    first = _service(old_apps, "demo", "my-kafka")
    later = _service(old_apps, "kafka-demo", "my")
    alone = _service(old_apps, "other", "pg")
    long_named = _service(old_apps, "demo", "l" * 50)
    # The later service's connection came first, so it took N=1 of the shared name.
    later_link = _published(old_apps, later, 1, "later")
    first_link = _published(old_apps, first, 2, "first")
    alone_link = _published(old_apps, alone, 1, "alone")

    apps = _migrate(AFTER)

    Service = apps.get_model("console", "Service")
    labels = dict(Service.objects.values_list("pk", "host_label"))
    assert labels[first.pk] == "my-kafka-demo"
    assert labels[alone.pk] == "pg-other"
    assert labels[later.pk].startswith("my-kafka-demo-")
    assert len(labels[later.pk]) <= 47
    assert labels[long_named.pk].startswith("l" * 40)
    assert len(labels[long_named.pk]) == 47
    HostLabel = apps.get_model("console", "HostLabel")
    assert set(HostLabel.objects.values_list("label", flat=True)) == set(labels.values())

    owners = dict(
        apps.get_model("privatelink", "ConnectionHost").objects.values_list("host", "privatelink")
    )
    assert owners == {
        "privatelink-2-my-kafka-demo.example.test": first_link.pk,
        "privatelink-1-pg-other.example.test": alone_link.pk,
        # The later service owns its new host, and its old one until its reconcile deletes
        # the old record.
        f"privatelink-1-{labels[later.pk]}.example.test": later_link.pk,
        "privatelink-1-my-kafka-demo.example.test": later_link.pk,
    }
    Connection = apps.get_model("privatelink", "PrivateLinkConnection")
    states = {c.privatelink_id: (c.state, c.dns_record_published) for c in Connection.objects.all()}
    assert states == {
        first_link.pk: ("active", True),
        alone_link.pk: ("active", True),
        later_link.pk: ("connected", False),
    }
    AuditEvent = apps.get_model("console", "AuditEvent")
    moved = {e.service_id: (e.before, e.after) for e in AuditEvent.objects.filter(
        action="service.host_label_changed")}  # fmt: skip
    assert set(moved) == {later.pk, long_named.pk}
    assert moved[later.pk][0] == {"host_label": "my-kafka-demo"}
    assert moved[later.pk][1]["reason"] == "another service had this host first"
