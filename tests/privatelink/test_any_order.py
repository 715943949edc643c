"""Terraform's order: a service created with PrivateLink access before any PrivateLink gets
its listeners once a PrivateLink is active, and again after the PrivateLink is re-created;
a new service is REBUILDING until its first reconcile."""

from console import actions as console_actions
from console.models import Service
from privatelink import actions
from privatelink.api.components import privatelink_components
from privatelink.models import Listener, PrivateLink
from privatelink.sweep import sweep
from tests.constants import CUSTOMER_ACCOUNT, CUSTOMER_ROLE
from tests.privatelink.aws_state import aws_inventory
from tests.privatelink.engine import converge


def _connect(fake_aws, service: Service) -> PrivateLink:
    """Create the PrivateLink, let it become active, and connect a customer endpoint."""
    link = actions.create_privatelink(service, [CUSTOMER_ROLE], actor=None).link
    converge(service)
    link.refresh_from_db()
    fake_aws.customer(CUSTOMER_ACCOUNT, CUSTOMER_ROLE).create_endpoint(link.aws.service_name)
    converge(service)
    return link


def test_access_given_at_creation_is_carried_out_by_each_privatelink_in_turn(
    fake_aws, service, developer, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created = console_actions.create_service(
            service.project,
            name="my-kafka9",
            service_type="kafka",
            plan="business-4",
            project_vpc=service.project_vpc,
            config={"privatelink_access": {"kafka": True}},
            actor=developer,
        )
    assert created.state == Service.State.REBUILDING
    # Its reconcile is queued on commit and finishes the build, with no PrivateLink yet.
    assert ("service", created.pk) in queued
    converge(created)
    created.refresh_from_db()
    assert created.state == Service.State.RUNNING
    assert not PrivateLink.objects.filter(service=created).exists()

    link = _connect(fake_aws, created)
    kafka = Listener.objects.filter(privatelink=link, component="kafka")
    assert kafka.count() == 3
    assert {listener.health for listener in kafka} == {Listener.Health.HEALTHY}
    assert len(aws_inventory(fake_aws)["listeners"]) == 3
    # What `avn service get --json` lists: Kafka on the privatelink route, with no update.
    routes = privatelink_components(created)
    assert {(c["component"], c["route"]) for c in routes} == {("kafka", "privatelink")}
    assert routes[0]["host"].startswith("privatelink-1-my-kafka9-")

    actions.delete_privatelink(link, actor=developer)
    converge(created)
    assert not PrivateLink.objects.filter(service=created).exists()
    assert aws_inventory(fake_aws)["listeners"] == []
    created.refresh_from_db()
    assert created.privatelink_access()["kafka"] is True

    again = _connect(fake_aws, created)
    assert Listener.objects.filter(privatelink=again, component="kafka").count() == 3
    assert len(aws_inventory(fake_aws)["listeners"]) == 3


def test_a_service_whose_first_reconcile_was_lost_is_finished_by_the_sweep(
    fake_aws, service, developer, queued
):
    created = console_actions.create_service(
        service.project,
        name="my-kafka9",
        service_type="kafka",
        plan="business-4",
        project_vpc=service.project_vpc,
        actor=developer,
    )
    assert queued == []  # not committed: nothing was published
    assert created.pk in sweep().queued
    converge(created)
    created.refresh_from_db()
    assert created.state == Service.State.RUNNING
