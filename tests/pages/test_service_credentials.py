"""Connection information shows the service user and a masked password, revealed (and
audited) only for members who may change the service."""

from console import credentials
from console.models import AuditEvent
from tests.constants import HTMX

OVERVIEW = "/projects/demo/services/my-kafka/"
REVEAL = OVERVIEW + "users/avnadmin/reveal"


def _password(service) -> str:
    (password,) = [c.password for c in credentials.credentials_of(service, with_passwords=True)]
    assert password is not None
    return password


def test_the_panel_shows_the_user_and_a_masked_password_with_reveal(developer_client, service):
    html = developer_client.get(OVERVIEW).content.decode()
    assert 'data-copy="avnadmin"' in html
    assert "Password hidden." in html
    assert "Reveal" in html
    assert _password(service) not in html


def test_reveal_shows_the_password_with_a_copy_button_and_is_audited(
    developer_client, service, developer
):
    response = developer_client.post(REVEAL, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-copy="{_password(service)}"' in html
    assert "<html" not in html  # the fragment alone, swapped into the panel
    event = AuditEvent.objects.get(action="service_user.reveal", service=service)
    assert (event.actor, event.after) == (developer, {"username": "avnadmin"})


def test_read_only_member_sees_no_reveal_and_is_refused_one(read_only_client, service):
    html = read_only_client.get(OVERVIEW).content.decode()
    assert "Password hidden." in html
    assert "Reveal the password" not in html
    response = read_only_client.post(REVEAL)
    assert response.status_code == 403
    assert _password(service) not in response.content.decode()
    assert not AuditEvent.objects.filter(action="service_user.reveal").exists()
