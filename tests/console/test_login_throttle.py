"""Password and token guessing is throttled per account and per address, with a lockout
that expires, a clear message and an audit event."""

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.utils import timezone

from console.models import AuditEvent
from console.models.tokens import ApiToken
from tests.constants import PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIMIT = 3


@pytest.fixture(autouse=True)
def _small_limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


def _client(address: str = "198.51.100.7") -> Client:
    return Client(REMOTE_ADDR=address)


def _fail(client: Client, path: str, username: str, times: int) -> None:
    for _ in range(times):
        client.post(path, {"username": username, "password": "wrong"})


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_after_too_many_wrong_passwords_even_the_right_one_is_refused(path):
    user = UserFactory(email="ada@example.com", is_staff=True)
    client = _client()
    _fail(client, path, user.email, LIMIT)

    response = client.post(path, {"username": user.email, "password": PASSWORD})

    assert response.status_code == 429
    assert "Try again in 15 minutes" in response.content.decode()
    assert response["Retry-After"] == "900"
    assert SESSION_KEY not in client.session
    event = AuditEvent.objects.filter(action="login.locked_out").first()
    assert event is not None
    assert (event.after["username"], event.after["ip"]) == (user.email, "198.51.100.7")


def test_the_account_is_locked_from_another_address_too():
    user = UserFactory(email="ada@example.com")
    _fail(_client("198.51.100.7"), "/accounts/login/", user.email, LIMIT)

    other = _client("203.0.113.9")
    response = other.post("/accounts/login/", {"username": user.email, "password": PASSWORD})

    assert response.status_code == 429
    assert SESSION_KEY not in other.session


def test_an_address_guessing_many_accounts_is_locked_for_every_account():
    UserFactory(email="ada@example.com")
    client = _client()
    for n in range(LIMIT):
        _fail(client, "/accounts/login/", f"guess{n}@example.com", 1)

    response = client.post(
        "/accounts/login/", {"username": "ada@example.com", "password": PASSWORD}
    )

    assert response.status_code == 429


def test_the_lockout_expires(settings):
    user = UserFactory(email="ada@example.com")
    client = _client()
    _fail(client, "/accounts/login/", user.email, LIMIT)
    from axes.models import AccessAttempt

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    response = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


def test_failures_below_the_limit_still_let_the_right_password_in():
    user = UserFactory(email="ada@example.com")
    client = _client()
    _fail(client, "/accounts/login/", user.email, LIMIT - 1)

    response = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="login.locked_out").exists()


def test_guessing_api_tokens_locks_the_address_out_in_the_platforms_error_shape(developer):
    _, good = ApiToken.issue(developer, "real")
    client = _client()
    for n in range(LIMIT):
        refused = client.get("/v1/project", headers={"Authorization": f"aivenv1 guess{n}"})
    assert refused.status_code == 429

    response = client.get("/v1/project", headers={"Authorization": f"aivenv1 {good}"})

    body = response.json()
    assert response.status_code == 429
    assert body["errors"] == [{"message": body["message"], "status": 429}]
    assert "try again in 15 minutes" in body["message"]
    assert response["Retry-After"] == "900"
    assert AuditEvent.objects.filter(action="login.locked_out").exists()
    # Another address, and the owner's password log-in, are not affected.
    elsewhere = _client("203.0.113.9").get(
        "/v1/project", headers={"Authorization": f"aivenv1 {good}"}
    )
    assert elsewhere.status_code == 200


def test_a_request_without_a_token_is_not_counted_as_a_guess(developer):
    _, good = ApiToken.issue(developer, "real")
    client = _client()
    for _ in range(LIMIT + 1):
        assert client.get("/v1/project").status_code == 401

    assert (
        client.get("/v1/project", headers={"Authorization": f"aivenv1 {good}"}).status_code == 200
    )
