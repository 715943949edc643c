"""Route 53: the platform's hosted zone (`privatelink.clouds.dns.DnsZone`), the CNAME or A
record of each privatelink host and the TXT record beside it that says which PrivateLink
owns it."""

from collections.abc import Collection, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Literal

from django.conf import settings

from privatelink.clouds.aws.gateway import clients
from privatelink.clouds.aws.gateway.calls import AwsCalls, unless_gone
from privatelink.clouds.aws.gateway.errors import Terminal
from privatelink.clouds.dns import A_RECORD, CNAME_RECORD, OWNER_RECORD_PREFIX, DnsRecord

if TYPE_CHECKING:
    from types_boto3_route53.type_defs import (
        ChangeTypeDef,
        ResourceRecordSetOutputTypeDef,
        ResourceRecordSetTypeDef,
    )

RECORD_TTL_SECONDS = 60


RecordKind = Literal["CNAME", "A", "TXT"]
# The kinds a host's own record may have (its owner is a TXT record one label below).
_HOST_KINDS: dict[str, RecordKind] = {CNAME_RECORD: "CNAME", A_RECORD: "A"}


def _record_set(kind: RecordKind, name: str, value: str) -> "ResourceRecordSetTypeDef":
    return {
        "Name": name,
        "Type": kind,
        "TTL": RECORD_TTL_SECONDS,
        "ResourceRecords": [{"Value": f'"{value}"' if kind == "TXT" else value}],
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

    def dns_records(self, zone_id: str, names: Collection[str]) -> dict[str, DnsRecord]:
        """The CNAME or A record and ownership record of each host in `names` that has
        either."""
        wanted = set(names)
        records: dict[str, DnsRecord] = {}
        found: Iterable[ResourceRecordSetOutputTypeDef] = self._paginate(
            self._route53, "list_resource_record_sets", "ResourceRecordSets", HostedZoneId=zone_id
        )
        for record in found:
            name = record["Name"].rstrip(".")
            values = [v.get("Value", "") for v in record.get("ResourceRecords") or []]
            value = values[0] if values else ""
            if record["Type"] in _HOST_KINDS and name in wanted:
                before = records.get(name, DnsRecord())
                records[name] = replace(before, target=value.rstrip("."), kind=record["Type"])
            host = name.removeprefix(OWNER_RECORD_PREFIX)
            if record["Type"] == "TXT" and name != host and host in wanted:
                before = records.get(host, DnsRecord())
                records[host] = replace(before, owner=value.strip('"'))
        return records

    def publish_cname(self, zone_id: str, name: str, target: str, owner: str) -> None:
        """The host's CNAME and its ownership record, written together (one change batch
        is applied whole or not at all)."""
        self._publish(zone_id, name, "CNAME", target, owner)

    def publish_a(self, zone_id: str, name: str, address: str, owner: str) -> None:
        """The host's A record and its ownership record, written together."""
        self._publish(zone_id, name, "A", address, owner)

    def _publish(self, zone_id: str, name: str, kind: RecordKind, target: str, owner: str) -> None:
        changes: list[ChangeTypeDef] = [
            {"Action": "UPSERT", "ResourceRecordSet": _record_set("TXT", _owner_name(name), owner)},
            {"Action": "UPSERT", "ResourceRecordSet": _record_set(kind, name, target)},
        ]
        self._call(
            self._route53.change_resource_record_sets,
            HostedZoneId=zone_id,
            ChangeBatch={"Changes": changes},
        )

    def delete_record(self, zone_id: str, name: str, record: DnsRecord) -> None:
        """Delete the host's record (CNAME or A) and ownership record, those that exist."""
        changes: list[ChangeTypeDef] = []
        if record.target:
            kind = _HOST_KINDS.get(record.kind, "CNAME")
            changes.append(
                {"Action": "DELETE", "ResourceRecordSet": _record_set(kind, name, record.target)}
            )
        if record.owner:
            owner = _record_set("TXT", _owner_name(name), record.owner)
            changes.append({"Action": "DELETE", "ResourceRecordSet": owner})
        if not changes:
            return
        unless_gone(
            lambda: self._call(
                self._route53.change_resource_record_sets,
                HostedZoneId=zone_id,
                ChangeBatch={"Changes": changes},
            )
        )


def _owner_name(host: str) -> str:
    return OWNER_RECORD_PREFIX + host
