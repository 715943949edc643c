"""Tokens do not outlive a stolen session: the password is asked again to make one, a
password change revokes them by default, and a token may have a lifetime."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from console.models import AuditEvent
from console.models.tokens import ApiToken
from tests.constants import PASSWORD

pytestmark = pytest.mark.django_db

PAGE = "/accounts/tokens/"


def _api(token: str) -> int:
    return Client().get("/v1/project", headers={"Authorization": f"aivenv1 {token}"}).status_code


def test_a_session_alone_cannot_make_a_token(developer_client, developer):
    response = developer_client.post(PAGE, {"description": "stolen", "password": "guess"})

    assert "That is not your password" in response.content.decode()
    assert response.context["new_token"] is None
    assert not ApiToken.objects.filter(user=developer).exists()
    assert not AuditEvent.objects.filter(action="api_token.create").exists()


def test_without_a_password_the_form_says_to_type_it(developer_client, developer):
    response = developer_client.post(PAGE, {"description": "x"})

    assert response.context["form"].errors["password"] == ["This field is required."]
    assert not ApiToken.objects.filter(user=developer).exists()


def test_the_page_showing_a_new_token_is_never_stored(developer_client):
    response = developer_client.post(PAGE, {"description": "ci", "password": PASSWORD})

    assert response.context["new_token"] in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert "no-store" in developer_client.get(PAGE)["Cache-Control"]


def test_a_token_with_a_lifetime_stops_working_when_it_ends(developer_client, developer):
    response = developer_client.post(
        PAGE, {"description": "short", "max_age_seconds": "3600", "password": PASSWORD}
    )
    token = response.context["new_token"]
    row = ApiToken.objects.get(user=developer)
    assert row.max_age_seconds == 3600
    assert timedelta(minutes=59) < row.expires - timezone.now() <= timedelta(hours=1)
    assert _api(token) == 200

    ApiToken.objects.filter(pk=row.pk).update(expires=timezone.now() - timedelta(seconds=1))

    assert _api(token) == 401
    assert "Expired" in developer_client.get(PAGE).content.decode()


def test_use_extends_a_token_that_asks_for_it(developer):
    row, token = ApiToken.issue(developer, "ci", max_age_seconds=600, extend_when_used=True)
    soon = timezone.now() + timedelta(seconds=30)
    ApiToken.objects.filter(pk=row.pk).update(expires=soon)

    assert _api(token) == 200

    row.refresh_from_db()
    assert row.expires > timezone.now() + timedelta(seconds=590)


def test_use_does_not_extend_a_token_that_did_not_ask(developer):
    row, token = ApiToken.issue(developer, "ci", max_age_seconds=600)
    soon = timezone.now() + timedelta(seconds=30)
    ApiToken.objects.filter(pk=row.pk).update(expires=soon)

    assert _api(token) == 200

    row.refresh_from_db()
    assert row.expires == soon


def test_a_password_change_revokes_the_tokens_by_default(developer_client, developer):
    _, token = ApiToken.issue(developer, "laptop")
    form = developer_client.get("/accounts/password/").content.decode()
    box = re.search(r'<input type="checkbox" name="revoke_tokens"[^>]*>', form)
    assert box is not None
    assert " checked" in box.group()
    new = "a much longer passphrase 2026"

    developer_client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": new,
            "new_password2": new,
            "revoke_tokens": "on",
        },
    )

    assert _api(token) == 401
    revoked = AuditEvent.objects.get(action="api_token.revoke")
    assert (revoked.actor, revoked.after) == (developer, {"reason": "password change"})
    change = AuditEvent.objects.get(action="user.password_change")
    assert change.after == {"api_tokens_revoked": 1}


def test_a_password_change_may_keep_the_tokens(developer_client, developer):
    _, token = ApiToken.issue(developer, "laptop")
    new = "a much longer passphrase 2026"

    developer_client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )

    assert _api(token) == 200
    assert not AuditEvent.objects.filter(action="api_token.revoke").exists()


def test_guessing_the_password_on_the_token_page_locks_out_like_the_login(
    developer_client, developer, settings
):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        developer_client.post(PAGE, {"description": "x", "password": "guess"})

    response = developer_client.post(PAGE, {"description": "x", "password": PASSWORD})

    assert response.status_code == 429
    assert not ApiToken.objects.filter(user=developer).exists()


def test_the_command_issues_a_token_with_a_lifetime_extended_on_use(developer):
    from io import StringIO

    from django.core.management import call_command

    call_command(
        "create_api_token",
        developer.email,
        max_age_seconds=7200,
        extend_when_used=True,
        stdout=StringIO(),
        stderr=StringIO(),
    )

    row = ApiToken.objects.get(user=developer)
    assert (row.max_age_seconds, row.extend_when_used) == (7200, True)
    assert timedelta(minutes=119) < row.expires - timezone.now() <= timedelta(hours=2)
