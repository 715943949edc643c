"""`avn service privatelink azure ...`, the real client, against the console's API: what it
sends is taken, what it prints is what the platform's would."""

import pytest

from privatelink.models import PrivateLink, PrivateLinkConnection
from tests.factories import ConnectionFactory

pytestmark = pytest.mark.django_db(transaction=True)

SUB_A = "00000000-0000-0000-0000-000000000001"
SUB_B = "00000000-0000-0000-0000-000000000002"
PROJECT = ("--project", "demo")
AZURE = ("service", "privatelink", "azure")


def test_the_azure_commands_of_avn(avn, queued, azure_service, developer):
    created = avn(*AZURE, "create", "my-kafka-az", *PROJECT,
                  "--user-subscription-id", SUB_A, "--json")  # fmt: skip
    assert created.json() == [
        {
            "azure_service_alias": None,
            "azure_service_id": None,
            "state": "creating",
            "user_subscription_ids": [SUB_A],
        }
    ]
    updated = avn(*AZURE, "update", "my-kafka-az", *PROJECT, "--user-subscription-id", SUB_A,
                  "--user-subscription-id", SUB_B, "--json")  # fmt: skip
    assert updated.json()[0]["user_subscription_ids"] == [SUB_A, SUB_B]
    got = avn(*AZURE, "get", "my-kafka-az", *PROJECT, "--json").json()[0]
    assert (got["state"], got["user_subscription_ids"]) == ("creating", [SUB_A, SUB_B])
    assert avn(*AZURE, "refresh", "my-kafka-az", *PROJECT).returncode == 0

    link = PrivateLink.objects.get(service=azure_service)
    endpoint = (
        f"/subscriptions/{SUB_A}/resourceGroups/customer/providers/"
        "Microsoft.Network/privateEndpoints/pe-1"
    )
    waiting = ConnectionFactory(
        privatelink=link,
        state=PrivateLinkConnection.State.PENDING_USER_APPROVAL,
        endpoint_id=endpoint,
        owner=SUB_A,
        dns_name="",
    )
    plc = waiting.privatelink_connection_id
    listed = avn(*AZURE, "connection", "list", "my-kafka-az", *PROJECT)
    assert listed.returncode == 0
    assert plc in listed.stdout
    assert "pending-user-approval" in listed.stdout
    approved = avn(*AZURE, "connection", "approve", "my-kafka-az", plc, *PROJECT, "--json")
    assert approved.json()[0]["state"] == "user-approved"
    addressed = avn(*AZURE, "connection", "update", "my-kafka-az", plc, *PROJECT,
                    "--endpoint-ip-address", "10.1.0.5", "--json")  # fmt: skip
    assert addressed.json() == [
        {
            "private_endpoint_id": endpoint,
            "privatelink_connection_id": plc,
            "state": "user-approved",
            "user_ip_address": "10.1.0.5",
        }
    ]
    deleted = avn(*AZURE, "delete", "my-kafka-az", *PROJECT, "--json").json()[0]
    assert deleted["state"] == "deleting"


def test_avn_says_what_to_fix(avn, queued, azure_service, developer):
    missing = avn(*AZURE, "create", "my-kafka-az", *PROJECT)
    assert missing.returncode != 0
    assert "--user-subscription-id 00000000-0000-0000-0000-000000000001" in missing.stderr
    avn(*AZURE, "create", "my-kafka-az", *PROJECT, "--user-subscription-id", SUB_A)
    wrong = avn(*AZURE, "connection", "update", "my-kafka-az", "plc-none", *PROJECT,
                "--endpoint-ip-address", "8.8.8.8")  # fmt: skip
    assert wrong.returncode != 0
    assert "8.8.8.8 is not a private address" in wrong.stderr
    assert not PrivateLinkConnection.objects.exists()
