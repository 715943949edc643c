"""Logging in and out with an email address and a password, changing the password, and
resetting it by e-mail (also the way out of a lockout)."""

import re

from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client

from console.models import AuditEvent
from console.models.tokens import ApiToken
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


def _reset_link(outbox) -> str:
    (message,) = outbox
    match = re.search(r"http://testserver(/accounts/password/reset/[^/\s]+/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_login_and_locked_out_pages_lead_to_the_password_reset(client, db, settings):
    UserFactory(email="ada@example.com")
    login = client.get("/accounts/login/").content.decode()
    for n in range(settings.AXES_FAILURE_LIMIT):
        locked = client.post(
            "/accounts/login/", {"username": "ada@example.com", "password": f"no{n}"}
        )

    assert locked.status_code == 429
    for page in (login, locked.content.decode()):
        assert 'href="/accounts/password/reset/"' in page
    assert client.get("/accounts/password/reset/").status_code == 200


def test_a_locked_out_person_resets_the_password_by_email_and_gets_in(db, settings):
    user = UserFactory(email="ada@example.com")
    ApiToken.issue(user, "ci")
    for address in ("198.51.100.7", "203.0.113.9"):
        guesser = Client(REMOTE_ADDR=address)
        for n in range(settings.AXES_FAILURE_LIMIT):
            guesser.post("/accounts/login/", {"username": user.email, "password": f"no{n}"})
    assert AccessAttempt.objects.count() == 2
    client = Client(REMOTE_ADDR="198.51.100.7")

    sent = client.post("/accounts/password/reset/", {"email": "ada@example.com"})
    assert sent["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox[0].to == ["ada@example.com"]
    form = client.get(_reset_link(mail.outbox), follow=True)
    assert b"Set a new password" in form.content
    new = "a fresh passphrase for 2027"
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": new, "new_password2": new, "revoke_tokens": "on"},
    )

    assert done["Location"] == "/accounts/password/reset/done/"
    user.refresh_from_db()
    assert user.check_password(new)
    assert not AccessAttempt.objects.exists()  # every address's lockout of the account
    event = AuditEvent.objects.get(action="user.password_reset")
    assert event.actor == user
    assert event.ip == "198.51.100.7"
    assert event.after == {"api_tokens_revoked": 1, "lockouts_cleared": 2}
    assert ApiToken.objects.get().revoked is not None
    response = client.post("/accounts/login/", {"username": user.email, "password": new})
    assert client.session[SESSION_KEY] == str(user.pk), response.content


def test_a_reset_link_works_once(client, db):
    UserFactory(email="ada@example.com")
    client.post("/accounts/password/reset/", {"email": "ada@example.com"})
    link = _reset_link(mail.outbox)
    form = client.get(link, follow=True)
    new = "a fresh passphrase for 2027"
    client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})

    again = client.get(link, follow=True)

    assert b"This link has expired or was already used" in again.content
    assert AuditEvent.objects.filter(action="user.password_reset").count() == 1


def test_a_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client, db):
    UserFactory(email="ada@example.com")

    response = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})

    assert response["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []
