"""The management commands: the demo seed and issuing API tokens."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from console import signals
from console.models import ApiToken, AuditEvent, Membership, ProjectVPC, Service, User
from console.models.tokens import hash_token


@pytest.fixture
def var_dir(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    return tmp_path


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_builds_the_documented_example(db, var_dir, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo passphrase 2026")

    output = seed()

    demo = User.objects.get(email="demo@example.com")
    assert demo.check_password("demo passphrase 2026")
    assert Membership.objects.get(user=demo, project__name="demo").role == "admin"
    viewer = Membership.objects.get(user__email="viewer@example.com", project__name="demo")
    assert viewer.role == "read_only"
    vpc = ProjectVPC.objects.get(project__name="demo", cloud="aws-eu-west-1")
    assert (vpc.cidr, vpc.state) == ("10.0.0.0/16", "creating")
    kafka = Service.objects.get(project__name="demo", name="my-kafka")
    assert (kafka.service_type, kafka.plan, kafka.project_vpc) == ("kafka", "business-4", vpc)
    assert kafka.nodes.count() == 3
    assert Service.objects.get(name="my-pg").nodes.count() == 2
    # In Azure, away from azure-westeurope, where the README's walkthrough makes its own VPC.
    azure_vpc = ProjectVPC.objects.get(project__name="demo", cloud="azure-eastus")
    assert (azure_vpc.cidr, azure_vpc.state) == ("10.30.0.0/16", "creating")
    azure_kafka = Service.objects.get(project__name="demo", name="my-kafka-eastus")
    assert (azure_kafka.service_type, azure_kafka.cloud, azure_kafka.project_vpc) == (
        "kafka",
        "azure-eastus",
        azure_vpc,
    )
    assert azure_kafka.nodes.count() == 3
    # In Google, away from google-europe-west1 and clear of the PSC NAT range 172.24.0.0/16.
    google_vpc = ProjectVPC.objects.get(project__name="demo", cloud="google-us-east1")
    assert (google_vpc.cidr, google_vpc.state) == ("10.40.0.0/16", "creating")
    google_pg = Service.objects.get(project__name="demo", name="my-pg-useast")
    assert (google_pg.service_type, google_pg.cloud, google_pg.project_vpc) == (
        "pg",
        "google-us-east1",
        google_vpc,
    )
    assert google_pg.nodes.count() == 2
    assert set(Service.objects.values_list("name", flat=True)) == {
        "my-kafka",
        "my-pg",
        "my-kafka-eastus",
        "my-pg-useast",
    }
    assert set(AuditEvent.objects.values_list("action", flat=True)) == {
        "project_vpc.create",
        "service.create",
    }
    assert "demo passphrase 2026" in output


def test_seed_announces_the_new_project_vpc_on_commit(
    db, var_dir, django_capture_on_commit_callbacks
):
    received = []

    def receiver(sender, project_vpc, **kwargs):
        received.append(project_vpc.cidr)

    signals.project_vpc_requested.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            seed()
    finally:
        signals.project_vpc_requested.disconnect(receiver)

    assert sorted(received) == ["10.0.0.0/16", "10.30.0.0/16", "10.40.0.0/16"]


def test_seed_run_again_keeps_data_and_asks_the_engine_to_rebuild(db, var_dir):
    seed()
    first_ids = sorted(Service.objects.values_list("pk", flat=True))
    received = []

    def receiver(sender, project_vpc, **kwargs):
        received.append(project_vpc.pk)

    signals.project_vpc_requested.connect(receiver)
    try:
        seed()
    finally:
        signals.project_vpc_requested.disconnect(receiver)

    assert sorted(Service.objects.values_list("pk", flat=True)) == first_ids
    assert ProjectVPC.objects.count() == 3
    assert User.objects.count() == 2
    assert sorted(received) == sorted(ProjectVPC.objects.values_list("pk", flat=True))


def test_generated_demo_password_is_printed_and_kept_for_the_next_run(db, var_dir):
    output = seed()
    password = (var_dir / "demo-password").read_text().strip()

    assert len(password) >= 12
    assert password in output
    assert (var_dir / "demo-password").stat().st_mode & 0o077 == 0
    seed()
    assert User.objects.get(email="demo@example.com").check_password(password)


def test_create_api_token_prints_the_token_alone_on_the_last_line(db, developer):
    out, err = StringIO(), StringIO()

    call_command(
        "create_api_token", "DEV@example.com", description="laptop", stdout=out, stderr=err
    )

    token = out.getvalue().strip().splitlines()[-1]
    row = ApiToken.objects.get(user=developer)
    assert row.token_hash == hash_token(token)
    assert row.description == "laptop"
    assert token not in err.getvalue()
    event = AuditEvent.objects.get(action="api_token.create")
    assert event.after == {
        "owner": "dev@example.com",
        "token": row.prefix,
        "description": "laptop",
        "max_age_seconds": None,
        "extend_when_used": False,
    }
    assert token not in str(event.after)


def test_create_api_token_for_an_unknown_email_says_so(db):
    with pytest.raises(CommandError, match=r"No user with the email address 'nobody@example\.com'"):
        call_command("create_api_token", "nobody@example.com")

    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.exists()


def test_the_demos_azure_service_is_listed_and_offers_an_azure_privatelink(db, var_dir, client):
    seed()
    client.force_login(User.objects.get(email="demo@example.com"))

    listing = client.get("/projects/demo/")
    page = client.get("/projects/demo/services/my-kafka-eastus/privatelink/")

    assert 'href="/projects/demo/services/my-kafka-eastus/"' in listing.content.decode()
    text = page.content.decode()
    assert page.status_code == 200
    assert "PrivateLink is available in azure-eastus, at USD 0.0650 per hour." in text
    assert 'name="subscriptions"' in text
    assert "Principal to allow" not in text
