"""The Google Private Service Connect endpoints of /v1/, as the platform has them: the link
(created with an empty body), and its connections' approval with the PSC endpoint's
address, which records the endpoint's project (the engine then accepts that endpoint
alone in Google: tests/api/test_google_end_to_end.py).

What the engine does in Google is simulated by writing the rows as its driver would: the
attachment once built, a customer's endpoint once found, Google's acceptance."""

import pytest

from console.models import AuditEvent, Project, Service
from privatelink import placement
from privatelink.models import (
    GooglePrivateLink,
    PlatformAccount,
    PrivateLink,
    PrivateLinkConnection,
)
from tests.api.test_api import error_of
from tests.factories import ConnectionFactory, ProjectVPCFactory, ServiceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("queued")]

SERVICE = "/v1/project/demo/service/my-kafka-gcp"
GOOGLE = f"{SERVICE}/privatelink/google"
ATTACHMENT = "projects/platform-psc/regions/europe-west1/serviceAttachments/pl-my-kafka-gcp"
State = PrivateLinkConnection.State


@pytest.fixture
def google_link(api, google_service):
    api.post(GOOGLE, {})
    return PrivateLink.objects.get(service=google_service)


def _built(link: PrivateLink) -> None:
    """The driver's part: the attachment, its rule and NAT subnet exist; the link is active."""
    link.google.save_changes(
        service_attachment=ATTACHMENT,
        forwarding_rule="projects/platform-psc/regions/europe-west1/forwardingRules/fr-1",
        nat_subnet="projects/platform-psc/regions/europe-west1/subnetworks/psc-nat-1",
        status=GooglePrivateLink.READY,
    )
    PrivateLink.objects.filter(pk=link.pk).update(state=PrivateLink.State.ACTIVE)


def _endpoint(link: PrivateLink, number: int, project: str = "customer-project"):
    """The driver's part: a customer's PSC endpoint found on the attachment, waiting."""
    return ConnectionFactory(
        privatelink=link,
        number=number,
        state=State.PENDING_USER_APPROVAL,
        endpoint_id=f"7200000000000{number:04d}",
        owner=project,
        dns_name="",
    )


def test_create_takes_an_empty_body_answers_creating_and_queues_the_build(
    api, google_service, developer, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post(GOOGLE, {})
    assert answer.status_code == 200
    assert answer.json() == {"google_service_attachment": None, "state": "creating"}
    link = PrivateLink.objects.get(service=google_service)
    assert (link.state, link.principals, link.google.service_attachment) == ("creating", [], "")
    assert ("service", google_service.pk) in queued
    event = AuditEvent.objects.get(action="privatelink.create")
    assert (event.actor, event.after) == (developer, {"accepted_projects": []})


def test_the_attachment_is_shown_once_built_and_while_deleting(api, google_link):
    assert api.get(GOOGLE).json()["google_service_attachment"] is None
    _built(google_link)
    assert api.get(GOOGLE).json() == {"google_service_attachment": ATTACHMENT, "state": "active"}
    deleted = api.delete(GOOGLE).json()
    assert deleted == {"google_service_attachment": ATTACHMENT, "state": "deleting"}
    assert PrivateLink.objects.get(pk=google_link.pk).state == PrivateLink.State.DELETING
    assert AuditEvent.objects.filter(action="privatelink.delete").count() == 1


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b'{"principals": ["*"]}', "principals is not supported"),
        (b'{"user_subscription_ids": []}', "created with an empty body ({})"),
        (b"[]", "JSON object"),
        (b"{", "not valid JSON"),
    ],
)
def test_a_create_body_with_settings_gets_400_saying_what_to_send(api, google_service, raw, words):
    status, message, _ = error_of(api.post(GOOGLE, raw=raw))
    assert status == 400
    assert words in message
    assert not PrivateLink.objects.filter(service=google_service).exists()


def test_each_cloud_has_its_own_privatelink_endpoint(api, service, google_service):
    status, message, _ = error_of(api.post("/v1/project/demo/service/my-kafka/privatelink/google"))
    assert status == 400
    assert "avn service privatelink aws create" in message
    subscriptions = {"user_subscription_ids": ["00000000-0000-0000-0000-000000000001"]}
    status, message, _ = error_of(api.post(f"{SERVICE}/privatelink/azure", subscriptions))
    assert status == 400
    assert "a Google Cloud cloud" in message
    assert "avn service privatelink google create" in message
    assert not PrivateLink.objects.exists()


def test_a_google_link_is_found_only_through_the_google_path(api, google_link):
    assert "has no Azure PrivateLink" in error_of(api.get(f"{SERVICE}/privatelink/azure"))[1]
    assert "has no AWS PrivateLink" in error_of(api.get(f"{SERVICE}/privatelink/aws"))[1]
    assert error_of(api.delete(f"{SERVICE}/privatelink/aws"))[0] == 404
    assert PrivateLink.objects.get(pk=google_link.pk).state == PrivateLink.State.CREATING


def test_a_service_without_a_link_gets_404_naming_it(api, google_service):
    status, message, _ = error_of(api.get(GOOGLE))
    assert (status, message) == (404, "Service my-kafka-gcp has no Google PrivateLink.")


def test_a_service_outside_a_project_vpc_or_a_second_link_is_refused(api, google_link, project):
    loose = ServiceFactory(project=project, name="loose-gcp", cloud="google-europe-west1")
    Service.objects.filter(pk=loose.pk).update(project_vpc=None)
    status, message, _ = error_of(api.post("/v1/project/demo/service/loose-gcp/privatelink/google"))
    assert status == 400
    assert "does not run in a Project VPC" in message
    status, message, _ = error_of(api.post(GOOGLE, {}))
    assert (status, message) == (409, "my-kafka-gcp already has a PrivateLink.")
    assert PrivateLink.objects.count() == 1


def test_the_projects_limit_per_region_holds_for_google_too(api, google_service, project):
    Project.objects.filter(pk=project.pk).update(privatelink_limit=1)
    vpc = google_service.project_vpc
    ServiceFactory(project=project, name="other-gcp", cloud=vpc.cloud, project_vpc=vpc)
    api.post("/v1/project/demo/service/other-gcp/privatelink/google", {})
    status, message, _ = error_of(api.post(GOOGLE, {}))
    assert status == 409
    assert "has 1 of its 1 PrivateLinks in google-europe-west1" in message
    assert not PrivateLink.objects.filter(service=google_service).exists()


def test_a_create_the_platform_projects_region_cannot_hold_gets_409_naming_the_quota(
    api, google_service, project
):
    vpc = google_service.project_vpc
    PlatformAccount.objects.create(region="europe-west1", role_arn="", service_attachment_quota=1)
    other = ServiceFactory(project=project, name="other-gcp", cloud=vpc.cloud, project_vpc=vpc)
    api.post("/v1/project/demo/service/other-gcp/privatelink/google", {})
    assert placement.account_for(vpc).service_attachment_quota == 1
    events = AuditEvent.objects.count()

    status, message, _ = error_of(api.post(GOOGLE, {}))

    assert status == 409
    assert "quota of service attachments (SERVICE_ATTACHMENTS) in europe-west1" in message
    assert "nothing was saved. Contact platform support" in message
    assert not PrivateLink.objects.filter(service=google_service).exists()
    assert PrivateLink.objects.filter(service=other).exists()
    assert AuditEvent.objects.count() == events


def test_refresh_asks_for_a_reconcile(api, google_link, queued, django_capture_on_commit_callbacks):
    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post(f"{GOOGLE}/refresh")
    assert answer.json() == {"message": "refreshed"}
    assert queued == [("service", google_link.service_id)]


def test_connections_list_the_platforms_states_with_psc_ids_and_addresses(api, google_link):
    _built(google_link)
    waiting = _endpoint(google_link, 1)
    in_use = _endpoint(google_link, 2)
    in_use.save_changes(state=State.ACTIVE, user_ip_address="10.3.0.7")
    _endpoint(google_link, 3).save_changes(state=State.REJECTED)
    listed = api.get(f"{GOOGLE}/connections").json()["connections"]
    assert listed == [
        {
            "privatelink_connection_id": waiting.privatelink_connection_id,
            "psc_connection_id": "72000000000000001",
            "state": "pending-user-approval",
            "user_ip_address": "",
        },
        {
            "privatelink_connection_id": in_use.privatelink_connection_id,
            "psc_connection_id": "72000000000000002",
            "state": "active",
            "user_ip_address": "10.3.0.7",
        },
    ]


def test_approval_records_the_endpoints_project_and_its_address_until_active(
    api, google_link, developer, queued, django_capture_on_commit_callbacks
):
    _built(google_link)
    waiting = _endpoint(google_link, 1, project="Customer-Project")
    generation = PrivateLink.objects.get(pk=google_link.pk).generation
    path = f"{GOOGLE}/connections/{waiting.privatelink_connection_id}/approve"
    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post(path, {"user_ip_address": " 10.3.0.5 "})
    assert answer.json() == {
        "privatelink_connection_id": waiting.privatelink_connection_id,
        "psc_connection_id": "72000000000000001",
        "state": "user-approved",
        "user_ip_address": "10.3.0.5",
    }
    link = PrivateLink.objects.get(pk=google_link.pk)
    assert (link.principals, link.generation) == (["customer-project"], generation + 1)
    assert queued == [("service", link.service_id)]
    event = AuditEvent.objects.get(action="privatelink.connection_approved")
    assert event.actor == developer
    assert event.before == {"state": "pending-user-approval", "accepted_projects": []}
    assert event.after["accepted_projects"] == ["customer-project"]
    assert event.after["user_ip_address"] == "10.3.0.5"

    # The driver's part: Google accepts the endpoint, then its host is published.
    waiting.refresh_from_db()
    waiting.follow(State.CONNECTED)
    assert api.get(f"{GOOGLE}/connections").json()["connections"][0]["state"] == "connected"
    waiting.mark_published()
    shown = api.get(f"{GOOGLE}/connections").json()["connections"][0]
    assert (shown["state"], shown["user_ip_address"]) == ("active", "10.3.0.5")


def test_a_second_endpoint_of_a_recorded_project_leaves_the_list_as_it_is(api, google_link):
    _built(google_link)
    first, second = _endpoint(google_link, 1), _endpoint(google_link, 2)
    for connection, address in ((first, "10.3.0.5"), (second, "10.3.0.6")):
        path = f"{GOOGLE}/connections/{connection.privatelink_connection_id}/approve"
        assert api.post(path, {"user_ip_address": address}).json()["state"] == "user-approved"
    assert PrivateLink.objects.get(pk=google_link.pk).principals == ["customer-project"]


def test_an_approved_connection_is_not_approved_again(api, google_link):
    _built(google_link)
    connection = _endpoint(google_link, 1)
    path = f"{GOOGLE}/connections/{connection.privatelink_connection_id}/approve"
    api.post(path, {"user_ip_address": "10.3.0.5"})
    status, message, _ = error_of(api.post(path, {"user_ip_address": "10.3.0.9"}))
    assert status == 409
    assert "is already user-approved with address 10.3.0.5" in message
    assert "create a new PSC endpoint" in message
    connection.refresh_from_db()
    assert connection.user_ip_address == "10.3.0.5"
    assert AuditEvent.objects.filter(action="privatelink.connection_approved").count() == 1


def test_approval_waits_for_the_link_to_be_built(api, google_link):
    connection = _endpoint(google_link, 1)
    path = f"{GOOGLE}/connections/{connection.privatelink_connection_id}/approve"
    status, message, _ = error_of(api.post(path, {"user_ip_address": "10.3.0.5"}))
    assert status == 409
    assert "still being created" in message
    connection.refresh_from_db()
    assert connection.state == State.PENDING_USER_APPROVAL


def test_an_endpoint_whose_project_is_unknown_is_not_approved(api, google_link):
    _built(google_link)
    connection = _endpoint(google_link, 1, project="")
    path = f"{GOOGLE}/connections/{connection.privatelink_connection_id}/approve"
    status, message, _ = error_of(api.post(path, {"user_ip_address": "10.3.0.5"}))
    assert status == 409
    assert "avn service privatelink google refresh" in message
    assert PrivateLink.objects.get(pk=google_link.pk).principals == []


def test_an_unknown_or_ended_connection_is_404(api, google_link):
    _built(google_link)
    rejected = _endpoint(google_link, 1)
    rejected.save_changes(state=State.REJECTED)
    for connection_id in ("plc-nothing", rejected.privatelink_connection_id):
        path = f"{GOOGLE}/connections/{connection_id}/approve"
        status, message, _ = error_of(api.post(path, {"user_ip_address": "10.3.0.5"}))
        assert status == 404
        assert "`avn service privatelink google connection list`" in message


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({}, "Give the PSC endpoint's IP address, for example --user-ip-address 10.1.0.5"),
        ({"user_ip_address": 5}, "must be an IPv4 address string"),
        ({"user_ip_address": "10.3.0"}, "is not an IPv4 address"),
        ({"user_ip_address": "fd00::5"}, "is not an IPv4 address"),
        ({"user_ip_address": "8.8.8.8"}, "8.8.8.8 is not a private address"),
        ({"user_ip_address": "169.254.169.254"}, "is not a private address"),
        ({"user_ip_address": "10.3.0.5", "state": "active"}, "state is not supported"),
    ],
)
def test_a_bad_address_gets_400_and_approves_nothing(api, google_link, body, words):
    _built(google_link)
    connection = _endpoint(google_link, 1)
    path = f"{GOOGLE}/connections/{connection.privatelink_connection_id}/approve"
    status, message, _ = error_of(api.post(path, body))
    assert status == 400
    assert words in message
    connection.refresh_from_db()
    assert (connection.state, connection.user_ip_address) == (State.PENDING_USER_APPROVAL, None)
    assert PrivateLink.objects.get(pk=google_link.pk).principals == []


def test_two_endpoints_cannot_share_an_address(api, google_link):
    _built(google_link)
    first, second = _endpoint(google_link, 1), _endpoint(google_link, 2)
    api.post(
        f"{GOOGLE}/connections/{first.privatelink_connection_id}/approve",
        {"user_ip_address": "10.3.0.5"},
    )
    status, message, error = error_of(
        api.post(
            f"{GOOGLE}/connections/{second.privatelink_connection_id}/approve",
            {"user_ip_address": "10.3.0.5"},
        )
    )
    assert (status, error["field"]) == (409, "user_ip_address")
    assert first.privatelink_connection_id in message
    second.refresh_from_db()
    assert (second.state, second.user_ip_address) == (State.PENDING_USER_APPROVAL, None)


def test_outsiders_get_404_and_read_only_members_403(
    api, google_link, outsider_token, read_only_token
):
    _built(google_link)
    waiting = _endpoint(google_link, 1)
    approve = f"{GOOGLE}/connections/{waiting.privatelink_connection_id}/approve"
    outsider, viewer = api.as_token(outsider_token), api.as_token(read_only_token)
    for path in (GOOGLE, f"{GOOGLE}/connections"):
        assert error_of(outsider.get(path))[0] == 404
        assert viewer.get(path).status_code == 200
    writes = [
        ("POST", GOOGLE, {}),
        ("DELETE", GOOGLE, None),
        ("POST", f"{GOOGLE}/refresh", None),
        ("POST", approve, {"user_ip_address": "10.3.0.5"}),
    ]
    for method, path, body in writes:
        for client, status in ((outsider, 404), (viewer, 403)):
            assert error_of(client.send(method, path, body))[0] == status, (method, path)
    waiting.refresh_from_db()
    google_link.refresh_from_db()
    assert (waiting.state, google_link.principals, google_link.state) == (
        State.PENDING_USER_APPROVAL,
        [],
        PrivateLink.State.ACTIVE,
    )


def test_a_google_project_vpc_elsewhere_in_the_project_does_not_lend_its_link(
    api, google_link, project
):
    """Another Google service of the project has no link of its own through this one's."""
    vpc = ProjectVPCFactory(project=project, cloud="google-us-east1", cidr="10.4.0.0/16")
    ServiceFactory(project=project, name="east-gcp", cloud=vpc.cloud, project_vpc=vpc)
    answer = api.get("/v1/project/demo/service/east-gcp/privatelink/google")
    assert error_of(answer)[:2] == (404, "Service east-gcp has no Google PrivateLink.")
