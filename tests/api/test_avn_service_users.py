"""`avn service user-create / user-list / user-get / user-delete` through the real client:
each new user has its own password and, on Kafka, its own certificate; the primary user
stays; only writers change users, and every change is audited."""

import subprocess

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID

from console import credentials
from console.models import AuditEvent, ProjectCA, ServiceUser
from tests.factories import ServiceFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("queued")]

PROJECT = ("--project", "demo")


def _secrets(service, username):
    (found,) = [
        c
        for c in credentials.credentials_of(service, with_passwords=True)
        if c.username == username
    ]
    return found


def test_user_create_gives_a_kafka_user_its_own_password_and_certificate(
    avn, service, developer, tmp_path
):
    created = avn("service", "user-create", "my-kafka", *PROJECT, "--username", "app-orders")
    assert created.returncode == 0, created.stderr

    new, primary = _secrets(service, "app-orders"), _secrets(service, "avnadmin")
    assert new.type == ServiceUser.Type.NORMAL
    assert new.password
    assert new.password != primary.password
    assert new.access_cert
    assert new.access_cert != primary.access_cert
    certificate = x509.load_pem_x509_certificate(new.access_cert.encode())
    (name,) = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    assert name.value == "app-orders"
    (tmp_path / "ca.pem").write_text(ProjectCA.objects.get().certificate)
    (tmp_path / "service.cert").write_text(new.access_cert)
    verified = subprocess.run(
        ["openssl", "verify", "-CAfile", tmp_path / "ca.pem", tmp_path / "service.cert"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert verified.returncode == 0, verified.stderr
    event = AuditEvent.objects.get(action="service_user.create", service=service)
    assert (event.actor, event.after) == (
        developer,
        {"username": "app-orders", "certificate": True},
    )
    assert new.password not in str(event.after)


def test_user_list_and_user_get_show_the_users(avn, service):
    avn("service", "user-create", "my-kafka", *PROJECT, "--username", "app-orders")
    listed = avn("service", "user-list", "my-kafka", *PROJECT, "--json")
    assert listed.returncode == 0, listed.stderr
    assert [(u["username"], u["type"]) for u in listed.json()] == [
        ("avnadmin", "primary"),
        ("app-orders", "normal"),
    ]
    got = avn("service", "user-get", "my-kafka", *PROJECT, "--username", "app-orders", "--json")
    assert got.returncode == 0, got.stderr
    assert got.json()["password"] == _secrets(service, "app-orders").password


def test_user_create_on_pg_gives_a_password_and_no_certificate(avn, project):
    pg = ServiceFactory(project=project, name="my-pg", service_type="pg", nodes=1)
    created = avn("service", "user-create", "my-pg", *PROJECT, "--username", "reporting")
    assert created.returncode == 0, created.stderr
    user = ServiceUser.objects.get(service=pg, username="reporting")
    assert user.password_encrypted
    assert (user.access_cert, user.access_key_encrypted) == ("", "")


def test_user_create_refuses_a_taken_or_malformed_name(avn, service):
    taken = avn("service", "user-create", "my-kafka", *PROJECT, "--username", "avnadmin")
    assert taken.returncode != 0
    assert "my-kafka already has a user avnadmin." in taken.stdout + taken.stderr
    bad = avn("service", "user-create", "my-kafka", *PROJECT, "--username", "Bad Name!")
    assert bad.returncode != 0
    assert "Invalid user name 'Bad Name!'" in bad.stdout + bad.stderr
    assert list(ServiceUser.objects.values_list("username", flat=True)) == ["avnadmin"]


def test_user_delete_removes_a_user_and_is_audited(avn, service, developer):
    avn("service", "user-create", "my-kafka", *PROJECT, "--username", "app-orders")
    deleted = avn("service", "user-delete", "my-kafka", *PROJECT, "--username", "app-orders")
    assert deleted.returncode == 0, deleted.stderr
    assert not ServiceUser.objects.filter(username="app-orders").exists()
    event = AuditEvent.objects.get(action="service_user.delete", service=service)
    assert (event.actor, event.before) == (developer, {"username": "app-orders", "type": "normal"})


def test_the_primary_user_cannot_be_deleted(avn, service):
    refused = avn("service", "user-delete", "my-kafka", *PROJECT, "--username", "avnadmin")
    assert refused.returncode != 0
    assert "avnadmin is the primary user of my-kafka and cannot be deleted" in refused.stderr
    assert ServiceUser.objects.filter(username="avnadmin").exists()
    assert not AuditEvent.objects.filter(action="service_user.delete").exists()


def test_read_only_member_can_list_but_not_create_or_delete(avn, service, read_only_token):
    created = avn("service", "user-create", "my-kafka", *PROJECT, "--username", "x",
                  token=read_only_token)  # fmt: skip
    assert created.returncode != 0
    deleted = avn("service", "user-delete", "my-kafka", *PROJECT, "--username", "avnadmin",
                  token=read_only_token)  # fmt: skip
    assert deleted.returncode != 0
    assert list(ServiceUser.objects.values_list("username", flat=True)) == ["avnadmin"]
    listed = avn("service", "user-list", "my-kafka", *PROJECT, "--json", token=read_only_token)
    assert listed.json() == [{"username": "avnadmin", "type": "primary"}]


def test_users_of_an_unknown_service_or_user_answer_json_404(api, service):
    missing = api.post("/v1/project/demo/service/nope/user", {"username": "a"})
    assert missing.status_code == 404
    assert missing.json()["message"]
    gone = api.delete("/v1/project/demo/service/my-kafka/user/nobody")
    assert gone.status_code == 404
    assert gone.json()["message"] == "Service my-kafka has no user nobody."
