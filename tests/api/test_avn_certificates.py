"""The project's CA and Kafka users' client certificates through the real `avn`: the files
it writes verify with openssl, each key matches its certificate, and read-only members get
the CA but never a certificate or key."""

import importlib
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID
from django.apps import apps

from console.models import ProjectCA, ServiceUser

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("queued")]

PROJECT = ("--project", "demo")


def _openssl_verify(ca: Path, cert: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["openssl", "verify", "-CAfile", str(ca), str(cert)],
        capture_output=True,
        text=True,
        check=False,
    )


def _key_matches(cert_pem: str, key_pem: str) -> bool:
    certificate = x509.load_pem_x509_certificate(cert_pem.encode())
    key = serialization.load_pem_private_key(key_pem.encode(), password=None)
    raw = serialization.PublicFormat.SubjectPublicKeyInfo
    encoding = serialization.Encoding.DER
    return certificate.public_key().public_bytes(encoding, raw) == key.public_key().public_bytes(
        encoding, raw
    )


def _common_name(cert_pem: str) -> str:
    certificate = x509.load_pem_x509_certificate(cert_pem.encode())
    (name,) = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(name.value)


def test_ca_get_and_creds_download_write_files_that_openssl_verifies(
    avn, service, developer, tmp_path
):
    ca_file = tmp_path / "ca.pem"
    creds = tmp_path / "creds"
    got = avn("project", "ca-get", *PROJECT, "--target-filepath", str(ca_file))
    assert got.returncode == 0, got.stderr
    down = avn("service", "user-creds-download", "my-kafka", *PROJECT,
               "--username", "avnadmin", "-d", str(creds))  # fmt: skip
    assert down.returncode == 0, down.stderr

    ca_pem, cert, key = (creds / name for name in ("ca.pem", "service.cert", "service.key"))
    assert ca_file.read_text() == ca_pem.read_text() == ProjectCA.objects.get().certificate
    assert all(f.stat().st_size > 0 for f in (ca_pem, cert, key))
    verified = _openssl_verify(ca_file, cert)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert verified.stdout.strip() == f"{cert}: OK"
    assert _key_matches(cert.read_text(), key.read_text())
    assert _common_name(cert.read_text()) == "avnadmin"


def test_secrets_are_encrypted_at_rest(service):
    user = ServiceUser.objects.get(service=service, username="avnadmin")
    ca = ProjectCA.objects.get(project=service.project)
    assert "BEGIN CERTIFICATE" in user.access_cert
    for token in (user.access_key_encrypted, ca.private_key_encrypted):
        assert token.startswith("gAAAAA")
        assert "PRIVATE KEY" not in token


def test_read_only_member_gets_the_ca_but_neither_certificate_nor_key(
    avn, service, read_only_token, tmp_path
):
    creds = tmp_path / "creds"
    down = avn("service", "user-creds-download", "my-kafka", *PROJECT,
               "--username", "avnadmin", "-d", str(creds), token=read_only_token)  # fmt: skip
    assert (creds / "ca.pem").read_text() == ProjectCA.objects.get().certificate
    assert not (creds / "service.cert").exists()
    assert not (creds / "service.key").exists()
    assert "does not have certificate and key" in down.stdout + down.stderr


def test_outsider_gets_404_for_the_ca(api, service, outsider_token):
    response = api.as_token(outsider_token).get("/v1/project/demo/kms/ca")
    assert response.status_code == 404
    assert "BEGIN CERTIFICATE" not in response.content.decode()


def test_the_ca_is_made_once_per_project(api, project):
    first = api.get("/v1/project/demo/kms/ca").json()["certificate"]
    second = api.get("/v1/project/demo/kms/ca").json()["certificate"]
    assert first == second
    assert ProjectCA.objects.filter(project=project).count() == 1


def test_api_users_carry_certificate_and_key_for_writers_only(api, service, read_only_token):
    (user,) = api.get("/v1/project/demo/service/my-kafka").json()["service"]["users"]
    assert _key_matches(user["access_cert"], user["access_key"])
    assert user["access_cert_not_valid_after_time"].endswith("Z")
    (hidden,) = (
        api.as_token(read_only_token).get("/v1/project/demo/service/my-kafka").json()["service"]
    )["users"]
    assert hidden == {"username": "avnadmin", "type": "primary"}


def test_pg_users_have_no_certificate(api, project):
    from tests.factories import ServiceFactory

    ServiceFactory(project=project, name="my-pg", service_type="pg", nodes=1)
    (user,) = api.get("/v1/project/demo/service/my-pg").json()["service"]["users"]
    assert "access_cert" not in user
    assert "access_key" not in user
    assert ServiceUser.objects.get(username="avnadmin").access_key_encrypted == ""


def test_migration_gives_existing_kafka_users_a_certificate(service, tmp_path):
    ServiceUser.objects.update(access_cert="", access_key_encrypted="")
    ProjectCA.objects.all().delete()
    migration = importlib.import_module(
        "console.migrations.0011_client_certificates_for_kafka_users"
    )
    migration.issue_certificates(apps, None)

    user = ServiceUser.objects.get(service=service)
    ca = ProjectCA.objects.get(project=service.project)
    (tmp_path / "ca.pem").write_text(ca.certificate)
    (tmp_path / "service.cert").write_text(user.access_cert)
    assert _openssl_verify(tmp_path / "ca.pem", tmp_path / "service.cert").returncode == 0
    assert user.password_encrypted  # the row kept its password


def test_rotate_command_moves_client_and_ca_keys_to_the_newest_key(service):
    import io

    from django.conf import settings
    from django.core.management import call_command
    from django.test import override_settings

    from console import credentials

    (before,) = credentials.credentials_of(service, with_passwords=True)
    ca_key = credentials.decrypt(ProjectCA.objects.get().private_key_encrypted)
    new_key = "hX4D5rJ0qmO6v2XU3Gq8b7o1kQm9n2TtQWZs3mY8p0A="
    with override_settings(
        CREDENTIALS_ENCRYPTION_KEYS=[new_key, *settings.CREDENTIALS_ENCRYPTION_KEYS]
    ):
        call_command("rotate_credentials_key", stdout=io.StringIO())
    with override_settings(CREDENTIALS_ENCRYPTION_KEYS=[new_key]):
        (after,) = credentials.credentials_of(service, with_passwords=True)
        assert after.access_key == before.access_key is not None
        assert credentials.decrypt(ProjectCA.objects.get().private_key_encrypted) == ca_key


def test_kcat_connection_info_writes_the_files_its_command_names(avn, service, tmp_path):
    ca, cert, key = tmp_path / "ca.pem", tmp_path / "service.crt", tmp_path / "service.key"
    kcat = avn("service", "connection-info", "kcat", "my-kafka", *PROJECT, "--ca", str(ca),
               "--client-cert", str(cert), "--client-key", str(key), "-W")  # fmt: skip
    assert kcat.returncode == 0, kcat.stderr
    assert f"ssl.certificate.location={cert}" in kcat.stdout
    assert _openssl_verify(ca, cert).returncode == 0
    assert _key_matches(cert.read_text(), key.read_text())
