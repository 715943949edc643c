"""Logging in and out with an email address and a password, and changing the password."""

from django.contrib.auth import SESSION_KEY

from console.models import AuditEvent
from tests.constants import PASSWORD
from tests.factories import UserFactory


def test_person_logs_in_with_email_and_password_and_lands_on_projects(client, db):
    user = UserFactory(email="ada@example.com")

    response = client.post(
        "/accounts/login/", {"username": "ada@example.com", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/projects/"
    assert client.session[SESSION_KEY] == str(user.pk)


def test_wrong_password_is_refused_with_a_message_and_no_session(client, db):
    UserFactory(email="ada@example.com")

    response = client.post("/accounts/login/", {"username": "ada@example.com", "password": "no"})

    assert response.status_code == 200
    assert b"Please enter a correct email address and password" in response.content
    assert SESSION_KEY not in client.session


def test_login_page_carries_csrf_and_security_headers(client, db):
    response = client.get("/accounts/login/")

    assert b'name="csrfmiddlewaretoken"' in response.content
    assert "csrftoken" in response.cookies
    assert response["X-Frame-Options"] == "DENY"
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_log_out_ends_the_session(client, db):
    client.force_login(UserFactory())

    response = client.post("/accounts/logout/")

    assert response["Location"] == "/accounts/login/"
    assert SESSION_KEY not in client.session
    assert client.get("/projects/")["Location"].startswith("/accounts/login/?next=/projects/")


def test_password_change_takes_the_old_and_new_password(client, db):
    user = UserFactory()
    client.force_login(user)
    new = "a much longer passphrase 2026"

    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )

    assert response["Location"] == "/accounts/password/done/"
    user.refresh_from_db()
    assert user.check_password(new)
    assert client.session[SESSION_KEY] == str(user.pk)  # still logged in
    event = AuditEvent.objects.get(action="user.password_change")
    assert event.actor == user
    # Neither password is ever written to the trail; unticking the box keeps the tokens.
    assert event.after == {"api_tokens_revoked": 0}


def test_password_change_with_a_wrong_old_password_keeps_the_old_one(client, db):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        "/accounts/password/",
        {"old_password": "wrong", "new_password1": "x" * 20, "new_password2": "x" * 20},
    )

    assert response.status_code == 200
    assert b"Your old password was entered incorrectly" in response.content
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert not AuditEvent.objects.exists()


def test_emails_are_stored_lowercase_so_login_is_case_insensitive(client, db):
    from console.models import User

    user = User.objects.create_user("Ada@Example.COM", PASSWORD)

    assert user.email == "ada@example.com"
    response = client.post(
        "/accounts/login/", {"username": "ada@example.com", "password": PASSWORD}
    )
    assert client.session[SESSION_KEY] == str(user.pk), response.content
