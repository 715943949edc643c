"""Answers shared by role (console.freshness): a polled fragment, and the PrivateLink panels
of the Overview page, are rendered once for every viewer of a role while the service's
version stands. A shared answer never crosses roles, never carries another viewer's CSRF
token, name or nonce, and never outlives a change.
"""

import re

import pytest
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.test.utils import CaptureQueriesContext

from console import answer_marks as marks
from tests.constants import HTMX
from tests.factories import MembershipFactory, PrivateLinkFactory, UserFactory

SERVICE = "/projects/demo/services/my-kafka/"
ACCESS = SERVICE + "privatelink-access"
CONNECTION_INFO = SERVICE + "connection-info"
PRINCIPALS = SERVICE + "privatelink/principals"


@pytest.fixture
def link(service):
    return PrivateLinkFactory(service=service, state="active")


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def colleague(project):
    user = UserFactory(email="colleague@example.com")
    MembershipFactory(user=user, project=project, role="developer")
    return user


def _csrf_tokens(response):
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())


def _without_tokens(response):
    return re.sub(r'value="[A-Za-z0-9]{64}"', 'value="-"', response.content.decode())


def _assert_tokens_are_the_viewers_own(client, response):
    tokens = _csrf_tokens(response)
    assert tokens
    secret = client.cookies["csrftoken"].value
    assert all(_unmask_cipher_token(token) == secret for token in tokens)
    assert marks.CSRF_MARK not in response.content.decode()


@pytest.mark.parametrize("url", [ACCESS, PRINCIPALS, CONNECTION_INFO + "?route=dynamic"])
def test_a_fragment_rendered_for_one_viewer_is_given_to_another_of_the_role_with_their_own_token(
    developer, colleague, link, url, django_assert_num_queries
):
    mine = _signed_in(developer)
    mine.get(SERVICE)
    rendered = mine.get(url, **HTMX)
    theirs = _signed_in(colleague)
    theirs.get(SERVICE)  # the page the fragment polls from: the access decision is kept
    with django_assert_num_queries(0):
        shared = theirs.get(url, **HTMX)
    assert shared.status_code == 200
    assert _without_tokens(shared) == _without_tokens(rendered)
    assert shared["ETag"] != rendered["ETag"]
    if url != CONNECTION_INFO + "?route=dynamic":
        _assert_tokens_are_the_viewers_own(mine, rendered)
        _assert_tokens_are_the_viewers_own(theirs, shared)


def test_a_fragment_shared_by_role_is_never_given_to_another_role(developer, read_only_user, link):
    writer = _signed_in(developer)
    writer.get(SERVICE)
    assert b'id="save-access"' in writer.get(ACCESS, **HTMX).content
    reader = _signed_in(read_only_user)
    reader.get(SERVICE)
    shown = reader.get(ACCESS, **HTMX)
    assert b'id="save-access"' not in shown.content
    assert b"Your role is read-only." in shown.content


def test_a_fragment_shared_by_role_never_outlives_a_change(
    developer, colleague, link, django_capture_on_commit_callbacks
):
    mine = _signed_in(developer)
    mine.get(SERVICE)
    assert b"Active" in mine.get(CONNECTION_INFO, **HTMX).content
    with django_capture_on_commit_callbacks(execute=True):
        link.state = "deleting"
        link.save(update_fields=["state", "updated"])
    theirs = _signed_in(colleague)
    theirs.get(SERVICE)
    shown = theirs.get(CONNECTION_INFO, **HTMX).content
    assert b"Deleting" in shown
    assert b"Active" not in shown


def test_a_fragment_is_shared_only_for_the_query_parameters_it_reads(developer, colleague, link):
    mine = _signed_in(developer)
    mine.get(SERVICE)
    mine.get(CONNECTION_INFO + "?route=dynamic&ignored=1", **HTMX)
    theirs = _signed_in(colleague)
    theirs.get(SERVICE)
    # Another route is another answer, even though the version and the role are the same.
    shown = theirs.get(CONNECTION_INFO + "?route=plc-none", **HTMX)
    assert shown.status_code == 200
    assert b'value="dynamic" checked' in shown.content


def _queries_of(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, len(captured.captured_queries)


def test_the_overview_panels_are_shared_by_role_and_the_rest_of_the_page_is_the_viewers_own(
    developer, colleague, read_only_user, link
):
    mine_client = _signed_in(developer)
    mine_client.get(SERVICE)
    mine, rendered_queries = _queries_of(mine_client, SERVICE + "?first=1")
    theirs_client = _signed_in(colleague)
    theirs_client.get(SERVICE)  # sets the CSRF cookie the next answer's forms use
    theirs, shared_queries = _queries_of(theirs_client, SERVICE + "?again=1")
    # The panels' own queries (connections, listeners) are not made again.
    assert shared_queries < rendered_queries
    assert b"colleague@example.com" in theirs.content
    assert b"dev@example.com" not in theirs.content
    _assert_tokens_are_the_viewers_own(theirs_client, theirs)
    assert _panels(theirs) == _panels(mine)
    reader = _signed_in(read_only_user).get(SERVICE)
    assert b'id="save-access"' not in reader.content
    assert b"Your role is read-only." in reader.content


def _panels(response):
    """The PrivateLink panels of an Overview page, without CSRF tokens."""
    found = re.search(
        r'<section class="card" id="connection-info".*id="privatelink-access".*?</section>',
        response.content.decode(),
        re.S,
    )
    assert found is not None
    return re.sub(r'value="[A-Za-z0-9]{64}"', "", found.group())


def test_the_overview_panels_never_outlive_a_change(
    developer, colleague, link, django_capture_on_commit_callbacks
):
    assert b'id="connection-info-state" data-announce="PrivateLink">Active' in (
        _signed_in(developer).get(SERVICE).content
    )
    with django_capture_on_commit_callbacks(execute=True):
        link.state = "deleting"
        link.save(update_fields=["state", "updated"])
    shown = _signed_in(colleague).get(SERVICE).content
    assert b'id="connection-info-state" data-announce="PrivateLink">Deleting' in shown


def test_an_overview_page_rendered_for_one_viewer_is_given_to_another_of_the_role_as_theirs(
    developer, colleague, link, django_assert_num_queries
):
    _signed_in(developer).get(SERVICE)
    theirs = _signed_in(colleague)
    theirs.get(SERVICE + "?first=1")  # their access decision and CSRF cookie
    with django_assert_num_queries(0):
        shared = theirs.get(SERVICE + "?seen-elsewhere=1")
    page = shared.content.decode()
    assert "colleague@example.com" in page
    assert "dev@example.com" not in page
    assert marks.VIEWER_MARK not in page
    _assert_tokens_are_the_viewers_own(theirs, shared)
    header_token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    assert _unmask_cipher_token(header_token) == theirs.cookies["csrftoken"].value
    nonce = re.search(r"'nonce-([^']+)'", shared["Content-Security-Policy"]).group(1)
    assert f'nonce="{nonce}"' in page


def test_a_shared_page_names_its_viewer_as_they_are_now(
    developer, colleague, link, django_capture_on_commit_callbacks
):
    _signed_in(developer).get(SERVICE)
    theirs = _signed_in(colleague)
    theirs.get(SERVICE)
    with django_capture_on_commit_callbacks(execute=True):
        colleague.email = "renamed@example.com"
        colleague.save(update_fields=["email"])
    page = theirs.get(SERVICE + "?after-rename=1").content
    assert b"renamed@example.com" in page
    assert b"colleague@example.com" not in page


def test_a_shared_page_is_never_given_to_another_role(developer, read_only_user, link):
    assert b"Change plan" in _signed_in(developer).get(SERVICE).content
    reader = _signed_in(read_only_user)
    reader.get(SERVICE)
    page = reader.get(SERVICE + "?again=1").content
    assert b"Change plan" not in page
    assert b"viewer@example.com" in page
