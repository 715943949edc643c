"""Real credentials through the real `avn`: the same user and password on the dynamic and
the privatelink route, before and after a reset; read-only members never receive one."""

import pytest
from django.test import override_settings

from console import credentials
from console.models import AuditEvent, ServiceUser
from privatelink.models import Listener, PrivateLink, PrivateLinkConnection
from tests.factories import ServiceFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("queued")]

PROJECT = ("--project", "demo")
PLC = "plc0123456789abcd"


@pytest.fixture
def pg(project):
    """my-pg with an active PrivateLink connection and pg enabled over it, as the reconciler
    leaves it."""
    service = ServiceFactory(project=project, name="my-pg", service_type="pg", nodes=2)
    service.user_config = {"privatelink_access": {"pg": True}}
    service.save()
    link = PrivateLink.objects.create(service=service, principals=["*"], state="active")
    connection = PrivateLinkConnection.objects.create(
        privatelink=link,
        privatelink_connection_id=PLC,
        endpoint_id="vpce-0aaaabbbbccccdddd",
        state=PrivateLinkConnection.State.ACTIVE,
        number=1,
    )
    Listener.objects.create(
        privatelink=link, component="pg", slot="pg", port=12691, health="healthy"
    )
    assert connection.number == 1
    return service


def _uris(avn, **kwargs):
    dynamic = avn("service", "connection-info", "pg", "uri", "my-pg", *PROJECT, **kwargs)
    private = avn("service", "connection-info", "pg", "uri", "my-pg", *PROJECT,
                  "-r", "privatelink", "-p", PLC, **kwargs)  # fmt: skip
    return dynamic, private


def test_both_routes_print_the_same_real_credentials_before_and_after_a_reset(avn, pg, developer):
    dynamic, private = _uris(avn)
    assert dynamic.returncode == 0, dynamic.stderr
    assert private.returncode == 0, private.stderr
    (password,) = [c.password for c in credentials.credentials_of(pg, with_passwords=True)]
    assert password is not None
    assert len(password) >= 24
    assert dynamic.stdout.strip() == (
        f"postgres://avnadmin:{password}@my-pg-demo.example.test:12691/defaultdb?sslmode=require"
    )
    assert private.stdout.strip() == (
        f"postgres://avnadmin:{password}@privatelink-1-my-pg-demo.example.test:12691"
        "/defaultdb?sslmode=require"
    )
    # Encrypted at rest: the row holds a Fernet token, not the password.
    stored = ServiceUser.objects.get(service=pg, username="avnadmin").password_encrypted
    assert password not in stored
    assert stored.startswith("gAAAAA")

    reset = avn("service", "user-password-reset", "my-pg", "--username", "avnadmin", *PROJECT)
    assert reset.returncode == 0, reset.stderr
    (new,) = [c.password for c in credentials.credentials_of(pg, with_passwords=True)]
    assert new is not None
    assert new != password
    dynamic, private = _uris(avn)
    assert f"avnadmin:{new}@my-pg-demo" in dynamic.stdout
    assert f"avnadmin:{new}@privatelink-1-my-pg-demo" in private.stdout
    event = AuditEvent.objects.get(action="service_user.reset_password", service=pg)
    assert event.actor == developer
    assert new not in str(event.after)


def test_a_given_new_password_is_used_and_a_short_one_refused(avn, pg, developer):
    short = avn("service", "user-password-reset", "my-pg", "--username", "avnadmin",
                "--new-password", "short", *PROJECT)  # fmt: skip
    assert short.returncode != 0
    assert "8 to 256 printable characters" in short.stderr
    given = "correct-horse-battery-staple-42"
    done = avn("service", "user-password-reset", "my-pg", "--username", "avnadmin",
               "--new-password", given, *PROJECT)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert [c.password for c in credentials.credentials_of(pg, with_passwords=True)] == [given]


def test_a_reset_of_an_unknown_user_is_a_404(avn, pg, developer):
    result = avn("service", "user-password-reset", "my-pg", "--username", "nobody", *PROJECT)
    assert result.returncode != 0
    assert "has no user nobody" in result.stderr


def test_read_only_members_never_receive_a_password(avn, pg, read_only_token):
    shown = avn("service", "get", "my-pg", *PROJECT, "--json", token=read_only_token)
    assert shown.returncode == 0, shown.stderr
    service = shown.json()
    assert service["users"] == [{"username": "avnadmin", "type": "primary"}]
    (password,) = [c.password for c in credentials.credentials_of(pg, with_passwords=True)]
    assert password not in shown.stdout
    uri = avn("service", "connection-info", "pg", "uri", "my-pg", *PROJECT, token=read_only_token)
    assert uri.returncode != 0
    assert "Could not find password" in uri.stderr
    reset = avn("service", "user-password-reset", "my-pg", "--username", "avnadmin", *PROJECT,
                token=read_only_token)  # fmt: skip
    assert "status 403" in reset.stderr


def test_a_new_key_in_front_still_reads_passwords_made_under_the_old_one(pg):
    (before,) = [c.password for c in credentials.credentials_of(pg, with_passwords=True)]
    new_key = "hX4D5rJ0qmO6v2XU3Gq8b7o1kQm9n2TtQWZs3mY8p0A="
    from django.conf import settings

    with override_settings(
        CREDENTIALS_ENCRYPTION_KEYS=[new_key, *settings.CREDENTIALS_ENCRYPTION_KEYS]
    ):
        assert [c.password for c in credentials.credentials_of(pg, with_passwords=True)] == [before]
        # What is written now is under the new key alone.
        token = credentials.encrypt("x" * 24)
    with override_settings(CREDENTIALS_ENCRYPTION_KEYS=[new_key]):
        assert credentials.decrypt(token) == "x" * 24


def test_rotate_command_moves_every_password_to_the_newest_key(pg):
    import io

    from django.conf import settings
    from django.core.management import call_command

    (before,) = [c.password for c in credentials.credentials_of(pg, with_passwords=True)]
    new_key = "hX4D5rJ0qmO6v2XU3Gq8b7o1kQm9n2TtQWZs3mY8p0A="
    with override_settings(
        CREDENTIALS_ENCRYPTION_KEYS=[new_key, *settings.CREDENTIALS_ENCRYPTION_KEYS]
    ):
        call_command("rotate_credentials_key", stdout=io.StringIO())
    with override_settings(CREDENTIALS_ENCRYPTION_KEYS=[new_key]):
        assert [c.password for c in credentials.credentials_of(pg, with_passwords=True)] == [before]
