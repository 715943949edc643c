"""Availability zones as AWS has them: each account maps zone names to zone IDs its own way.

A zone ID (`euw1-az1`) is one physical zone in every account; a zone name (`eu-west-1a`) is
an account's alias for one of them. moto gives every account the same mapping; here each
account's names are rotated over the region's IDs by a hash of the account id, so that
account 111122223333's eu-west-1a is euw1-az2 while the platform's (123456789012) is
euw1-az1. `DescribeAvailabilityZones`, subnets' `AvailabilityZoneId` and `CreateSubnet`
with `AvailabilityZoneId` follow the caller's mapping.
"""

from __future__ import annotations

import hashlib
from typing import Any

from moto.ec2.models import EC2Backend
from moto.ec2.models.availability_zones_and_regions import RegionsAndZonesBackend, Zone
from moto.ec2.models.subnets import Subnet
from moto.utilities.utils import filter_resources

from fakeaws.patching import original, replace

ZONE_FILTERS = (
    ("zone-id", "zone_id"),
    ("zone-type", "zone_type"),
    ("zone-name", "name"),
    ("region-name", "region_name"),
    ("state", "state"),
)


def name_to_id(account_id: str, region: str) -> dict[str, str]:
    """The account's zone name -> zone ID mapping in `region`."""
    zones = [
        z
        for z in RegionsAndZonesBackend.zones.get(region, [])
        if z.zone_type == "availability-zone"
    ]
    names = sorted(z.name for z in zones)
    ids = sorted(z.zone_id for z in zones)
    if not ids:
        return {}
    offset = int(hashlib.sha256(account_id.encode()).hexdigest(), 16) % len(ids)
    return {name: ids[(i + offset) % len(ids)] for i, name in enumerate(names)}


def zone_id_of(account_id: str, region: str, zone_name: str) -> str:
    return name_to_id(account_id, region).get(zone_name, "")


def describe_availability_zones(
    self: EC2Backend,
    filters: list[dict[str, Any]] | None = None,
    zone_names: list[str] | None = None,
    zone_ids: list[str] | None = None,
) -> list[Zone]:
    mapping = name_to_id(self.account_id, self.region_name)
    zones = [
        Zone(z.name, z.region_name, mapping.get(z.name, z.zone_id), z.zone_type)
        for z in RegionsAndZonesBackend.zones.get(self.region_name, [])
    ]
    if filters:
        zones = filter_resources(zones, filters, ZONE_FILTERS)
    zones = [z for z in zones if not zone_ids or z.zone_id in zone_ids]
    return [z for z in zones if not zone_names or z.name in zone_names]


def subnet_zone_id(self: Subnet) -> str:
    backend = self.ec2_backend
    return zone_id_of(backend.account_id, backend.region_name, self.availability_zone) or str(
        self._availability_zone.zone_id
    )


def create_subnet(
    self: EC2Backend,
    vpc_id: str,
    cidr_block: str,
    ipv6_cidr_block: str | None = None,
    availability_zone: str | None = None,
    availability_zone_id: str | None = None,
    **kwargs: Any,
) -> Subnet:
    """A subnet asked for by zone ID goes in the zone the caller's account calls that way."""
    if availability_zone_id and not availability_zone:
        names = {i: n for n, i in name_to_id(self.account_id, self.region_name).items()}
        if availability_zone_id in names:
            availability_zone, availability_zone_id = names[availability_zone_id], None
    subnet: Subnet = original(EC2Backend, "create_subnet")(
        self,
        vpc_id,
        cidr_block,
        ipv6_cidr_block,
        availability_zone=availability_zone,
        availability_zone_id=availability_zone_id,
        **kwargs,
    )
    return subnet


def install() -> None:
    replace(EC2Backend, "describe_availability_zones", describe_availability_zones)
    replace(EC2Backend, "create_subnet", create_subnet)
    replace(Subnet, "availability_zone_id", property(subnet_zone_id))
