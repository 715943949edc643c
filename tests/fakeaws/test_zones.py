"""Zones as AWS has them: each account names the same physical zones (zone IDs) its own
way, and the customer's network is chosen by zone ID."""

import re

from fakeaws.__main__ import main
from tests.constants import CUSTOMER_ACCOUNT, CUSTOMER_ROLE, EXAMPLE_ACCOUNT, EXAMPLE_USER


def _zones(ec2) -> dict[str, str]:
    return {
        z["ZoneName"]: z["ZoneId"] for z in ec2.describe_availability_zones()["AvailabilityZones"]
    }


def test_each_account_maps_zone_names_to_the_same_zone_ids_its_own_way(fake_aws):
    platform = _zones(fake_aws.client("ec2"))
    customer = _zones(fake_aws.customer(CUSTOMER_ACCOUNT, CUSTOMER_ROLE).client("ec2"))

    assert platform == {
        "eu-west-1a": "euw1-az1",
        "eu-west-1b": "euw1-az2",
        "eu-west-1c": "euw1-az3",
    }
    assert customer == {
        "eu-west-1a": "euw1-az2",
        "eu-west-1b": "euw1-az3",
        "eu-west-1c": "euw1-az1",
    }


def test_a_subnet_reports_its_accounts_zone_id_and_can_be_made_by_zone_id(fake_aws):
    ec2 = fake_aws.customer(CUSTOMER_ACCOUNT, CUSTOMER_ROLE).client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.30.0.0/16")["Vpc"]["VpcId"]

    by_name = ec2.create_subnet(VpcId=vpc, CidrBlock="10.30.0.0/24", AvailabilityZone="eu-west-1a")
    by_id = ec2.create_subnet(VpcId=vpc, CidrBlock="10.30.1.0/24", AvailabilityZoneId="euw1-az1")

    assert (by_name["Subnet"]["AvailabilityZone"], by_name["Subnet"]["AvailabilityZoneId"]) == (
        "eu-west-1a",
        "euw1-az2",
    )
    described = ec2.describe_subnets(SubnetIds=[by_id["Subnet"]["SubnetId"]])["Subnets"][0]
    assert (described["AvailabilityZone"], described["AvailabilityZoneId"]) == (
        "eu-west-1c",
        "euw1-az1",
    )


def test_the_customer_network_has_one_subnet_per_zone_id_even_beside_a_second_subnet(fake_aws):
    customer = fake_aws.customer(EXAMPLE_ACCOUNT, EXAMPLE_USER)
    vpc_id, first = customer.network()
    ec2 = customer.client("ec2")
    # A second subnet in a zone the network already covers, tagged as the network's own.
    ec2.create_subnet(
        VpcId=vpc_id,
        CidrBlock="10.99.200.0/24",
        AvailabilityZoneId="euw1-az2",
        TagSpecifications=[
            {
                "ResourceType": "subnet",
                "Tags": [{"Key": "fakeaws:customer-network", "Value": "true"}],
            }
        ],
    )

    again = customer.network()

    zone_ids = [
        s["AvailabilityZoneId"] for s in ec2.describe_subnets(SubnetIds=again[1])["Subnets"]
    ]
    assert again[0] == vpc_id
    assert len(first) == len(again[1]) == 3
    assert sorted(zone_ids) == ["euw1-az1", "euw1-az2", "euw1-az3"]


def test_endpoint_service_ids_have_17_hex_digits_as_on_aws(platform):
    service = platform.service()

    assert re.fullmatch(r"vpce-svc-[0-9a-f]{17}", service["ServiceId"])
    assert service["ServiceName"] == f"com.amazonaws.vpce.eu-west-1.{service['ServiceId']}"


def test_reach_of_an_unknown_endpoint_fails_naming_it(fake_aws, capsys):
    code = main(
        ["customer", "--endpoint-url", fake_aws.endpoint_url, "reach",
         "--endpoint-id", "vpce-0000", "--host", "h.example.test", "--port", "10000"]
    )  # fmt: skip

    assert code == 1
    assert capsys.readouterr().err == "error: no VPC endpoint vpce-0000 in any account\n"
