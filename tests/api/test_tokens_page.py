"""The API tokens page of a person's profile: create (shown once, stored hashed), list, revoke."""

import pytest
from django.test import Client

from console.models import AuditEvent
from console.models.tokens import ApiToken, hash_token
from tests.constants import PASSWORD

pytestmark = pytest.mark.django_db

PAGE = "/accounts/tokens/"


def test_creating_a_token_shows_it_once_and_stores_only_its_hash(developer_client, developer):
    response = developer_client.post(PAGE, {"description": "deploy pipeline", "password": PASSWORD})
    token = response.context["new_token"]
    assert token in response.content.decode()
    row = ApiToken.objects.get(user=developer)
    assert (row.description, row.token_hash) == ("deploy pipeline", hash_token(token))
    assert token not in str(ApiToken.objects.filter(pk=row.pk).values().get())
    again = developer_client.get(PAGE).content.decode()
    assert token not in again
    assert f"{row.prefix}…" in again
    event = AuditEvent.objects.get(action="api_token.create")
    assert (event.actor, event.after["token"]) == (developer, row.prefix)


def test_a_token_made_on_the_page_authenticates_the_api(developer_client, service):
    token = developer_client.post(PAGE, {"description": "", "password": PASSWORD}).context[
        "new_token"
    ]
    response = Client().get(
        "/v1/project/demo/service", headers={"Authorization": f"aivenv1 {token}"}
    )
    assert [s["service_name"] for s in response.json()["services"]] == ["my-kafka"]


def test_too_long_a_description_is_shown_next_to_the_field(developer_client, developer):
    response = developer_client.post(PAGE, {"description": "x" * 201, "password": PASSWORD})
    assert "at most 200 characters" in response.content.decode()
    assert not ApiToken.objects.filter(user=developer).exists()


def test_revoking_stops_the_token_and_records_an_audit_event(developer_client, developer):
    row, token = ApiToken.issue(developer, "laptop")
    response = developer_client.post(f"{PAGE}{row.pk}/revoke/")
    assert response["Location"] == PAGE
    row.refresh_from_db()
    assert row.revoked is not None
    assert "Revoked" in developer_client.get(PAGE).content.decode()
    refused = Client().get("/v1/project", headers={"Authorization": f"aivenv1 {token}"})
    assert refused.json()["errors"][0]["status"] == 401
    assert AuditEvent.objects.filter(action="api_token.revoke", actor=developer).count() == 1


def test_someone_elses_token_cannot_be_revoked(developer_client, outsider):
    row, _ = ApiToken.issue(outsider, "theirs")
    response = developer_client.post(f"{PAGE}{row.pk}/revoke/")
    assert response.status_code == 404
    row.refresh_from_db()
    assert row.revoked is None
    assert not AuditEvent.objects.filter(action="api_token.revoke").exists()


def test_the_page_needs_a_login_and_revoke_needs_post(developer_client, developer):
    assert Client().get(PAGE)["Location"].startswith("/accounts/login/")
    row, _ = ApiToken.issue(developer, "laptop")
    assert developer_client.get(f"{PAGE}{row.pk}/revoke/").status_code == 405
    row.refresh_from_db()
    assert row.revoked is None


def test_the_page_lists_only_ones_own_tokens(developer_client, developer, outsider):
    ApiToken.issue(outsider, "not yours")
    ApiToken.issue(developer, "mine")
    page = developer_client.get(PAGE).content.decode()
    assert "mine" in page
    assert "not yours" not in page
