"""The Google driver under the engine: a Project VPC and a PrivateLink built in the fake
Google through `reconcile`, with their rows recording what Google reports, customers'
endpoints approved by the user and published at their addresses, and removed again."""

import pytest

from console import actions as console_actions
from console.models import AuditEvent, ProjectVPC, Service
from privatelink import actions, google_actions, placement, sweep
from privatelink.clouds import registry
from privatelink.clouds.errors import Retryable
from privatelink.clouds.google import GoogleGateway
from privatelink.clouds.google.driver import GoogleDriver
from privatelink.clouds.google.names import (
    endpoint_group_name,
    forwarding_rule_name,
    network_name,
    service_attachment_name,
)
from privatelink.engine import reconcile
from privatelink.models import Listener, PrivateLink, PrivateLinkConnection
from tests.clouds.google.conftest import CUSTOMER, STRANGER
from tests.clouds.platform_zone import record_sets, value_of
from tests.factories import ProjectVPCFactory
from tests.privatelink.engine import converge

State = PrivateLinkConnection.State
ENDPOINT_ADDRESS = "10.9.0.5"
LINK_KINDS = (
    "compute#serviceAttachment",
    "compute#forwardingRule",
    "compute#backendService",
    "compute#networkEndpointGroup",
)


@pytest.fixture
def google_link(google_settings, fake_aws, google_service, developer, queued):
    """my-kafka-gcp's Google PrivateLink with Kafka over it, accepting no project yet, not
    reconciled."""
    link = google_actions.create_google_privatelink(google_service, actor=developer).link
    actions.set_component_access(google_service, {"kafka": True}, actor=developer)
    return link


def _ours(fake_google, kind: str) -> list[str]:
    """The platform's resources of a kind (customers' endpoints are forwarding rules too)."""
    return sorted(
        r["name"]
        for r in fake_google.resources()
        if r["kind"] == kind and r["name"].startswith("pl-")
    )


def _active(google_link) -> PrivateLink:
    assert converge(google_link.service).error == ""
    return PrivateLink.objects.get(pk=google_link.pk)


def _connection(link: PrivateLink) -> PrivateLinkConnection:
    return PrivateLinkConnection.objects.get(privatelink=link)


def _connected(link: PrivateLink, fake_google, developer) -> None:
    """CUSTOMER's endpoint found, approved with its address and active."""
    fake_google.customer(CUSTOMER).create_endpoint(link.google.service_attachment)
    converge(link.service)
    google_actions.approve_connection(
        link, _connection(link).privatelink_connection_id, ENDPOINT_ADDRESS, actor=developer
    )
    assert converge(link.service).error == ""
    assert _connection(link).state == State.ACTIVE


def _a_records(fake_aws) -> list[tuple[str, str]]:
    return sorted((record["Name"], value_of(record)) for record in record_sets(fake_aws, ("A",)))


def test_registry_gives_the_google_driver_for_a_google_cloud(google_settings):
    assert isinstance(registry.driver_for_cloud("google-europe-west1"), GoogleDriver)


def test_project_vpc_reconcile_builds_its_network_once(
    google_settings, fake_google, google_service
):
    vpc = google_service.project_vpc

    assert reconcile.reconcile_project_vpc(vpc.pk).error == ""
    reconcile.reconcile_project_vpc(vpc.pk)

    vpc.refresh_from_db()
    assert vpc.state == "active"
    assert _ours(fake_google, "compute#network") == [network_name(vpc.pk)]


def test_a_deleted_project_vpc_takes_its_network_with_it(google_settings, fake_google, project):
    vpc = ProjectVPCFactory(project=project, cloud="google-us-east1", cidr="10.3.0.0/16")
    reconcile.reconcile_project_vpc(vpc.pk)
    assert [
        r["region"].rsplit("/", 1)[-1]
        for r in fake_google.resources()
        if r["kind"] == "compute#subnetwork"
    ] == ["us-east1"]

    ProjectVPC.objects.filter(pk=vpc.pk).update(state=ProjectVPC.State.DELETING)
    assert reconcile.reconcile_project_vpc(vpc.pk).error == ""

    assert not ProjectVPC.objects.filter(pk=vpc.pk).exists()
    assert _ours(fake_google, "compute#network") == []


def test_link_becomes_active_with_its_attachment_and_one_mapped_port_per_listener_row(
    google_link, fake_google, developer
):
    link = _active(google_link)

    assert link.state == PrivateLink.State.ACTIVE
    assert link.observed_generation == link.generation
    details = link.google
    assert details.status == "READY"
    assert details.service_attachment.endswith(
        f"/regions/europe-west1/serviceAttachments/{service_attachment_name(link.pk)}"
    )
    assert details.forwarding_rule
    assert details.nat_subnet
    [attachment] = [r for r in fake_google.resources() if r["kind"] == "compute#serviceAttachment"]
    assert attachment["connectionPreference"] == "ACCEPT_MANUAL"
    assert attachment.get("consumerAcceptLists", []) == []
    _connected(link, fake_google, developer)  # a live connection: its per-node rows
    mapped = GoogleGateway().mapped_ports(endpoint_group_name(link.pk))
    rows = Listener.objects.filter(privatelink=link)
    assert len(mapped) == rows.count() == 3  # a broker each
    nodes = {n.name: n for n in link.service.nodes.all()}
    by_port = {row.port: row for row in rows}
    for port in mapped:
        node = by_port[port.client_port].node
        assert node is not None
        assert port.instance == (
            f"projects/privatelink-platform/zones/{node.availability_zone}/instances/{node.name}"
        )
    assert {n.availability_zone for n in nodes.values()} == {
        "europe-west1-b",
        "europe-west1-c",
        "europe-west1-d",
    }


def test_a_pending_endpoint_is_approved_with_its_address_and_becomes_active_at_its_host(
    google_link, fake_google, fake_aws, developer
):
    link = _active(google_link)
    endpoint = fake_google.customer(CUSTOMER).create_endpoint(link.google.service_attachment)

    converge(link.service)
    row = _connection(link)
    assert (row.state, row.endpoint_id, row.owner) == (
        State.PENDING_USER_APPROVAL,
        endpoint.psc_connection_id,
        CUSTOMER,
    )
    assert row.cloud_state == "pending"

    google_actions.approve_connection(
        link, row.privatelink_connection_id, ENDPOINT_ADDRESS, actor=developer
    )
    assert converge(link.service).error == ""

    row.refresh_from_db()
    assert row.state == State.ACTIVE
    assert row.cloud_state == "accepted"
    assert (
        fake_google.customer(CUSTOMER).endpoint("europe-west1", endpoint.name).status == "ACCEPTED"
    )
    [(host, address)] = _a_records(fake_aws)
    assert host.startswith("privatelink-1-")
    assert address == ENDPOINT_ADDRESS
    # Every row's port is mapped, the connection's own ones included.
    rows = Listener.objects.filter(privatelink=link)
    mapped = {m.client_port for m in GoogleGateway().mapped_ports(endpoint_group_name(link.pk))}
    assert mapped == set(rows.values_list("port", flat=True))


def test_the_sweep_finds_a_new_endpoint_pending_user_approval(google_link, fake_google, settings):
    settings.PRIVATELINK_DEEP_CHECK_SWEEPS = 1
    link = _active(google_link)
    assert link.service.pk not in sweep.sweep(turn=1).queued

    fake_google.customer(CUSTOMER).create_endpoint(link.google.service_attachment)

    assert link.service.pk in sweep.sweep(turn=1).queued
    converge(link.service)
    assert _connection(link).state == State.PENDING_USER_APPROVAL


def test_an_unapproved_projects_endpoint_stays_pending_as_google_keeps_it(
    google_link, fake_google, developer
):
    link = _active(google_link)
    mine = fake_google.customer(CUSTOMER).create_endpoint(link.google.service_attachment)
    converge(link.service)
    google_actions.approve_connection(
        link, _connection(link).privatelink_connection_id, ENDPOINT_ADDRESS, actor=developer
    )
    theirs = fake_google.customer(STRANGER).create_endpoint(link.google.service_attachment)

    assert converge(link.service).error == ""

    states = {c.owner: c.state for c in link.connections.all()}
    assert states == {CUSTOMER: State.ACTIVE, STRANGER: State.PENDING_USER_APPROVAL}
    customer = fake_google.customer
    assert customer(STRANGER).endpoint("europe-west1", theirs.name).status == "PENDING"
    assert customer(CUSTOMER).endpoint("europe-west1", mine.name).status == "ACCEPTED"


def test_approving_one_endpoint_leaves_another_of_its_project_pending_until_its_own_approval(
    google_link, fake_google, fake_aws, developer
):
    link = _active(google_link)
    customer = fake_google.customer(CUSTOMER)
    first = customer.create_endpoint(link.google.service_attachment, "first")
    converge(link.service)
    _approve(link, first.psc_connection_id, ENDPOINT_ADDRESS, developer)
    second = customer.create_endpoint(link.google.service_attachment, "second")

    assert converge(link.service).error == ""

    assert _states(link) == {
        first.psc_connection_id: State.ACTIVE,
        second.psc_connection_id: State.PENDING_USER_APPROVAL,
    }
    assert customer.endpoint("europe-west1", "second").status == "PENDING"
    assert [address for _, address in _a_records(fake_aws)] == [ENDPOINT_ADDRESS]

    _approve(link, second.psc_connection_id, "10.9.0.6", developer)
    assert converge(link.service).error == ""

    assert set(_states(link).values()) == {State.ACTIVE}
    assert sorted(address for _, address in _a_records(fake_aws)) == [ENDPOINT_ADDRESS, "10.9.0.6"]


def test_an_attachment_accepting_a_whole_project_is_rewritten_and_its_unapproved_endpoint_waits(
    google_link, fake_google, fake_aws, developer
):
    # As the console left it when an approval listed the endpoint's project: Google had
    # accepted the project's next endpoint too, with no address given for it.
    link = _active(google_link)
    customer = fake_google.customer(CUSTOMER)
    first = customer.create_endpoint(link.google.service_attachment, "first")
    converge(link.service)
    _approve(link, first.psc_connection_id, ENDPOINT_ADDRESS, developer)
    assert converge(link.service).error == ""
    _list_project(link, CUSTOMER)
    second = customer.create_endpoint(link.google.service_attachment, "second")
    assert customer.endpoint("europe-west1", "second").status == "ACCEPTED"

    assert converge(link.service).error == ""

    assert _states(link) == {
        first.psc_connection_id: State.ACTIVE,
        second.psc_connection_id: State.PENDING_USER_APPROVAL,
    }
    found = GoogleGateway().service_attachment(service_attachment_name(link.pk))
    assert found is not None
    assert found.wholesale == frozenset()
    assert found.accepted_endpoints == {
        e.path for e in found.endpoints if e.endpoint.endswith("/first")
    }
    assert AuditEvent.objects.filter(action="privatelink.accept_list_by_endpoint").exists()
    assert [address for _, address in _a_records(fake_aws)] == [ENDPOINT_ADDRESS]


def _approve(link: PrivateLink, endpoint_id: str, address: str, developer) -> None:
    row = link.connections.get(endpoint_id=endpoint_id)
    google_actions.approve_connection(link, row.privatelink_connection_id, address, actor=developer)


def _states(link: PrivateLink) -> dict[str, str]:
    return dict(link.connections.values_list("endpoint_id", "state"))


def _list_project(link: PrivateLink, project: str) -> None:
    """The attachment's accept list by project, as the console wrote it before it accepted
    by endpoint."""
    gateway = GoogleGateway()
    found = gateway.service_attachment(service_attachment_name(link.pk))
    assert found is not None
    body = {
        "fingerprint": found.fingerprint,
        "consumerAcceptLists": [{"projectIdOrNum": project, "connectionLimit": 0}],
        "consumerRejectLists": [],
    }
    gateway._merge_patch(found.path, body)


def test_deleting_the_link_leaves_nothing_of_it_in_google(
    google_link, fake_google, fake_aws, developer
):
    link = _active(google_link)
    endpoint = fake_google.customer(CUSTOMER).create_endpoint(link.google.service_attachment)
    converge(link.service)
    google_actions.approve_connection(
        link, _connection(link).privatelink_connection_id, ENDPOINT_ADDRESS, actor=developer
    )
    converge(link.service)

    link.mark_deleting()
    assert converge(link.service).error == ""

    assert not PrivateLink.objects.filter(pk=link.pk).exists()
    for kind in LINK_KINDS:
        assert _ours(fake_google, kind) == [], kind
    assert [s for s in _ours(fake_google, "compute#subnetwork") if "psc-nat" in s] == []
    assert _a_records(fake_aws) == []
    assert fake_google.customer(CUSTOMER).endpoint("europe-west1", endpoint.name).status == "CLOSED"


def test_a_throttled_call_with_a_short_retry_after_is_retried_within_the_run(
    google_link, fake_google
):
    fake_google.throttle(requests=2, retry_after=1)

    assert _active(google_link).state == PrivateLink.State.ACTIVE
    assert _ours(fake_google, "compute#serviceAttachment") == [
        service_attachment_name(google_link.pk)
    ]


def test_a_throttled_call_with_a_long_retry_after_is_left_to_the_next_run(google_link, fake_google):
    fake_google.throttle(requests=1, retry_after=60)

    with pytest.raises(Retryable) as refused:
        reconcile.reconcile_service(google_link.service.pk)

    assert refused.value.retry_after == 60
    google_link.refresh_from_db()
    assert "Retrying" in google_link.last_error
    # The task's retry: the throttling is over, and the run carries the build out.
    assert _active(google_link).state == PrivateLink.State.ACTIVE


def test_the_sweep_repairs_an_accept_list_changed_behind_the_consoles_back(
    google_link, fake_google, developer, settings
):
    settings.PRIVATELINK_DEEP_CHECK_SWEEPS = 1
    link = _active(google_link)
    _connected(link, fake_google, developer)
    name = service_attachment_name(link.pk)
    GoogleGateway().set_endpoint_lists(name, [], [])

    assert link.service.pk in sweep.sweep(turn=1).drifted
    converge(link.service)

    repaired = GoogleGateway().service_attachment(name)
    assert repaired is not None
    assert repaired.accepted_endpoints == {e.path for e in repaired.endpoints}
    assert AuditEvent.objects.filter(action="privatelink.drift_repaired").exists()
    assert _connection(link).state == State.ACTIVE


def test_the_sweep_repairs_a_port_mapping_detached_behind_the_consoles_back(
    google_link, fake_google, developer, settings
):
    settings.PRIVATELINK_DEEP_CHECK_SWEEPS = 1
    link = _active(google_link)
    _connected(link, fake_google, developer)
    gateway = GoogleGateway()
    group = endpoint_group_name(link.pk)
    first = gateway.mapped_ports(group)[0]
    gateway.detach_ports(group, [first])

    assert link.service.pk in sweep.sweep(turn=1).drifted
    converge(link.service)

    assert first in gateway.mapped_ports(group)


def test_the_leak_scan_removes_the_google_resources_of_a_link_without_a_row(
    google_link, fake_google, settings
):
    settings.PRIVATELINK_ORPHAN_GRACE_SECONDS = 0
    link = _active(google_link)
    PrivateLink.objects.filter(pk=link.pk).delete()

    report = sweep.sweep(turn=0)

    assert report.leak_scan
    assert len(report.removed) == 5  # attachment, rule, service, group, NAT subnet
    for kind in LINK_KINDS:
        assert _ours(fake_google, kind) == [], kind
    # The Project VPC's network belongs to a row that still exists.
    assert _ours(fake_google, "compute#network") == [network_name(link.service.project_vpc_id)]


def test_a_google_quota_refusal_fails_the_link_with_googles_words_and_a_retry_builds_it(
    google_link, fake_google
):
    fake_google.set_quotas(service_attachments=0)

    outcome = converge(google_link.service)

    assert "Quota 'SERVICE_ATTACHMENTS' exceeded" in outcome.error
    google_link.refresh_from_db()
    assert google_link.state == PrivateLink.State.CREATING
    assert google_link.failed_generation == google_link.generation
    # The quota recorded was out of date: the engine read Google's again.
    account = placement.account_for(google_link.service.project_vpc)
    assert account.service_attachment_quota == 0
    # Raised: the next generation (the user's retry) builds it, nothing made twice.
    fake_google.reset()
    google_link.save_desired("principals")
    assert _active(google_link).state == PrivateLink.State.ACTIVE
    assert _ours(fake_google, "compute#forwardingRule") == [forwarding_rule_name(google_link.pk)]


def test_a_resource_by_the_links_name_that_is_not_ours_is_left_alone(google_link, fake_google):
    """A forwarding rule of the link's name, not marked as this console's: refused, kept."""
    theirs = "someone/else"
    gateway = GoogleGateway()
    network = gateway.create_network("someone-elses", theirs)
    subnet = gateway.create_subnet("theirs", network, "10.50.0.0/24", theirs)
    check = gateway.create_health_check("their-hc", 80, theirs)
    service = gateway.create_backend_service("their-bes", check, ["x"], theirs)
    name = forwarding_rule_name(google_link.pk)
    gateway.create_forwarding_rule(name, service, subnet, [80], theirs)

    outcome = converge(google_link.service)

    assert "is not marked as" in outcome.error
    rule = gateway.forwarding_rule(name)
    assert rule is not None
    assert rule.owned_by(theirs)
    assert _ours(fake_google, "compute#serviceAttachment") == []


# Kafka's plans: business-4 runs 3 brokers, premium-6 runs 6.
BIGGER_PLAN = "premium-6"


def _mapped_instances(link: PrivateLink) -> dict[int, str]:
    ports = GoogleGateway().mapped_ports(endpoint_group_name(link.pk))
    return {p.client_port: p.instance.rsplit("/", 1)[-1] for p in ports}


def test_a_plan_with_more_brokers_maps_a_port_to_each_new_one(google_link, fake_google, developer):
    link = _active(google_link)
    _connected(link, fake_google, developer)
    service = link.service

    console_actions.change_plan(service, BIGGER_PLAN, actor=developer)
    assert converge(service).error == ""

    mapped = _mapped_instances(link)
    rows = Listener.objects.filter(privatelink=link, component="kafka")
    assert sorted(mapped) == sorted(
        Listener.objects.filter(privatelink=link).values_list("port", flat=True)
    )
    assert {mapped[row.port] for row in rows} == set(service.nodes.values_list("name", flat=True))
    assert service.nodes.count() == 6


def test_a_node_replaced_under_its_name_keeps_its_ports(google_link, fake_google, developer):
    link = _active(google_link)
    _connected(link, fake_google, developer)
    before = _mapped_instances(link)
    node = link.service.nodes.order_by("name").first()
    old_ip = node.private_ip

    console_actions.replace_node(node, actor=developer)
    assert converge(link.service).error == ""

    node.refresh_from_db()
    assert node.private_ip != old_ip
    # Google maps ports to the instance by name and zone, which a replacement keeps.
    assert _mapped_instances(link) == before


def test_terminating_the_service_leaves_nothing_of_its_link_in_google(
    google_link, fake_google, developer, django_capture_on_commit_callbacks
):
    link = _active(google_link)
    _connected(link, fake_google, developer)
    service = link.service

    with django_capture_on_commit_callbacks(execute=True):
        console_actions.terminate_service(service, actor=developer)
    converge(service)

    assert not Service.objects.filter(pk=service.pk).exists()
    assert not PrivateLink.objects.filter(pk=link.pk).exists()
    for kind in LINK_KINDS:
        assert _ours(fake_google, kind) == [], kind
