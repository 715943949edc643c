"""The state groups and transitions the models hold for everyone who reads them."""

import pytest
from django.db import connection as db_connection
from django.test.utils import CaptureQueriesContext

from privatelink.models import (
    AwsPrivateLink,
    AzurePrivateLink,
    Listener,
    PrivateLink,
    PrivateLinkConnection,
)

State = PrivateLinkConnection.State
Health = Listener.Health


@pytest.fixture
def link(service):
    return PrivateLink.objects.create(service=service, principals=["*"])


@pytest.fixture
def make_row(link):
    def make(number, state=State.PENDING_USER_APPROVAL):
        return PrivateLinkConnection.objects.create(
            privatelink=link,
            privatelink_connection_id=f"plc{number:016d}",
            endpoint_id=f"vpce-{number:017d}",
            number=number,
            state=state,
        )

    return make


def test_the_settling_states_and_the_settled_ones_cover_every_connection_state_once():
    settled = {State.ACTIVE, State.REJECTED, State.DELETED}

    assert set(PrivateLinkConnection.SETTLING) | settled == set(State)
    assert not set(PrivateLinkConnection.SETTLING) & settled


def test_reachable_connections_are_live():
    assert set(PrivateLinkConnection.REACHABLE) <= set(PrivateLinkConnection.LIVE)


@pytest.mark.django_db
def test_live_connections_are_the_approved_connected_and_active_ones_also_through_the_link(
    link, make_row
):
    for number, state in enumerate(State, start=1):
        make_row(number, state)

    live = {c.state for c in link.connections.live()}

    assert live == {State.USER_APPROVED, State.CONNECTED, State.ACTIVE}
    assert PrivateLinkConnection.objects.live().count() == 3


@pytest.mark.parametrize(
    ("healths", "worst"),
    [
        ([], Health.UNUSED),
        (["healthy"], Health.HEALTHY),
        (["healthy", "unused"], Health.UNUSED),
        (["unused", "initial", "healthy"], Health.INITIAL),
        (["initial", "pending"], Health.PENDING),
        (["healthy", "pending", "unhealthy"], Health.UNHEALTHY),
    ],
)
def test_the_worst_health_ranks_unhealthy_then_pending_initial_unused_healthy(healths, worst):
    assert Listener.Health.worst(healths) == worst


def test_only_verdicts_of_aws_count_as_settled_health():
    assert set(Listener.SETTLED_HEALTH) == {Health.HEALTHY, Health.UNHEALTHY, Health.UNUSED}


@pytest.mark.django_db
def test_a_rejection_saves_the_state_and_the_reason(make_row):
    row = make_row(1, State.ACTIVE)

    row.mark_rejected("The principal was removed.")

    row.refresh_from_db()
    assert (row.state, row.rejection_reason) == (State.REJECTED, "The principal was removed.")


@pytest.mark.django_db
def test_following_aws_to_rejected_keeps_the_earlier_reason(make_row):
    row = make_row(1, State.REJECTED)
    PrivateLinkConnection.objects.filter(pk=row.pk).update(rejection_reason="Limit reached.")
    row.refresh_from_db()

    row.follow(State.DELETED)

    row.refresh_from_db()
    assert (row.state, row.rejection_reason) == (State.DELETED, "Limit reached.")


@pytest.mark.django_db
def test_a_transition_saves_only_the_fields_it_changes_and_nothing_when_nothing_changes(
    make_row,
):
    row = make_row(1, State.CONNECTED)
    # Another writer's change to a field the transition does not touch survives it.
    PrivateLinkConnection.objects.filter(pk=row.pk).update(dns_name="changed.elsewhere")

    row.mark_published()
    with CaptureQueriesContext(db_connection) as queries:
        row.mark_published()
        row.observe(row.cloud_state, row.dns_name, row.owner)

    row.refresh_from_db()
    assert (row.state, row.dns_record_published) == (State.ACTIVE, True)
    assert row.dns_name == "changed.elsewhere"
    assert len(queries) == 0


@pytest.mark.django_db
def test_a_connection_gone_from_aws_is_deleted_there_too(make_row):
    row = make_row(1, State.ACTIVE)

    row.mark_gone()

    row.refresh_from_db()
    assert (row.state, row.cloud_state) == (State.DELETED, "deleted")


@pytest.mark.django_db
def test_a_draining_listener_keeps_its_port_and_frees_its_slot(link):
    row = Listener.objects.create(privatelink=link, component="kafka", slot="kafka:x", port=10000)

    row.mark_draining()

    row.refresh_from_db()
    assert (row.slot, row.port, row.health) == (f"draining:{row.pk}", 10000, Health.DRAINING)


@pytest.mark.django_db
@pytest.mark.parametrize(("failed_generation", "failed"), [(0, False), (1, False), (2, True)])
def test_a_link_failed_only_when_aws_refused_its_current_generation_in_python_and_in_sql(
    link, failed_generation, failed
):
    PrivateLink.objects.filter(pk=link.pk).update(generation=2, failed_generation=failed_generation)
    link.refresh_from_db()

    assert link.generation_failed is failed
    assert PrivateLink.objects.filter(PrivateLink.GENERATION_FAILED).exists() is failed


def test_a_generation_refused_by_one_run_and_carried_out_by_a_later_one_is_not_failed(link):
    # Two runs of one generation can race (the Project VPC's reconcile and the link's both
    # making the VPC's subnets): the one refused marks it failed, the later one carries it
    # out. Left failed, the sweep would never look at the link's connections again.
    link.mark_failed("create_subnet: InvalidSubnet.Conflict")
    link.refresh_from_db()
    assert link.generation_failed

    assert link.mark_observed(link.generation)
    link.refresh_from_db()

    assert (link.state, link.generation_failed, link.last_error) == (
        PrivateLink.State.ACTIVE,
        False,
        "",
    )


@pytest.mark.parametrize(
    ("state", "endpoint_service_state", "connectable"),
    [
        (PrivateLink.State.ACTIVE, "Available", True),
        (PrivateLink.State.ACTIVE, "Pending", False),
        (PrivateLink.State.CREATING, "Available", False),
    ],
)
def test_an_aws_link_is_connectable_once_active_with_its_endpoint_service_available(
    link, state, endpoint_service_state, connectable
):
    PrivateLink.objects.filter(pk=link.pk).update(state=state)
    AwsPrivateLink.objects.create(privatelink=link, endpoint_service_state=endpoint_service_state)
    assert PrivateLink.objects.get(pk=link.pk).connectable is connectable


@pytest.mark.parametrize(
    ("provisioning_state", "connectable"), [("Succeeded", True), ("Updating", False)]
)
def test_an_azure_link_is_connectable_once_its_private_link_service_succeeded(
    azure_service, provisioning_state, connectable
):
    link = PrivateLink.objects.create(
        service=azure_service, principals=["*"], state=PrivateLink.State.ACTIVE
    )
    AzurePrivateLink.objects.create(privatelink=link, provisioning_state=provisioning_state)
    assert PrivateLink.objects.get(pk=link.pk).connectable is connectable


def test_an_active_link_not_yet_seen_in_its_cloud_is_not_connectable(link):
    PrivateLink.objects.filter(pk=link.pk).update(state=PrivateLink.State.ACTIVE)
    fresh = PrivateLink.objects.get(pk=link.pk)
    assert fresh.connectable is False
    assert fresh.aws_details.service_name == ""
