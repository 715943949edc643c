"""Connection URIs carry the user name and password percent-encoded, so that no character
of either can move the URI's host, port or path elsewhere."""

from urllib.parse import unquote, urlsplit

import pytest

from console import actions, catalog
from console.credentials import Credentials
from console.models import ServiceUser
from console.models.tokens import ApiToken
from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db

HOSTILE = "x@evil.example:5432/db?"


@pytest.fixture
def pg(project):
    return ServiceFactory(project=project, name="my-pg", service_type="pg", nodes=1)


def _service_json(client, developer) -> dict:
    token = ApiToken.issue(developer, "tests")[1]
    response = client.get(
        "/v1/project/demo/service/my-pg", headers={"Authorization": f"aivenv1 {token}"}
    )
    return response.json()["service"]


def test_userinfo_encodes_every_character_that_ends_the_user_part():
    assert catalog.userinfo("avnadmin", HOSTILE) == "avnadmin:x%40evil.example%3A5432%2Fdb%3F"
    assert catalog.userinfo("ops@team:1", None) == "ops%40team%3A1"
    assert catalog.userinfo("a#b", "p/q#r") == "a%23b:p%2Fq%23r"


def test_a_password_that_looks_like_a_host_leaves_the_api_uri_on_the_services_host(
    client, developer, pg
):
    actions.reset_password(pg, "avnadmin", HOSTILE, actor=developer)

    uri = urlsplit(_service_json(client, developer)["service_uri"])

    assert uri.hostname == "my-pg-demo.example.test"
    assert uri.port == 12691
    assert uri.path == "/defaultdb"
    assert uri.query == "sslmode=require"
    assert (unquote(uri.username or ""), unquote(uri.password or "")) == ("avnadmin", HOSTILE)


def test_a_user_name_with_an_at_sign_leaves_the_uri_on_the_services_host(client, developer, pg):
    ServiceUser.objects.filter(service=pg).update(username="ops@evil.example")

    uri = urlsplit(_service_json(client, developer)["service_uri"])

    assert uri.hostname == "my-pg-demo.example.test"
    assert unquote(uri.username or "") == "ops@evil.example"


def test_a_read_only_members_uri_names_the_encoded_user_alone(client, read_only_user, pg):
    ServiceUser.objects.filter(service=pg).update(username="ops@evil.example")

    uri = urlsplit(_service_json(client, read_only_user)["service_uri"])

    assert uri.hostname == "my-pg-demo.example.test"
    assert (uri.username, uri.password) == ("ops%40evil.example", None)


def test_a_masked_uri_encodes_the_user_and_shows_the_mask_as_it_is():
    assert Credentials("a:b@c", "primary", None).userinfo == "a%3Ab%40c:••••••••"
    assert Credentials("a:b", "primary", "p@ss").userinfo == "a%3Ab:p%40ss"
