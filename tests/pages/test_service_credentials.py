"""Connection information shows the service user, a masked password and, on Kafka, the
project's CA and the user's certificate and key: revealed or downloaded (audited, never
cached) only for members who may change the service, after they typed their password."""

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.test import override_settings

from console import credentials
from console.models import AuditEvent, ProjectCA
from console.reauth import WRONG_PASSWORD
from tests.constants import HTMX, PASSWORD
from tests.factories import ServiceFactory

OVERVIEW = "/projects/demo/services/my-kafka/"
REVEAL = OVERVIEW + "users/avnadmin/reveal"
CERT = OVERVIEW + "users/avnadmin/service.cert"
KEY = OVERVIEW + "users/avnadmin/service.key"
CA = "/projects/demo/ca.pem"


def _primary(service) -> credentials.Credentials:
    (user,) = credentials.credentials_of(service, with_passwords=True)
    assert user.password is not None
    return user


def _no_store(response) -> bool:
    return "no-store" in response["Cache-Control"]


def test_the_panel_shows_the_user_masked_secrets_and_the_ca_link(developer_client, service):
    html = developer_client.get(OVERVIEW).content.decode()
    user = _primary(service)
    assert 'data-copy="avnadmin"' in html
    for hidden in ("Password hidden.", "Certificate hidden.", "Key hidden."):
        assert hidden in html
    for button in ("reveal-password-avnadmin", "reveal-access_cert-avnadmin",
                   "reveal-access_key-avnadmin"):  # fmt: skip
        assert f'id="{button}"' in html
    assert f'href="{CA}"' in html
    assert f'href="{CERT}"' in html
    assert f'href="{KEY}"' in html
    assert user.password not in html
    assert user.access_key is not None
    assert user.access_key not in html


def test_reveal_first_asks_for_the_password_and_shows_nothing(developer_client, service):
    response = developer_client.post(REVEAL, {"secret": "password"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert _no_store(response)
    assert 'type="password" name="password"' in html
    assert "Your password, to reveal the password" in html
    assert _primary(service).password not in html
    assert not AuditEvent.objects.filter(action="service_user.reveal").exists()


def test_reveal_with_the_password_shows_it_with_copy_and_is_audited(
    developer_client, service, developer
):
    response = developer_client.post(REVEAL, {"secret": "password", "password": PASSWORD}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert _no_store(response)
    assert f'data-copy="{_primary(service).password}"' in html
    assert "<html" not in html  # the fragment alone, swapped into the panel
    event = AuditEvent.objects.get(action="service_user.reveal", service=service)
    assert (event.actor, event.after) == (developer, {"username": "avnadmin"})


def test_a_recent_confirmation_reveals_the_key_without_asking_again(
    developer_client, service, developer
):
    developer_client.post(REVEAL, {"secret": "password", "password": PASSWORD}, **HTMX)
    response = developer_client.post(REVEAL, {"secret": "access_key"}, **HTMX)
    html = response.content.decode()
    user = _primary(service)
    assert user.access_key is not None
    assert user.access_key.splitlines()[1] in html
    assert _no_store(response)
    event = AuditEvent.objects.get(action="service_user.reveal_access_key", service=service)
    assert (event.actor, event.after) == (developer, {"username": "avnadmin"})


@override_settings(REAUTH_SECONDS=0)
def test_the_confirmation_expires(developer_client, service):
    developer_client.post(REVEAL, {"secret": "password", "password": PASSWORD}, **HTMX)
    again = developer_client.post(REVEAL, {"secret": "access_key"}, **HTMX).content.decode()
    assert "Your password, to reveal the key" in again
    assert not AuditEvent.objects.filter(action="service_user.reveal_access_key").exists()


def test_a_wrong_password_reveals_nothing(developer_client, service):
    response = developer_client.post(REVEAL, {"secret": "password", "password": "nope"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 400
    assert WRONG_PASSWORD.replace("'", "&#x27;") in html
    assert 'aria-invalid="true"' in html
    assert _primary(service).password not in html
    assert not AuditEvent.objects.filter(action="service_user.reveal").exists()


def test_the_certificate_is_revealed_without_a_password(developer_client, service):
    response = developer_client.post(REVEAL, {"secret": "access_cert"}, **HTMX)
    cert = _primary(service).access_cert
    assert cert is not None
    assert cert.splitlines()[1] in response.content.decode()
    assert _no_store(response)


def test_read_only_member_sees_no_reveal_and_is_refused_secrets(read_only_client, service):
    html = read_only_client.get(OVERVIEW).content.decode()
    assert "Password hidden." in html
    assert "Reveal the" not in html
    assert f'href="{CA}"' in html
    assert f'href="{KEY}"' not in html
    assert f'href="{CERT}"' not in html
    for secret in ("password", "access_key", "access_cert"):
        response = read_only_client.post(REVEAL, {"secret": secret, "password": PASSWORD})
        assert response.status_code == 403
    assert read_only_client.get(KEY).status_code == 403
    assert read_only_client.get(CERT).status_code == 403
    assert not AuditEvent.objects.filter(action__startswith="service_user.").exists()


def test_every_member_downloads_the_ca(read_only_client, service):
    response = read_only_client.get(CA)
    assert response.content.decode() == ProjectCA.objects.get().certificate
    assert response["Content-Disposition"] == 'attachment; filename="ca.pem"'
    assert _no_store(response)


def test_the_certificate_downloads_for_writers(developer_client, service):
    response = developer_client.get(CERT)
    assert response.content.decode() == _primary(service).access_cert
    assert response["Content-Disposition"] == 'attachment; filename="service.cert"'
    assert _no_store(response)


def test_the_key_download_asks_for_the_password_then_is_audited(
    developer_client, service, developer
):
    asked = developer_client.get(KEY)
    assert asked.status_code == 302
    assert asked["Location"] == "/accounts/confirm/?next=" + KEY.replace("/", "%2F")
    assert not AuditEvent.objects.filter(action="service_user.download_access_key").exists()

    confirmed = developer_client.post("/accounts/confirm/", {"password": PASSWORD, "next": KEY})
    assert confirmed["Location"] == KEY
    response = developer_client.get(KEY)
    key = response.content.decode()
    assert response["Content-Disposition"] == 'attachment; filename="service.key"'
    assert _no_store(response)
    private = serialization.load_pem_private_key(key.encode(), password=None)
    cert = x509.load_pem_x509_certificate(str(_primary(service).access_cert).encode())
    assert private.public_key() == cert.public_key()
    event = AuditEvent.objects.get(action="service_user.download_access_key", service=service)
    assert (event.actor, event.after) == (developer, {"username": "avnadmin"})


def test_the_confirm_page_goes_nowhere_outside_the_console(developer_client, developer):
    response = developer_client.post(
        "/accounts/confirm/", {"password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/projects/"
    wrong = developer_client.post("/accounts/confirm/", {"password": "nope", "next": KEY})
    assert wrong.status_code == 400
    assert _no_store(wrong)


def test_outsider_gets_404_for_every_secret(outsider_client, service):
    for path in (CA, CERT, KEY):
        assert outsider_client.get(path).status_code == 404
    assert outsider_client.post(REVEAL, {"password": PASSWORD}).status_code == 404


def test_a_pg_service_shows_no_certificate(developer_client, project):
    ServiceFactory(project=project, name="my-pg", service_type="pg", nodes=1)
    html = developer_client.get("/projects/demo/services/my-pg/").content.decode()
    assert "Password hidden." in html
    assert "Certificate hidden." not in html
    assert "ca.pem" not in html
    response = developer_client.get("/projects/demo/services/my-pg/users/avnadmin/service.cert")
    assert response.status_code == 404


def test_an_unknown_secret_is_refused_by_name(developer_client, service):
    response = developer_client.post(REVEAL, {"secret": "ssh_key", "password": PASSWORD})
    assert response.status_code == 400
    assert response.content.decode() == (
        "Unknown secret 'ssh_key'; reveal one of password, access_cert, access_key."
    )
    assert not AuditEvent.objects.filter(action__startswith="service_user.").exists()
