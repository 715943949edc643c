"""The platform's DNS zones in the fake AWS, as the Azure and Google drivers leave them."""

from typing import Any


def record_sets(fake_aws, kinds: tuple[str, ...]) -> list[dict[str, Any]]:
    """Every record set of `kinds` ("A", "CNAME", ...) of every zone of the fake Route 53."""
    route53 = fake_aws.client("route53")
    return [
        record
        for zone in route53.list_hosted_zones()["HostedZones"]
        for record in route53.list_resource_record_sets(HostedZoneId=zone["Id"])[
            "ResourceRecordSets"
        ]
        if record["Type"] in kinds
    ]


def value_of(record: dict[str, Any]) -> str:
    return str(record["ResourceRecords"][0]["Value"])
