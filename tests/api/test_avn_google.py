"""`avn service privatelink google ...`, the real client, against the console's API: what it
sends is taken, what it prints is what the platform's would."""

import json

import pytest

from privatelink.models import GooglePrivateLink, PrivateLink, PrivateLinkConnection
from tests.factories import ConnectionFactory

pytestmark = pytest.mark.django_db(transaction=True)

PROJECT = ("--project", "demo")
GOOGLE = ("service", "privatelink", "google")
ATTACHMENT = "projects/platform-psc/regions/europe-west1/serviceAttachments/pl-my-kafka-gcp"


def test_the_google_commands_of_avn(avn, queued, google_service, developer):
    created = avn(*GOOGLE, "create", "my-kafka-gcp", *PROJECT, "--json")
    assert created.json() == [{"google_service_attachment": None, "state": "creating"}]
    assert avn(*GOOGLE, "refresh", "my-kafka-gcp", *PROJECT).returncode == 0

    # The driver's part: the attachment built, then a customer's PSC endpoint found.
    link = PrivateLink.objects.get(service=google_service)
    link.google.save_changes(service_attachment=ATTACHMENT, status=GooglePrivateLink.READY)
    PrivateLink.objects.filter(pk=link.pk).update(state=PrivateLink.State.ACTIVE)
    got = avn(*GOOGLE, "get", "my-kafka-gcp", *PROJECT, "--json").json()
    assert got == [{"google_service_attachment": ATTACHMENT, "state": "active"}]
    waiting = ConnectionFactory(
        privatelink=link,
        state=PrivateLinkConnection.State.PENDING_USER_APPROVAL,
        endpoint_id="72000000000000001",
        owner="customer-project",
        dns_name="",
    )
    plc = waiting.privatelink_connection_id

    listed = avn(*GOOGLE, "connection", "list", "my-kafka-gcp", *PROJECT)
    assert listed.returncode == 0
    row = next(line for line in listed.stdout.splitlines() if line.startswith(plc))
    assert row.split() == [plc, "72000000000000001", "pending-user-approval"]
    approved = avn(*GOOGLE, "connection", "approve", "my-kafka-gcp", *PROJECT,
                   "--privatelink-connection-id", plc, "--user-ip-address", "10.2.0.5",
                   "--json")  # fmt: skip
    assert approved.json() == [
        {
            "privatelink_connection_id": plc,
            "psc_connection_id": "72000000000000001",
            "state": "user-approved",
            "user_ip_address": "10.2.0.5",
        }
    ]
    assert PrivateLink.objects.get(pk=link.pk).principals == ["customer-project"]
    listed = avn(*GOOGLE, "connection", "list", "my-kafka-gcp", *PROJECT, "--json")
    # avn prints the raw answer on a line of its own before the JSON asked for.
    printed = json.loads(listed.stdout.split("\n", 1)[1])
    assert [(c["state"], c["user_ip_address"]) for c in printed] == [("user-approved", "10.2.0.5")]

    deleted = avn(*GOOGLE, "delete", "my-kafka-gcp", *PROJECT, "--json").json()
    assert deleted == [{"google_service_attachment": ATTACHMENT, "state": "deleting"}]
    assert PrivateLink.objects.get(pk=link.pk).state == PrivateLink.State.DELETING


def test_avn_says_what_to_fix(avn, queued, google_service, developer):
    missing = avn(*GOOGLE, "get", "my-kafka-gcp", *PROJECT)
    assert missing.returncode != 0
    assert "Service my-kafka-gcp has no Google PrivateLink." in missing.stderr
    avn(*GOOGLE, "create", "my-kafka-gcp", *PROJECT)
    again = avn(*GOOGLE, "create", "my-kafka-gcp", *PROJECT)
    assert again.returncode != 0
    assert "my-kafka-gcp already has a PrivateLink." in again.stderr
    approve = (*GOOGLE, "connection", "approve", "my-kafka-gcp", *PROJECT)
    early = avn(
        *approve, "--privatelink-connection-id", "plc-none", "--user-ip-address", "10.2.0.5"
    )
    assert early.returncode != 0
    assert "still being created; approve once `avn service privatelink google get`" in early.stderr
    PrivateLink.objects.filter(service=google_service).update(state=PrivateLink.State.ACTIVE)
    wrong = avn(*approve, "--privatelink-connection-id", "plc-none", "--user-ip-address", "8.8.8.8")
    assert wrong.returncode != 0
    assert "8.8.8.8 is not a private address" in wrong.stderr
    unknown = avn(
        *approve, "--privatelink-connection-id", "plc-none", "--user-ip-address", "10.2.0.5"
    )
    assert unknown.returncode != 0
    assert "`avn service privatelink google connection list`" in unknown.stderr
    assert not PrivateLinkConnection.objects.exists()


def test_an_outsiders_avn_finds_no_service(avn, queued, google_service, outsider_token):
    answer = avn(*GOOGLE, "create", "my-kafka-gcp", *PROJECT, token=outsider_token)
    assert answer.returncode != 0
    assert not PrivateLink.objects.exists()
