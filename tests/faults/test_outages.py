"""Outages around the console: the broker down while a user saves, and the fake AWS
restarted with all its state lost. Nothing the user asked for is lost in either."""

import pytest

from console.celery import app
from console.models import AuditEvent
from privatelink import queue, sweep, tasks
from privatelink.models import PrivateLink
from tests.constants import CUSTOMER_ROLE
from tests.privatelink.aws_state import aws_inventory
from tests.privatelink.engine import converge

PAGE = "/projects/demo/services/my-kafka/privatelink/"
UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def broker_down(monkeypatch):
    """Point Celery at a broker that refuses connections; restore it afterwards."""
    # Publishing uses broker_write_url, which Celery fills from the broker URL at start.
    for name in ("broker_url", "broker_write_url"):
        monkeypatch.setitem(app.conf, name, UNREACHABLE_BROKER)
    # The embedded broker names its transport, which a URL's scheme would not override.
    monkeypatch.setitem(app.conf, "broker_transport", None)
    monkeypatch.setattr(app, "_pool", None)
    monkeypatch.setattr(app.amqp, "_producer_pool", None)
    yield
    app._pool = None
    app.amqp._producer_pool = None


def test_a_save_while_the_broker_is_down_is_kept_and_the_sweep_completes_it(
    fake_aws,
    developer_client,
    service,
    broker_down,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = developer_client.post(PAGE + "create", {"principals": CUSTOMER_ROLE})

    link = PrivateLink.objects.get(service=service)
    assert response.status_code == 302
    assert response.headers["Location"] == PAGE
    assert link.principals == [CUSTOMER_ROLE]
    assert link.state == PrivateLink.State.CREATING
    page = developer_client.get(PAGE)
    assert b"Creating" in page.content or b"creating" in page.content
    assert aws_inventory(fake_aws)["load_balancers"] == []

    # The broker is back: the periodic sweep finds the unconverged row and queues it.
    queued: list[int] = []
    monkeypatch.setattr(
        queue, "reconcile_service", lambda pk, provider, countdown=None: queued.append(pk) or True
    )
    monkeypatch.setattr(queue, "reconcile_project_vpc", lambda pk, provider, countdown=None: True)
    tasks.run_sweep("aws")
    assert queued.count(service.pk) == 1
    converge(service)

    link.refresh_from_db()
    assert link.state == PrivateLink.State.ACTIVE
    assert [s["ServiceId"] for s in aws_inventory(fake_aws)["endpoint_services"]] == [
        link.aws.service_id
    ]


@pytest.mark.django_db(transaction=True)
def test_the_page_says_a_save_is_queued_when_the_broker_is_down(
    developer_client, service, broker_down
):
    # A real commit, as in production: the reconcile is published, and refused, during
    # the action, so the page learns it before it answers.
    response = developer_client.post(PAGE + "create", {"principals": CUSTOMER_ROLE}, follow=True)

    assert PrivateLink.objects.get(service=service).principals == [CUSTOMER_ROLE]
    assert b"saved and queued" in response.content


def test_the_queue_reports_a_refused_publish_instead_of_raising(service, broker_down):
    assert queue.reconcile_service(service.pk, "aws") is False


def test_after_the_fake_aws_restarts_the_sweep_sees_the_drift_and_a_reconcile_rebuilds(
    fake_aws, developer_client, developer, service, queued
):
    from privatelink import actions

    actions.create_privatelink(service, [CUSTOMER_ROLE], actor=developer)
    actions.set_component_access(service, {"schema_registry": True}, actor=developer)
    converge(service)
    before = PrivateLink.objects.get(service=service)
    assert before.state == PrivateLink.State.ACTIVE

    fake_aws.reset()  # the fake AWS process restarted: everything in it is gone
    queued.clear()
    report = sweep.sweep()

    assert report.drifted == {service.pk}
    assert report.queued == {service.pk}
    converge(service)  # the queued reconcile, as the worker runs it

    after = PrivateLink.objects.get(service=service)
    inventory = aws_inventory(fake_aws)
    assert after.last_error == ""
    assert after.state == PrivateLink.State.ACTIVE
    # moto may hand out the same id again after a restart, so the id proves nothing here.
    assert [s["ServiceId"] for s in inventory["endpoint_services"]] == [after.aws.service_id]
    assert len(inventory["load_balancers"]) == 1
    assert [listener["Port"] for listener in inventory["listeners"]] == [12695]
    repaired = AuditEvent.objects.filter(service=service, action="privatelink.drift_repaired")
    assert "endpoint service" in {event.after.get("resource") for event in repaired}
    page = developer_client.get(PAGE)
    assert after.aws.service_name.encode() in page.content
    activity = developer_client.get("/projects/demo/services/my-kafka/activity")
    assert b"drift" in activity.content.lower()
    assert sweep.sweep().drifted == set()
