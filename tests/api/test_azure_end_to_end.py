"""Azure Private Link through the JSON API alone, carried out by the engine in the fake
Azure, with the customer's private endpoint made by the real SDK: what `avn service
privatelink azure ...` sees at each step."""

import pytest

from privatelink import hosts
from privatelink.models import PrivateLink
from tests.clouds.azure.conftest import CUSTOMER, azure_settings  # noqa: F401 - fixture
from tests.privatelink.engine import converge

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("queued", "azure_settings")]

AZURE = "/v1/project/demo/service/my-kafka-az/privatelink/azure"


def test_an_azure_link_and_its_connection_through_the_api(api, fake_azure, fake_aws, azure_service):
    created = api.post(AZURE, {"user_subscription_ids": [CUSTOMER]}).json()
    assert (created["state"], created["azure_service_alias"]) == ("creating", None)

    converge(azure_service)
    shown = api.get(AZURE).json()
    assert shown["state"] == "active"
    assert shown["azure_service_alias"].endswith(".westeurope.azure.privatelinkservice")

    fake_azure.customer(CUSTOMER).create_endpoint(shown["azure_service_alias"])
    api.post(f"{AZURE}/refresh")
    converge(azure_service)
    [waiting] = api.get(f"{AZURE}/connections").json()["connections"]
    assert waiting["state"] == "pending-user-approval"

    path = f"{AZURE}/connections/{waiting['privatelink_connection_id']}"
    api.post(f"{path}/approve")
    converge(azure_service)
    [approved] = api.get(f"{AZURE}/connections").json()["connections"]
    assert approved["state"] == "connected"

    api.put(path, {"user_ip_address": "10.1.0.5"})
    converge(azure_service)
    [in_use] = api.get(f"{AZURE}/connections").json()["connections"]
    assert (in_use["state"], in_use["user_ip_address"]) == ("active", "10.1.0.5")

    route53 = fake_aws.client("route53")
    host = hosts.connection_host(azure_service, 1) + "."
    records = {
        (r["Name"], r["Type"]): r["ResourceRecords"][0]["Value"]
        for zone in route53.list_hosted_zones()["HostedZones"]
        for r in route53.list_resource_record_sets(HostedZoneId=zone["Id"])["ResourceRecordSets"]
    }
    assert records[(host, "A")] == "10.1.0.5"

    api.delete(AZURE)
    converge(azure_service)
    assert not PrivateLink.objects.filter(service=azure_service).exists()
