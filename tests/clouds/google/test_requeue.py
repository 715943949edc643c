"""No worker thread waits while Google carries out an operation: a reconcile run that
starts (or finds) one still running ends at once and asks to be run again after
GOOGLE_POLLING_INTERVAL, as a requeue (no Retryable, so none of the task's retries is
spent), and the next run picks up where it left off, starting no change twice. With the
fake's delays on, repeated runs build, connect and delete a link as they do without."""

import time
from collections import Counter

import pytest
from django.core.cache import cache

from console.models import ProjectVPC
from privatelink import actions, google_actions
from privatelink.clouds.google import GoogleGateway
from privatelink.engine import reconcile
from privatelink.engine.reconcile import Outcome
from privatelink.models import PrivateLink, PrivateLinkConnection
from tests.clouds.google.conftest import CUSTOMER
from tests.clouds.requeued_runs import ROUNDS, runs

# Seconds each operation runs in the fake Google.
DELAY = 0.3
ENDPOINT_ADDRESS = "10.9.0.5"
CHANGES = (
    "create_network",
    "create_network_endpoint_group",
    "create_backend_service",
    "create_forwarding_rule",
    "create_service_attachment",
    "attach_network_endpoints",
)


@pytest.fixture
def changes() -> list[str]:
    return []


@pytest.fixture
def gateway_class(changes) -> type[GoogleGateway]:
    """The gateway, noting every change it starts in Google."""

    class NotingGateway(GoogleGateway):
        def _run(self, operation, start, target):
            changes.append(operation)
            return super()._run(operation, start, target)

    return NotingGateway


@pytest.fixture
def slow_google(google_settings, fake_google):
    fake_google.set_delays(provisioning=DELAY, deletion=DELAY)
    return fake_google


@pytest.fixture
def google_link(google_settings, fake_aws, google_service, developer, queued):
    link = google_actions.create_google_privatelink(google_service, actor=developer).link
    actions.set_component_access(google_service, {"kafka": True}, actor=developer)
    return link


def _service_runs(link: PrivateLink, gateway_class, **kwargs) -> list[Outcome]:
    return runs(lambda: reconcile.reconcile_service(link.service.pk, gateway_class), **kwargs)


def _ours(fake_google) -> Counter[str]:
    """The platform's resources by kind (customers' endpoints are forwarding rules too)."""
    return Counter(r["kind"] for r in fake_google.resources() if r["name"].startswith("pl-"))


# What a link's deletion leaves: its Project VPC's network and nodes' subnet.
NETWORK_ONLY = {"compute#network": 1, "compute#subnetwork": 1}


def test_a_run_leaves_a_running_operation_to_a_requeued_run(
    google_link, slow_google, gateway_class, changes, google_settings
):
    vpc_id = google_link.service.project_vpc_id

    first = reconcile.reconcile_project_vpc(vpc_id, gateway_class)

    assert first == Outcome(requeue_after=google_settings.GOOGLE_POLLING_INTERVAL)
    assert changes == ["create_network"]
    assert slow_google.resources() == []  # Google is still making it


def test_repeated_runs_build_and_connect_a_link_starting_each_change_once(
    google_link, slow_google, gateway_class, changes, google_settings, developer
):
    vpc_runs = runs(
        lambda: reconcile.reconcile_project_vpc(google_link.service.project_vpc_id, gateway_class)
    )
    link_runs = _service_runs(google_link, gateway_class)

    polling = google_settings.GOOGLE_POLLING_INTERVAL
    assert {o.requeue_after for o in vpc_runs[:-1] + link_runs[:-1]} == {polling}
    link = PrivateLink.objects.get(pk=google_link.pk)
    assert link.state == PrivateLink.State.ACTIVE
    assert link.last_error == ""  # never "Retrying after a transient cloud error"
    assert _ours(slow_google) == {
        "compute#network": 1,
        "compute#subnetwork": 2,  # the nodes' and the NAT subnet
        "compute#networkEndpointGroup": 1,
        "compute#backendService": 1,
        "compute#forwardingRule": 1,
        "compute#serviceAttachment": 1,
    }

    slow_google.customer(CUSTOMER).create_endpoint(link.google.service_attachment, "kafka")
    _service_runs(link, gateway_class)
    row = PrivateLinkConnection.objects.get(privatelink=link)
    google_actions.approve_connection(
        link, row.privatelink_connection_id, ENDPOINT_ADDRESS, actor=developer
    )
    _service_runs(link, gateway_class)

    row.refresh_from_db()
    assert row.state == PrivateLinkConnection.State.ACTIVE
    assert slow_google.customer(CUSTOMER).endpoint("europe-west1", "kafka").status == "ACCEPTED"
    started = Counter(changes)
    assert {change: started[change] for change in CHANGES} == dict.fromkeys(CHANGES, 1)
    assert started["create_subnetwork"] == 2  # the nodes' and the NAT subnet
    assert started["patch_service_attachment"] == 1


def test_repeated_runs_delete_a_link_starting_each_delete_once(
    google_link, slow_google, gateway_class, changes
):
    _service_runs(google_link, gateway_class)
    changes.clear()
    google_link.refresh_from_db()
    google_link.mark_deleting()

    outcomes = _service_runs(google_link, gateway_class)

    assert len(outcomes) > 1  # each delete was left running
    assert not PrivateLink.objects.filter(pk=google_link.pk).exists()
    assert _ours(slow_google) == NETWORK_ONLY
    assert sorted(changes) == [
        "delete_backend_service",
        "delete_forwarding_rule",
        "delete_network_endpoint_group",
        "delete_service_attachment",
        "delete_subnetwork",
    ]


def test_runs_that_lose_every_record_of_a_running_operation_converge_all_the_same(
    google_link, slow_google, gateway_class
):
    # As if each worker died between Google's answer and the record: every run finds its
    # changes from what Google shows and answers.
    _service_runs(google_link, gateway_class, between=cache.clear)

    assert PrivateLink.objects.get(pk=google_link.pk).state == PrivateLink.State.ACTIVE
    assert _ours(slow_google)["compute#serviceAttachment"] == 1

    google_link.refresh_from_db()
    google_link.mark_deleting()
    _service_runs(google_link, gateway_class, between=cache.clear)

    assert not PrivateLink.objects.filter(pk=google_link.pk).exists()
    assert _ours(slow_google) == NETWORK_ONLY


@pytest.mark.parametrize("left_running", ["create_forwarding_rule", "create_service_attachment"])
def test_a_link_deleted_while_google_makes_one_of_its_parts_leaves_nothing(
    google_link, slow_google, gateway_class, changes, left_running
):
    # The build's runs, until one leaves the insert running (the part not readable yet).
    runs(lambda: reconcile.reconcile_project_vpc(google_link.service.project_vpc_id))
    for _ in range(ROUNDS):
        reconcile.reconcile_service(google_link.service.pk, gateway_class)
        if changes[-1:] == [left_running]:
            break
    google_link.refresh_from_db()
    google_link.mark_deleting()
    # Deleting is quicker than making: the deletes would be over before the insert.
    slow_google.set_delays(deletion=DELAY / 10)

    _service_runs(google_link, gateway_class)

    assert not PrivateLink.objects.filter(pk=google_link.pk).exists()
    time.sleep(DELAY)  # anything Google was still making would be there now
    assert _ours(slow_google) == NETWORK_ONLY


def test_a_project_vpc_deleted_while_google_makes_its_network_leaves_nothing(
    google_service, slow_google, gateway_class
):
    vpc = google_service.project_vpc
    google_service.delete()
    reconcile.reconcile_project_vpc(vpc.pk, gateway_class)
    ProjectVPC.objects.filter(pk=vpc.pk).update(state=ProjectVPC.State.DELETING)

    runs(lambda: reconcile.reconcile_project_vpc(vpc.pk, gateway_class))

    assert not ProjectVPC.objects.filter(pk=vpc.pk).exists()
    time.sleep(DELAY)
    assert _ours(slow_google) == {}


def test_a_run_while_google_makes_a_part_only_looks_at_its_operation(
    google_link, slow_google, google_settings
):
    requests: list[str] = []

    class CountingGateway(GoogleGateway):
        def _call(self, operation, work):
            requests.append(operation)
            return super()._call(operation, work)

    slow_google.set_delays(provisioning=0)
    runs(lambda: reconcile.reconcile_project_vpc(google_link.service.project_vpc_id))
    slow_google.set_delays(provisioning=60)
    first = reconcile.reconcile_service(google_link.service.pk, CountingGateway)
    assert requests[-1] == "create_network_endpoint_group"
    requests.clear()

    again = reconcile.reconcile_service(google_link.service.pk, CountingGateway)

    assert first == again == Outcome(requeue_after=google_settings.GOOGLE_POLLING_INTERVAL)
    assert requests == ["get_operation"]
