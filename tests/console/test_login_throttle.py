"""Password and token guessing is throttled per account and address together, with a lockout
that grows with each further failure and ends by itself; a valid token is always served, the
owner can log in from elsewhere at once, and admins see and clear lockouts."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from types import SimpleNamespace
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.db.models import F
from django.test import Client

from console import login_throttle
from console.login_throttle import lockout_length
from console.models import AuditEvent
from console.models.tokens import ApiToken
from tests.constants import PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GUESSER = "198.51.100.7"
ELSEWHERE = "203.0.113.9"
DEMO = "demo@example.com"


def _client(address: str = GUESSER) -> Client:
    return Client(REMOTE_ADDR=address)


def _fail(client: Client, path: str, username: str, times: int) -> None:
    for n in range(times):
        client.post(path, {"username": username, "password": f"wrong guess {n}"})


def _log_in(client: Client, username: str = DEMO, path: str = "/accounts/login/"):
    return client.post(path, {"username": username, "password": PASSWORD})


@contextmanager
def _clock_at_the_last_failure() -> Iterator[None]:
    """The lockout's clock stopped at the last failure: the wait shown is the whole
    lockout, however long a loaded machine took between that failure and the check."""
    last = AccessAttempt.objects.latest("attempt_time").attempt_time
    with mock.patch.object(login_throttle, "timezone", SimpleNamespace(now=lambda: last)):
        yield


def _age_failures(seconds: float) -> None:
    """As if the last failure happened `seconds` earlier."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(seconds=seconds))


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_after_the_free_failures_even_the_right_password_is_refused_from_that_address(
    path, settings
):
    user = UserFactory(email=DEMO, is_staff=True)
    client = _client()
    _fail(client, path, user.email, settings.AXES_FAILURE_LIMIT)

    with _clock_at_the_last_failure():
        response = _log_in(client, path=path)

    assert response.status_code == 429
    assert "Try again in 1 minute;" in response.content.decode()
    assert response["Retry-After"] == "60"
    assert SESSION_KEY not in client.session
    event = AuditEvent.objects.get(action="login.locked_out")
    assert (event.after["username"], event.after["ip"]) == (DEMO, GUESSER)
    assert (event.after["failures"], event.after["seconds"]) == (settings.AXES_FAILURE_LIMIT, 60)


def test_fifty_wrong_passwords_from_one_address_leave_the_owner_free_to_log_in_from_another():
    user = UserFactory(email=DEMO)
    guesser = _client()
    _fail(guesser, "/accounts/login/", DEMO, 50)

    owner = _client(ELSEWHERE)
    response = _log_in(owner)

    assert response["Location"] == "/projects/"
    assert owner.session[SESSION_KEY] == str(user.pk)
    # The guessing address is still locked out of the account.
    assert _log_in(guesser).status_code == 429
    assert SESSION_KEY not in guesser.session


def test_tries_refused_during_a_lockout_neither_count_nor_renew_it(settings):
    UserFactory(email=DEMO)
    client = _client()
    _fail(client, "/accounts/login/", DEMO, settings.AXES_FAILURE_LIMIT)
    _age_failures(30)
    before = AccessAttempt.objects.get()

    _fail(client, "/accounts/login/", DEMO, 40)

    after = AccessAttempt.objects.get()
    assert after.failures_since_start == settings.AXES_FAILURE_LIMIT
    assert after.attempt_time == before.attempt_time
    # One audit event for the lockout, none for the refused guesses.
    assert AuditEvent.objects.filter(action="login.locked_out").count() == 1
    # The lockout still ends a minute after the last counted failure.
    _age_failures(31)
    assert _log_in(client)["Location"] == "/projects/"


def test_each_failure_after_a_lockout_doubles_the_next_one_up_to_the_cap(settings):
    UserFactory(email=DEMO)
    client = _client()
    _fail(client, "/accounts/login/", DEMO, settings.AXES_FAILURE_LIMIT - 1)
    waits = []
    for _ in range(4):
        response = client.post("/accounts/login/", {"username": DEMO, "password": "wrong"})
        waits.append(int(response["Retry-After"]))
        _age_failures(waits[-1] + 1)  # the lockout ends; the next guess is counted again

    assert waits == [60, 120, 240, 480]
    assert AccessAttempt.objects.get().failures_since_start == settings.AXES_FAILURE_LIMIT + 3


def test_the_lockout_is_capped_and_ends_by_itself(settings):
    settings.LOGIN_LOCKOUT_MAX = timedelta(minutes=60)
    limit = settings.AXES_FAILURE_LIMIT
    assert [lockout_length(n).total_seconds() for n in (limit - 1, limit, limit + 1)] == [
        0,
        60,
        120,
    ]
    assert lockout_length(limit + 6) == timedelta(minutes=60)
    assert lockout_length(limit + 10_000) == timedelta(minutes=60)

    user = UserFactory(email=DEMO)
    client = _client()
    _fail(client, "/accounts/login/", DEMO, limit + 20)
    AccessAttempt.objects.update(failures_since_start=limit + 20)
    with _clock_at_the_last_failure():
        assert _log_in(client)["Retry-After"] == "3600"

    _age_failures(3601)
    response = _log_in(client)

    assert response["Location"] == "/projects/"
    assert client.session[SESSION_KEY] == str(user.pk)
    assert not AccessAttempt.objects.exists()  # a success forgets that pair's failures


def test_an_address_guessing_other_accounts_does_not_lock_this_one_out(settings):
    user = UserFactory(email=DEMO)
    client = _client()
    for n in range(settings.AXES_FAILURE_LIMIT * 2):
        _fail(client, "/accounts/login/", f"guess{n}@example.com", 1)

    assert _log_in(client)["Location"] == "/projects/"
    assert client.session[SESSION_KEY] == str(user.pk)


def test_changing_the_case_of_the_address_buys_no_more_guesses(settings):
    UserFactory(email=DEMO)
    client = _client()
    for n in range(settings.AXES_FAILURE_LIMIT):
        spelled = "".join(c.upper() if (n >> i) & 1 else c for i, c in enumerate(DEMO))
        _fail(client, "/accounts/login/", f" {spelled} ", 1)

    assert _log_in(client).status_code == 429
    assert AccessAttempt.objects.get().username == DEMO


def test_failures_below_the_limit_still_let_the_right_password_in(settings):
    user = UserFactory(email=DEMO)
    client = _client()
    _fail(client, "/accounts/login/", DEMO, settings.AXES_FAILURE_LIMIT - 1)

    assert _log_in(client)["Location"] == "/projects/"
    assert client.session[SESSION_KEY] == str(user.pk)
    assert not AuditEvent.objects.filter(action="login.locked_out").exists()


def test_a_valid_api_token_keeps_working_from_the_address_that_guessed_tokens(
    developer, project, settings
):
    _, good = ApiToken.issue(developer, "real")
    client = _client()
    for n in range(settings.AXES_FAILURE_LIMIT + 5):
        refused = client.get("/v1/project", headers={"Authorization": f"aivenv1 guess{n}"})
    assert refused.status_code == 429

    response = client.get("/v1/project", headers={"Authorization": f"aivenv1 {good}"})

    assert response.status_code == 200
    assert [p["project_name"] for p in response.json()["projects"]] == [project.name]
    # Guessing from that address is still refused, in the platform's error shape.
    with _clock_at_the_last_failure():
        again = client.get("/v1/project", headers={"Authorization": "aivenv1 one-more-guess"})
    body = again.json()
    assert again.status_code == 429
    assert body["errors"] == [{"message": body["message"], "status": 429}]
    assert "try again in 1 minute" in body["message"]
    assert again["Retry-After"] == "60"
    event = AuditEvent.objects.get(action="login.locked_out")
    assert (event.after["username"], event.after["ip"]) == ("", GUESSER)
    # Token guessing counts against the address, never against an account.
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == [None]


def test_token_guessing_does_not_lock_a_person_out_of_logging_in_from_that_address(settings):
    user = UserFactory(email=DEMO)
    client = _client()
    for n in range(settings.AXES_FAILURE_LIMIT + 1):
        client.get("/v1/project", headers={"Authorization": f"aivenv1 guess{n}"})

    assert _log_in(client)["Location"] == "/projects/"
    assert client.session[SESSION_KEY] == str(user.pk)


def test_a_request_without_a_token_is_not_counted_as_a_guess(developer, settings):
    _, good = ApiToken.issue(developer, "real")
    client = _client()
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        assert client.get("/v1/project").status_code == 401

    assert not AccessAttempt.objects.exists()
    response = client.get("/v1/project", headers={"Authorization": f"aivenv1 {good}"})
    assert response.status_code == 200


@pytest.fixture
def admin_client(db) -> Client:
    client = Client(REMOTE_ADDR="192.0.2.1")
    client.force_login(UserFactory(email="root@example.com", is_staff=True, is_superuser=True))
    return client


def test_admin_lists_lockouts_with_until_when_and_no_form_data(admin_client, settings):
    UserFactory(email=DEMO)
    _fail(_client(), "/accounts/login/", DEMO, settings.AXES_FAILURE_LIMIT)

    page = admin_client.get("/admin/axes/accessattempt/", {"locked": "yes"}).content.decode()

    assert DEMO in page
    assert GUESSER in page
    assert "not locked" not in page
    row = AccessAttempt.objects.get()
    detail = admin_client.get(f"/admin/axes/accessattempt/{row.pk}/change/").content.decode()
    assert "Locked until" in detail
    assert "POST Data" not in detail
    assert "wrong guess" not in detail
    # Read-only: failures are cleared only through the audited action.
    assert admin_client.post(f"/admin/axes/accessattempt/{row.pk}/delete/").status_code == 403
    assert AccessAttempt.objects.exists()


def test_admin_clears_a_lockout_with_an_audit_event_and_the_owner_gets_in(admin_client, settings):
    user = UserFactory(email=DEMO)
    guesser = _client()
    _fail(guesser, "/accounts/login/", DEMO, settings.AXES_FAILURE_LIMIT)
    row = AccessAttempt.objects.get()

    response = admin_client.post(
        "/admin/axes/accessattempt/",
        {"action": "clear_lockouts", "_selected_action": [str(row.pk)]},
        follow=True,
    )

    assert "Cleared the failed log-ins of 1 account and address pairs." in response.content.decode()
    assert not AccessAttempt.objects.exists()
    event = AuditEvent.objects.get(action="login.lockouts_cleared")
    assert event.actor.email == "root@example.com"
    assert event.before == [
        {"username": DEMO, "ip": GUESSER, "failures": settings.AXES_FAILURE_LIMIT}
    ]
    assert _log_in(guesser)["Location"] == "/projects/"
    assert guesser.session[SESSION_KEY] == str(user.pk)
