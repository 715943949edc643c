"""The PrivateLink page of a service running in Google Cloud: creating the link with one
button (Private Service Connect takes no allow-list then), the service attachment once
connectable, and a waiting PSC endpoint approved with its IP address, which accepts its
project; with the same access rules, polling and answers as the AWS and Azure pages."""

import re

import pytest
from django.test import Client

from console.models import AuditEvent
from privatelink.models import (
    GooglePrivateLink,
    PlatformAccount,
    PrivateLink,
    PrivateLinkConnection,
)
from tests.constants import HTMX
from tests.factories import ConnectionFactory, PrivateLinkFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("queued")]

PAGE = "/projects/demo/services/my-kafka-gcp/privatelink/"
ATTACHMENT = "projects/platform-psc/regions/europe-west1/serviceAttachments/my-kafka-gcp"
CUSTOMER = "customer-project-1"
State = PrivateLinkConnection.State


def _google_link(service, status=GooglePrivateLink.READY, **kwargs) -> PrivateLink:
    link = PrivateLinkFactory(service=service, principals=[], provisioned=False, **kwargs)
    GooglePrivateLink.objects.create(
        privatelink=link,
        service_attachment=ATTACHMENT if status == GooglePrivateLink.READY else "",
        status=status,
    )
    return link


def _connection(link, number=1, state=State.PENDING_USER_APPROVAL, **kwargs):
    return ConnectionFactory(
        privatelink=link,
        number=number,
        state=state,
        endpoint_id=f"4000000000000{number}",
        owner=CUSTOMER,
        dns_name="",
        **kwargs,
    )


@pytest.fixture
def link(google_service):
    return _google_link(google_service)


def _approve(client, connection, address, **extra):
    url = PAGE + f"connections/{connection.privatelink_connection_id}/approve"
    return client.post(url, {"address": address}, **extra)


# Creating


def test_a_writer_sees_one_create_button_with_the_price_and_no_list(
    developer_client, google_service
):
    html = developer_client.get(PAGE).content.decode()
    assert 'id="create-privatelink"' in html
    assert "USD 0.0700 per hour" in html
    assert "Private Service Connect" in html
    for other_cloud in ('name="principals"', 'name="subscriptions"', "IAM", "Azure"):
        assert other_cloud not in html


def test_the_create_button_warns_when_the_service_is_not_in_a_project_vpc(
    developer_client, google_service
):
    google_service.project_vpc = None
    google_service.save()
    html = developer_client.get(PAGE).content.decode()
    assert "does not run in a Project VPC; a PrivateLink needs one" in html


def test_creating_makes_a_google_link_accepting_no_project_and_redirects(
    developer_client, google_service, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = developer_client.post(PAGE + "create", **HTMX)
    assert response["HX-Redirect"] == PAGE
    link = PrivateLink.objects.get(service=google_service)
    assert (link.state, link.principals) == (PrivateLink.State.CREATING, [])
    assert link.google.service_attachment == ""
    assert ("service", google_service.pk) in queued
    event = AuditEvent.objects.get(service=google_service, action="privatelink.create")
    assert event.after["accepted_projects"] == []


def test_creating_twice_is_refused_in_words(developer_client, link):
    response = developer_client.post(PAGE + "create", **HTMX)
    assert response.status_code == 409
    assert "already has a PrivateLink" in response.content.decode()
    assert PrivateLink.objects.filter(service=link.service).count() == 1


def test_creating_without_a_project_vpc_is_refused_and_said(developer_client, google_service):
    google_service.project_vpc = None
    google_service.save()
    response = developer_client.post(PAGE + "create", **HTMX)
    assert response.status_code >= 400
    assert 'data-testid="create-error"' in response.content.decode()
    assert not PrivateLink.objects.exists()


def test_creating_beyond_the_regions_service_attachments_is_refused_and_said(
    developer_client, google_service
):
    PlatformAccount.objects.create(region="europe-west1", role_arn="", service_attachment_quota=0)

    response = developer_client.post(PAGE + "create", **HTMX)

    assert response.status_code == 409
    html = response.content.decode()
    assert 'data-testid="create-error"' in html
    assert "quota of service attachments (SERVICE_ATTACHMENTS) in europe-west1" in html
    assert "Contact platform support: they can ask Google to raise the quota." in html
    assert not PrivateLink.objects.exists()


# The state and what to do next


def test_while_creating_the_page_says_what_is_being_built(developer_client, google_service):
    _google_link(google_service, status="", state=PrivateLink.State.CREATING)
    html = developer_client.get(PAGE).content.decode()
    assert "The service attachment, its forwarding rule and its PSC NAT subnet are being" in html
    assert "Creating" in html
    assert "serviceAttachments/" not in html
    assert 'id="privatelink-connections"' in html
    assert "Connections can be made once the PrivateLink is active." in html


def test_when_active_the_service_attachment_is_copyable_with_the_next_steps(developer_client, link):
    html = developer_client.get(PAGE).content.decode()
    assert f'<code data-testid="google-service-attachment">{ATTACHMENT}</code>' in html
    assert f'data-copy="{ATTACHMENT}"' in html
    assert 'id="copy-google-service-attachment"' in html
    assert "Private Service Connect endpoint in europe-west1" in html
    assert "None yet: each endpoint is approved on its own." in html
    assert "No connection yet. Create a PSC endpoint" in html
    assert 'id="refresh-connections"' in html


def test_the_accepted_projects_are_listed(developer_client, link):
    link.principals = [CUSTOMER]
    link.save()
    html = developer_client.get(PAGE).content.decode()
    accepted = html.split('data-testid="accepted-projects">')[1].split("</dd>")[0]
    assert f"<code>{CUSTOMER}</code>" in accepted


def test_while_deleting_the_page_says_so_in_google_words(developer_client, google_service):
    _google_link(google_service, state=PrivateLink.State.DELETING)
    html = developer_client.get(PAGE).content.decode()
    assert "are removed from the platform's Google Cloud project" in html
    assert 'id="privatelink-connections"' not in html
    assert "Delete PrivateLink…" not in html


# Connections


def test_connections_show_ids_project_state_next_step_and_address(developer_client, link):
    pending = _connection(link, 1)
    _connection(link, 2, state=State.USER_APPROVED, user_ip_address="10.9.0.6")
    _connection(link, 3, state=State.ACTIVE, user_ip_address="10.9.0.7")
    html = developer_client.get(PAGE + "connections", **HTMX).content.decode()
    pid = pending.privatelink_connection_id
    assert pid in html
    assert "PSC connection <code>40000000000001</code>" in html
    assert f"project {CUSTOMER}" in html
    assert "Give the endpoint&#x27;s IP address to approve it" in html
    assert "Approved: Google accepts the endpoint within a minute." in html
    assert "Active." in html
    assert f'id="address-{pid}"' in html
    assert f'id="approve-{pid}"' in html
    assert html.count('name="address"') == 1  # only the waiting one takes an address
    assert "<code>10.9.0.6</code>" in html
    assert "privatelink-3-" in html  # the active connection's host


def test_approving_with_the_address_accepts_the_endpoint_and_records_its_project(
    developer_client, link
):
    pending = _connection(link, 1)
    response = _approve(developer_client, pending, " 10.9.0.5 ", **HTMX)
    assert response.status_code == 200
    pending.refresh_from_db()
    link.refresh_from_db()
    assert (pending.state, pending.user_ip_address) == (State.USER_APPROVED, "10.9.0.5")
    assert link.principals == [CUSTOMER]
    pid = pending.privatelink_connection_id
    assert (
        f"Approved {pid} at 10.9.0.5: Google accepts this endpoint alone" in response["HX-Trigger"]
    )
    html = response.content.decode()
    assert f'id="address-{pid}"' not in html
    assert "<code>10.9.0.5</code>" in html
    event = AuditEvent.objects.get(action="privatelink.connection_approved")
    assert event.after["accepted_projects"] == [CUSTOMER]


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("10.9.0", "is not an IPv4 address"),
        ("8.8.8.8", "8.8.8.8 is not a private address"),
        ("", "This field is required."),
    ],
)
def test_a_bad_or_public_address_is_refused_at_the_field(developer_client, link, typed, said):
    pending = _connection(link, 1)
    cid = pending.privatelink_connection_id
    response = _approve(developer_client, pending, typed, **HTMX)
    assert response.status_code == 400
    html = response.content.decode()
    field = html.split(f'id="address-{cid}"')[1].split(">")[0]
    assert 'aria-invalid="true"' in field
    assert f'aria-describedby="address-error-{cid}"' in field
    assert f'value="{typed}"' in field
    assert f'<p class="error" id="address-error-{cid}" role="alert">' in html
    assert said in html
    pending.refresh_from_db()
    link.refresh_from_db()
    assert (pending.state, pending.user_ip_address, link.principals) == (
        State.PENDING_USER_APPROVAL,
        None,
        [],
    )
    assert not AuditEvent.objects.exists()


def test_an_address_another_endpoint_has_is_refused_at_the_field(developer_client, link):
    _connection(link, 1, state=State.ACTIVE, user_ip_address="10.9.0.5")
    second = _connection(link, 2)
    cid = second.privatelink_connection_id
    response = _approve(developer_client, second, "10.9.0.5", **HTMX)
    assert response.status_code == 409
    assert f'id="address-error-{cid}"' in response.content.decode()


def test_approving_an_unknown_connection_says_so(developer_client, link):
    response = developer_client.post(
        PAGE + "connections/plc-nope/approve", {"address": "10.9.0.5"}, **HTMX
    )
    assert response.status_code == 404
    assert "plc-nope" in response.content.decode()


def test_without_htmx_an_approval_redirects_and_a_refusal_shows_the_page(developer_client, link):
    pending = _connection(link, 1)
    refused = _approve(developer_client, pending, "8.8.8.8")
    assert refused.status_code == 400
    assert "<html" in refused.content.decode()
    assert "8.8.8.8 is not a private address" in refused.content.decode()
    done = _approve(developer_client, pending, "10.9.0.5")
    assert (done.status_code, done["Location"]) == (302, PAGE)


def test_refresh_looks_at_google_again(
    developer_client, link, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = developer_client.post(PAGE + "connections/refresh", **HTMX)
    assert response.status_code == 200
    assert "Looking at Google Cloud again for connections." in response["HX-Trigger"]
    assert "Looking at Google Cloud again…" in response.content.decode()
    assert ("service", link.service.pk) in queued


def test_the_set_address_view_of_azure_leaves_a_google_link_alone(developer_client, link):
    pending = _connection(link, 1)
    url = PAGE + f"connections/{pending.privatelink_connection_id}/address"
    assert developer_client.post(url, {"address": "10.9.0.5"}).status_code == 302
    pending.refresh_from_db()
    assert pending.user_ip_address is None


def test_the_principal_editor_leaves_a_google_link_alone(developer_client, link):
    response = developer_client.post(
        PAGE + "principals/add",
        {"principal": "arn:aws:iam::123456789012:root", "digest": link.principals_digest},
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.principals == []


# Delete


def test_the_delete_confirmation_speaks_of_the_service_attachment(developer_client, link):
    _connection(link, 1, state=State.ACTIVE, user_ip_address="10.9.0.5")
    html = developer_client.get(PAGE + "delete").content.decode()
    assert f"the service attachment <code>{ATTACHMENT}</code>, its forwarding rule" in html
    assert f"(project {CUSTOMER})" in html
    assert "endpoint service" not in html


def test_deleting_after_typing_the_name(developer_client, link):
    page = developer_client.get(PAGE).content.decode()
    assert f'href="{PAGE}delete"' in page
    response = developer_client.post(PAGE + "delete", {"confirm": "my-kafka-gcp"})
    assert (response.status_code, response["Location"]) == (302, PAGE)
    link.refresh_from_db()
    assert link.state == PrivateLink.State.DELETING
    assert AuditEvent.objects.filter(action="privatelink.delete").count() == 1


def test_deleting_with_the_wrong_name_is_refused(developer_client, link):
    response = developer_client.post(PAGE + "delete", {"confirm": "my-kafka"})
    assert response.status_code == 400
    link.refresh_from_db()
    assert link.state == PrivateLink.State.ACTIVE


# Access


def test_a_read_only_member_sees_and_cannot_change(read_only_client, link):
    _connection(link, 1)
    html = read_only_client.get(PAGE).content.decode()
    assert ATTACHMENT in html
    assert "Pending approval" in html
    for control in (">Approve<", 'name="address"', ">Refresh<", "Delete PrivateLink"):
        assert control not in html


def test_a_read_only_member_gets_403_on_every_post(read_only_client, link):
    pending = _connection(link, 1)
    cid = pending.privatelink_connection_id
    for url in ("create", f"connections/{cid}/approve", "connections/refresh", "delete"):
        response = read_only_client.post(PAGE + url, {"address": "10.9.0.5"}, **HTMX)
        assert response.status_code == 403, url
    pending.refresh_from_db()
    assert pending.state == State.PENDING_USER_APPROVAL
    assert not AuditEvent.objects.exists()


def test_a_read_only_member_sees_no_create_button(read_only_client, google_service):
    html = read_only_client.get(PAGE).content.decode()
    assert "No PrivateLink" in html
    assert 'id="create-privatelink"' not in html


def test_an_outsider_gets_404_everywhere(outsider_client, link):
    pending = _connection(link, 1)
    cid = pending.privatelink_connection_id
    for url in ("", "summary", "connections", "delete"):
        assert outsider_client.get(PAGE + url).status_code == 404, url
    for url in ("create", f"connections/{cid}/approve", "connections/refresh", "delete"):
        assert outsider_client.post(PAGE + url, {"address": "10.9.0.5"}).status_code == 404
    pending.refresh_from_db()
    assert pending.state == State.PENDING_USER_APPROVAL


def test_csrf_is_checked_on_the_approval(developer, link):
    pending = _connection(link, 1)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(developer)
    assert _approve(strict, pending, "10.9.0.5").status_code == 403
    pending.refresh_from_db()
    assert pending.state == State.PENDING_USER_APPROVAL


def test_the_page_has_no_inline_script_style_or_handler(developer_client, link):
    _connection(link, 1)
    response = developer_client.get(PAGE)
    html = response.content.decode()
    assert "script-src 'self' 'nonce-" in response["Content-Security-Policy"]
    assert re.search(r"<script(?![^>]*\bsrc=)", html) is None
    assert "<style" not in html
    assert re.search(r"\sstyle=", html) is None
    assert re.search(r"\son[a-z]+=", html) is None


# Polled fragments


@pytest.mark.parametrize("fragment", ["summary", "connections"])
def test_the_polled_fragments_answer_and_then_304_when_unchanged(developer_client, link, fragment):
    _connection(link, 1)
    developer_client.get(PAGE)  # the page first: it hands out the CSRF cookie the ETag covers
    first = developer_client.get(PAGE + fragment, **HTMX)
    assert first.status_code == 200
    expected = {"summary": ATTACHMENT, "connections": "Give the endpoint&#x27;s IP address"}
    assert expected[fragment] in first.content.decode()
    again = developer_client.get(PAGE + fragment, HTTP_IF_NONE_MATCH=first["ETag"], **HTMX)
    assert again.status_code == 304


def test_the_polled_connections_show_an_approval_made_elsewhere(developer_client, link):
    pending = _connection(link, 1)
    developer_client.get(PAGE)
    first = developer_client.get(PAGE + "connections", **HTMX)
    _approve(developer_client, pending, "10.9.0.5", **HTMX)
    again = developer_client.get(PAGE + "connections", HTTP_IF_NONE_MATCH=first["ETag"], **HTMX)
    assert again.status_code == 200
    assert "<code>10.9.0.5</code>" in again.content.decode()


def test_the_polled_summary_shows_the_attachment_once_google_has_built_it(
    developer_client, google_service
):
    link = _google_link(google_service, status="", state=PrivateLink.State.CREATING)
    developer_client.get(PAGE)
    summary = PAGE + f"summary?shape={link.pk}-live"
    first = developer_client.get(summary, **HTMX)
    assert "are being created" in first.content.decode()
    link.state = PrivateLink.State.ACTIVE
    link.save()
    GooglePrivateLink.objects.filter(privatelink=link).update(
        service_attachment=ATTACHMENT, status=GooglePrivateLink.READY
    )
    again = developer_client.get(summary, HTTP_IF_NONE_MATCH=first["ETag"], **HTMX)
    assert again.status_code == 200
    html = again.content.decode()
    assert f'<code data-testid="google-service-attachment">{ATTACHMENT}</code>' in html
    assert ">Active<" in html


def test_the_summary_asks_for_the_page_afresh_once_a_link_appears(developer_client, google_service):
    developer_client.get(PAGE)
    _google_link(google_service)
    response = developer_client.get(PAGE + "summary?shape=none", **HTMX)
    assert response["HX-Redirect"] == PAGE


def test_the_principals_poll_has_nothing_to_draw_for_google(developer_client, link):
    assert developer_client.get(PAGE + "principals", **HTMX).status_code == 204


# Query budgets, as tests/pages/test_query_budgets.py sets them


@pytest.mark.parametrize("n", [1, 8])
def test_the_page_and_fragments_stay_within_their_query_budgets(
    developer_client, link, n, django_assert_max_num_queries
):
    for number in range(1, n + 1):
        _connection(link, number, state=State.ACTIVE, user_ip_address=f"10.9.0.{number + 10}")
    with django_assert_max_num_queries(10):
        assert developer_client.get(PAGE).status_code == 200
    for fragment in ("summary", "connections"):
        with django_assert_max_num_queries(5):
            assert developer_client.get(PAGE + fragment, **HTMX).status_code == 200
