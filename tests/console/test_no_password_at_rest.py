"""No password typed into the console is kept in clear: after failed log-ins, failed password
changes (also while locked out, when the old password typed is the right one), a refused token
creation and password resets, no table of the database and no log line holds any of them."""

import importlib
import logging
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.core import mail
from django.db import connection
from django.test import Client

from tests.constants import PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DEMO = "demo@example.com"
GUESSER = "198.51.100.7"


def _database_text() -> Iterator[tuple[str, str]]:
    """(table, value) for every text value of every row of every table."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, (str, bytes, memoryview)):
                        yield (
                            table,
                            bytes(value).decode(errors="replace")
                            if not isinstance(value, str)
                            else value,
                        )


def _found_in_database(passwords: list[str]) -> list[tuple[str, str]]:
    return [(table, p) for table, text in _database_text() for p in passwords if p in text]


def _reset(client: Client, email: str, passwords: list[tuple[str, str]]) -> None:
    client.post("/accounts/password/reset/", {"email": email})
    body = mail.outbox[-1].body
    link = next(word for word in body.split() if "/accounts/password/reset/" in word)
    form_url = client.get(link.removeprefix("http://testserver"), follow=True).redirect_chain[-1][0]
    for first, second in passwords:
        client.post(form_url, {"new_password1": first, "new_password2": second})


def test_no_password_used_is_found_in_any_table_or_log(caplog, capfd, settings):
    caplog.set_level(logging.DEBUG)
    UserFactory(email=DEMO, is_staff=True)
    used = [PASSWORD]
    guesser = Client(REMOTE_ADDR=GUESSER)
    # Failed log-ins on both login pages, past the limit.
    for n in range(settings.AXES_FAILURE_LIMIT):
        guess = f"login-guess-{n}-Qx"
        used.append(guess)
        path = "/accounts/login/" if n % 2 else "/admin/login/"
        guesser.post(path, {"username": DEMO, "password": guess})
    # The right password from the locked address is refused, and not kept either.
    assert (
        guesser.post("/accounts/login/", {"username": DEMO, "password": PASSWORD}).status_code
        == 429
    )

    # Signed in from elsewhere: failed password changes and a refused token creation.
    person = Client(REMOTE_ADDR="203.0.113.9")
    person.post("/accounts/login/", {"username": DEMO, "password": PASSWORD})
    for n in range(settings.AXES_FAILURE_LIMIT):
        old, new1, new2 = f"change-old-{n}-Wv", f"change-new1-{n}-Kp", f"change-new2-{n}-Zr"
        used += [old, new1, new2]
        person.post(
            "/accounts/password/",
            {"old_password": old, "new_password1": new1, "new_password2": new2},
        )
    # Locked out now: even the right old password is refused, and must not be kept.
    locked = person.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "locked-new-Jm",
            "new_password2": "locked-new-Jm",
        },
    )
    assert locked.status_code == 429
    used.append("locked-new-Jm")
    token_guess = "token-page-guess-Hb"
    used.append(token_guess)
    person.post("/accounts/tokens/", {"description": "ci", "password": token_guess})

    # The search reads what it should: the failures and the trail are there, with the account.
    assert {AccessAttempt._meta.db_table, "console_auditevent"} <= {
        table for table, text in _database_text() if DEMO in text
    }
    assert _found_in_database(used) == []

    # Password resets: mismatched and too common new passwords, then a good one.
    final = "reset-final-passphrase-Tn"
    used += ["reset-one-Ga", "reset-two-Gb", "qwertyuiop", final]
    _reset(
        Client(REMOTE_ADDR=GUESSER),
        DEMO,
        [("reset-one-Ga", "reset-two-Gb"), ("qwertyuiop", "qwertyuiop"), (final, final)],
    )

    out, err = capfd.readouterr()
    logs = caplog.text + out + err
    assert _found_in_database(used) == []
    assert [p for p in used if p in logs] == []
    assert "AXES: Locking out" in logs  # the logs of the failures were captured


def test_the_migration_drops_form_data_that_axes_kept_and_keeps_every_attempt():
    for n, address in enumerate(("198.51.100.7", "203.0.113.9")):
        AccessAttempt.objects.create(
            username=DEMO,
            ip_address=address,
            user_agent="ua",
            http_accept="*/*",
            path_info="/accounts/password/",
            failures_since_start=3 + n,
        )
    # As axes wrote them before the console dropped them on save.
    AccessAttempt.objects.update(
        get_data="next=/", post_data="old_password=hunter2\nnew_password1=s3cret-new"
    )
    migration = importlib.import_module("console.migrations.0007_scrub_login_attempt_form_data")

    # The function reads only the editor's connection; SQLite's editor cannot open in a test.
    migration.drop_form_data(apps, SimpleNamespace(connection=connection))

    rows = list(
        AccessAttempt.objects.order_by("ip_address").values_list(
            "ip_address", "failures_since_start", "get_data", "post_data"
        )
    )
    assert rows == [("198.51.100.7", 3, "", ""), ("203.0.113.9", 4, "", "")]
