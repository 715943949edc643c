"""Google Private Service Connect through the JSON API alone, carried out by the engine in
the fake Google, with the customer's PSC endpoints made by the real SDK: what `avn service
privatelink google ...` sees when one project connects two endpoints."""

import pytest

from privatelink import hosts
from privatelink.models import PrivateLink
from tests.clouds.google.conftest import CUSTOMER, google_settings  # noqa: F401 - fixture
from tests.privatelink.engine import converge

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("queued", "google_settings")]

GOOGLE = "/v1/project/demo/service/my-kafka-gcp/privatelink/google"


def _connections(api) -> dict[str, dict[str, str]]:
    listed = api.get(f"{GOOGLE}/connections").json()["connections"]
    return {c["psc_connection_id"]: c for c in listed}


def _approve(api, connection: dict[str, str], address: str) -> None:
    path = f"{GOOGLE}/connections/{connection['privatelink_connection_id']}/approve"
    assert api.post(path, {"user_ip_address": address}).json()["state"] == "user-approved"


def _a_records(fake_aws) -> dict[str, str]:
    route53 = fake_aws.client("route53")
    return {
        r["Name"]: r["ResourceRecords"][0]["Value"]
        for zone in route53.list_hosted_zones()["HostedZones"]
        for r in route53.list_resource_record_sets(HostedZoneId=zone["Id"])["ResourceRecordSets"]
        if r["Type"] == "A"
    }


def test_two_endpoints_of_one_project_are_each_approved_on_their_own(
    api, fake_google, fake_aws, google_service
):
    assert api.post(GOOGLE, {}).json()["state"] == "creating"
    converge(google_service)
    attachment = api.get(GOOGLE).json()["google_service_attachment"]
    customer = fake_google.customer(CUSTOMER)
    first = customer.create_endpoint(attachment, "first").psc_connection_id
    api.post(f"{GOOGLE}/refresh")
    converge(google_service)
    _approve(api, _connections(api)[first], "10.1.0.5")
    converge(google_service)

    second = customer.create_endpoint(attachment, "second").psc_connection_id
    api.post(f"{GOOGLE}/refresh")
    converge(google_service)

    shown = _connections(api)
    assert (shown[first]["state"], shown[first]["user_ip_address"]) == ("active", "10.1.0.5")
    assert (shown[second]["state"], shown[second]["user_ip_address"]) == (
        "pending-user-approval",
        "",
    )
    assert customer.endpoint("europe-west1", "second").status == "PENDING"

    _approve(api, shown[second], "10.1.0.6")
    converge(google_service)

    shown = _connections(api)
    assert {c["state"] for c in shown.values()} == {"active"}
    assert _a_records(fake_aws) == {
        hosts.connection_host(google_service, 1) + ".": "10.1.0.5",
        hosts.connection_host(google_service, 2) + ".": "10.1.0.6",
    }

    api.delete(GOOGLE)
    converge(google_service)
    assert not PrivateLink.objects.filter(service=google_service).exists()
    assert customer.endpoint("europe-west1", "first").status == "CLOSED"
