"""Answers kept under the change tokens (console.freshness): the Overview page and the polled
fragments come back from the cache without a query when nothing they show changed, and a
kept answer never crosses users, roles or CSRF secrets, never survives a change, and never
outlives a membership.
"""

import re

import pytest

from console.models import Membership, ServiceNode, ServiceUser
from tests.constants import HTMX
from tests.factories import MembershipFactory, PrivateLinkFactory, UserFactory

SERVICE = "/projects/demo/services/my-kafka/"
STATUS = SERVICE + "privatelink/summary"
CONNECTIONS = SERVICE + "privatelink/connections"


@pytest.fixture
def link(service):
    return PrivateLinkFactory(service=service, state="active")


def _open(client, url=SERVICE, **headers):
    """What a browser does: the first answer sets the CSRF cookie its forms use, the next
    one is the one a person sees again on a reload."""
    client.get(url, **headers)
    return client.get(url, **headers)


def _csrf_tokens(response):
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()))


def test_the_overview_seen_before_comes_back_without_a_query(
    developer_client, link, django_assert_num_queries
):
    first = _open(developer_client)
    with django_assert_num_queries(0):
        again = developer_client.get(SERVICE)
    assert again.status_code == 200
    assert b"my-kafka" in again.content
    assert again["ETag"] == first["ETag"]
    assert "private" in again["Cache-Control"]


def test_a_kept_page_carries_the_nonce_of_its_own_answer(developer_client, link):
    _open(developer_client)
    again = developer_client.get(SERVICE)
    nonce = re.search(r"'nonce-([^']+)'", again["Content-Security-Policy"]).group(1)
    assert f'nonce="{nonce}"' in again.content.decode()


@pytest.mark.parametrize("url", [SERVICE, STATUS, CONNECTIONS])
def test_a_kept_answer_is_never_served_to_another_user_of_the_same_role(
    client, developer, project, link, url, django_assert_max_num_queries
):
    colleague = UserFactory(email="colleague@example.com")
    MembershipFactory(user=colleague, project=project, role="developer")
    client.force_login(developer)
    mine = _open(client, url, **HTMX if url != SERVICE else {})
    client.logout()
    client.force_login(colleague)
    theirs = client.get(url, **HTMX if url != SERVICE else {})
    assert theirs.status_code == 200
    assert theirs["ETag"] != mine["ETag"]
    if url == SERVICE:
        assert b"colleague@example.com" in theirs.content
        assert b"dev@example.com" not in theirs.content


def test_a_kept_page_is_never_served_after_the_role_changed(
    developer_client, developer, link, django_capture_on_commit_callbacks
):
    writable = _open(developer_client)
    assert b"Change plan" in writable.content
    with django_capture_on_commit_callbacks(execute=True):
        Membership.objects.filter(user=developer).update(role="read_only")
    read_only = developer_client.get(SERVICE)
    assert read_only.status_code == 200
    assert b"Change plan" not in read_only.content


def test_a_kept_page_is_never_served_with_another_csrf_secret(developer_client, link):
    first = _open(developer_client)
    # Another browser of the same session (or a cleared cookie): its own CSRF secret.
    developer_client.cookies.pop("csrftoken")
    other = developer_client.get(SERVICE)
    assert other.status_code == 200
    assert _csrf_tokens(other).isdisjoint(_csrf_tokens(first))
    assert other.cookies["csrftoken"].value


def test_a_removed_member_gets_404_at_once_from_a_kept_page(
    developer_client, developer, link, django_capture_on_commit_callbacks
):
    _open(developer_client)
    with django_capture_on_commit_callbacks(execute=True):
        Membership.objects.filter(user=developer).delete()
    assert developer_client.get(SERVICE).status_code == 404


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        (
            lambda service: ServiceUser.objects.create(
                service=service, username="analytics", type="normal"
            ),
            b"analytics",
        ),
        (
            lambda service: ServiceNode.objects.create(
                service=service, name="my-kafka-9", private_ip="10.0.9.9"
            ),
            b"10.0.9.9",
        ),
        (
            lambda service: _set_vpc_id(service, "vpc-0123456789abcdef0"),
            b"vpc-0123456789abcdef0",
        ),
    ],
    ids=["service user", "node", "project vpc"],
)
def test_a_change_shows_at_once_on_a_kept_page(developer_client, service, link, change, shown):
    assert shown not in _open(developer_client).content
    change(service)
    assert shown in developer_client.get(SERVICE).content


def _set_vpc_id(service, vpc_id):
    vpc = service.project_vpc
    vpc.aws_vpc_id = vpc_id
    vpc.save(update_fields=["aws_vpc_id", "updated"])


def test_a_change_of_the_link_shows_at_once_in_a_kept_fragment(developer_client, link):
    assert _open(developer_client, STATUS, **HTMX).status_code == 200
    link.state = "deleting"
    link.save(update_fields=["state", "updated"])
    assert b"Deleting" in developer_client.get(STATUS, **HTMX).content


def test_a_page_with_a_message_waiting_is_rendered_and_not_kept(developer_client, link):
    _open(developer_client)
    # A refused plan change leaves a message for the page it redirects to.
    developer_client.post(SERVICE + "plan", {"plan": "no-such-plan"})
    shown = developer_client.get(SERVICE)
    assert b"The plan was not changed" in shown.content
    assert "ETag" not in shown
    # Shown once: the next answer (kept or not) no longer has it.
    assert b"The plan was not changed" not in developer_client.get(SERVICE).content
