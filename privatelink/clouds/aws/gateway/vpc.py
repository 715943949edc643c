"""EC2 networking of a Project VPC: the VPC, its subnets and the zones they go in."""

import ipaddress
from dataclasses import dataclass
from typing import Any

from privatelink.clouds.aws.gateway.calls import AwsCalls, unless_gone
from privatelink.clouds.aws.gateway.tags import (
    TAG_OWNER,
    Tagged,
    is_ours,
    ownership_tags,
    tag_dict,
    tag_list,
)


@dataclass(frozen=True)
class AwsSubnet(Tagged):
    subnet_id: str
    availability_zone: str
    # The same physical zone in every account, unlike the zone's name.
    availability_zone_id: str
    cidr: str

    def entry(self) -> dict[str, str]:
        """The subnet as a Project VPC row records it."""
        return {
            "subnet_id": self.subnet_id,
            "availability_zone": self.availability_zone,
            "availability_zone_id": self.availability_zone_id,
            "cidr": self.cidr,
        }

    def overlaps(self, cidr: str) -> bool:
        return ipaddress.ip_network(self.cidr).overlaps(ipaddress.ip_network(cidr))


def _subnet(answer: Any) -> AwsSubnet:
    return AwsSubnet(
        subnet_id=answer["SubnetId"],
        availability_zone=answer["AvailabilityZone"],
        availability_zone_id=answer.get("AvailabilityZoneId", ""),
        cidr=answer["CidrBlock"],
        tags=tag_dict(answer.get("Tags")),
    )


class VpcOperations(AwsCalls):
    def find_vpc(self, owner: str) -> str | None:
        answer = self._call(
            self._ec2.describe_vpcs, Filters=[{"Name": f"tag:{TAG_OWNER}", "Values": [owner]}]
        )
        for vpc in answer.get("Vpcs", []):
            tags = tag_dict(vpc.get("Tags"))
            if is_ours(tags) and tags[TAG_OWNER] == owner:
                return str(vpc["VpcId"])
        return None

    def create_vpc(self, cidr: str, owner: str) -> str:
        answer = self._call(
            self._ec2.create_vpc,
            CidrBlock=cidr,
            TagSpecifications=[{"ResourceType": "vpc", "Tags": tag_list(ownership_tags(owner))}],
        )
        return str(answer["Vpc"]["VpcId"])

    def availability_zones(self) -> list[str]:
        answer = self._call(
            self._ec2.describe_availability_zones,
            Filters=[{"Name": "state", "Values": ["available"]}],
        )
        return sorted(z["ZoneName"] for z in answer.get("AvailabilityZones", []))

    def subnets(self, vpc_id: str) -> list[dict[str, str]]:
        """Each subnet's id, zone name, zone ID (the same physical zone in every account)
        and range."""
        return [s.entry() for s in self.tagged_subnets(vpc_id)]

    def tagged_subnets(self, vpc_id: str) -> list[AwsSubnet]:
        """The VPC's subnets with their tags: who made each is read from them."""
        answer = self._call(
            self._ec2.describe_subnets, Filters=[{"Name": "vpc-id", "Values": [vpc_id]}]
        )
        return [_subnet(s) for s in answer.get("Subnets", []) if s.get("VpcId") == vpc_id]

    def create_subnet(self, vpc_id: str, cidr: str, zone: str, owner: str) -> dict[str, str]:
        answer = self._call(
            self._ec2.create_subnet,
            VpcId=vpc_id,
            CidrBlock=cidr,
            AvailabilityZone=zone,
            TagSpecifications=[{"ResourceType": "subnet", "Tags": tag_list(ownership_tags(owner))}],
        )
        return _subnet(answer["Subnet"]).entry()

    def delete_subnet(self, subnet_id: str) -> None:
        unless_gone(lambda: self._call(self._ec2.delete_subnet, SubnetId=subnet_id))

    def delete_vpc(self, vpc_id: str) -> None:
        unless_gone(lambda: self._call(self._ec2.delete_vpc, VpcId=vpc_id))
