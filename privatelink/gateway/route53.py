"""Route 53: the platform's hosted zone and the CNAME record of each privatelink host."""

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Literal

from django.conf import settings

from privatelink.gateway import clients
from privatelink.gateway.calls import AwsCalls, unless_gone
from privatelink.gateway.errors import Terminal

if TYPE_CHECKING:
    from types_boto3_route53.type_defs import ChangeBatchTypeDef, ResourceRecordSetOutputTypeDef

RECORD_TTL_SECONDS = 60


def _cname_change(
    action: Literal["UPSERT", "DELETE"], name: str, target: str
) -> "ChangeBatchTypeDef":
    return {
        "Changes": [
            {
                "Action": action,
                "ResourceRecordSet": {
                    "Name": name,
                    "Type": "CNAME",
                    "TTL": RECORD_TTL_SECONDS,
                    "ResourceRecords": [{"Value": target}],
                },
            }
        ]
    }


class DnsOperations(AwsCalls):
    def hosted_zone(self, domain: str) -> str:
        """The platform's zone for `domain`: configured, found by name, or (fake AWS) created."""
        if settings.PRIVATELINK_HOSTED_ZONE_ID:
            return str(settings.PRIVATELINK_HOSTED_ZONE_ID)
        name = domain.rstrip(".") + "."
        answer = self._call(self._route53.list_hosted_zones_by_name, DNSName=name)
        for zone in answer.get("HostedZones", []):
            if zone["Name"] == name:
                return str(zone["Id"]).removeprefix("/hostedzone/")
        if clients.mode() != "fake":
            raise Terminal(
                "NoSuchHostedZone",
                f"No Route 53 zone {name}; set PRIVATELINK_HOSTED_ZONE_ID.",
                "list_hosted_zones_by_name",
            )
        created = self._call(
            self._route53.create_hosted_zone,
            Name=name,
            CallerReference=f"privatelink-console-{settings.DEPLOYMENT_ID}-{name}",
        )
        return str(created["HostedZone"]["Id"]).removeprefix("/hostedzone/")

    def cname_records(self, zone_id: str, matches: Callable[[str], bool]) -> dict[str, str]:
        """CNAME records whose name (without the final dot) `matches`: name -> target."""
        records: dict[str, str] = {}
        found: Iterable[ResourceRecordSetOutputTypeDef] = self._paginate(
            self._route53, "list_resource_record_sets", "ResourceRecordSets", HostedZoneId=zone_id
        )
        for record in found:
            name = record["Name"].rstrip(".")
            if record["Type"] == "CNAME" and matches(name):
                values = record.get("ResourceRecords") or []
                records[name] = values[0].get("Value", "").rstrip(".") if values else ""
        return records

    def upsert_cname(self, zone_id: str, name: str, target: str) -> None:
        self._call(
            self._route53.change_resource_record_sets,
            HostedZoneId=zone_id,
            ChangeBatch=_cname_change("UPSERT", name, target),
        )

    def delete_cname(self, zone_id: str, name: str, target: str) -> None:
        unless_gone(
            lambda: self._call(
                self._route53.change_resource_record_sets,
                HostedZoneId=zone_id,
                ChangeBatch=_cname_change("DELETE", name, target),
            )
        )
