"""How a Project VPC spans its region's zones: the first three, one subnet per zone in a
quarter of the VPC's range. Pure data, shared by the inventory (where nodes go) and the
PrivateLink side (what it builds in AWS and what it tells customers)."""

import ipaddress

from console import catalog

ZONE_COUNT = 3


def subnet_cidrs(cidr: str) -> list[str]:
    """The first ZONE_COUNT quarters of the VPC's range, one per zone, in zone order."""
    network = ipaddress.IPv4Network(cidr)
    return [str(s) for s in network.subnets(prefixlen_diff=2)][:ZONE_COUNT]


# Google names a region's zones `<region>-<letter>`, and most regions have no zone a.
GOOGLE_ZONE_LETTERS = "bcd"


def default_zone_names(cloud: str) -> list[str]:
    """The region's first zones by name, as a VPC not yet built will use them (AWS
    `eu-west-1a`, Google `europe-west1-b`)."""
    region = catalog.region_of(cloud)
    if catalog.get_cloud(cloud).provider == "google":
        return [f"{region}-{letter}" for letter in GOOGLE_ZONE_LETTERS[:ZONE_COUNT]]
    return [f"{region}{letter}" for letter in "abc"[:ZONE_COUNT]]


def zone_ids(subnets: list[dict[str, str]]) -> list[str]:
    """The zone IDs (`euw1-az1`) of a built Project VPC's subnets, as AWS reported them.

    Zone names map to physical zones differently in every AWS account; only the IDs mean
    the same zone in the customer's account and the platform's."""
    return sorted({s["availability_zone_id"] for s in subnets if s.get("availability_zone_id")})
