"""The platform's side of PrivateLink, built through boto3 as the console builds it."""

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from fakeaws.pytest_plugin import FakeAws
from tests.constants import EXAMPLE_USER


@dataclass
class Platform:
    ec2: Any
    elbv2: Any
    vpc_id: str
    subnet_ids: list[str]
    _numbers: Iterator[int] = field(default_factory=itertools.count)

    def nlb(self, name: str = "pl-my-kafka") -> str:
        answer = self.elbv2.create_load_balancer(
            Name=name, Type="network", Scheme="internal", Subnets=self.subnet_ids
        )
        return str(answer["LoadBalancers"][0]["LoadBalancerArn"])

    def target_group(self, name: str = "pl-my-kafka-10000", port: int = 10000) -> str:
        answer = self.elbv2.create_target_group(
            Name=name,
            Protocol="TCP",
            Port=port,
            VpcId=self.vpc_id,
            TargetType="ip",
            HealthCheckIntervalSeconds=10,
        )
        return str(answer["TargetGroups"][0]["TargetGroupArn"])

    def listener(self, nlb_arn: str, target_group_arn: str, port: int = 10000) -> Any:
        return self.elbv2.create_listener(
            LoadBalancerArn=nlb_arn,
            Protocol="TCP",
            Port=port,
            DefaultActions=[{"Type": "forward", "TargetGroupArn": target_group_arn}],
        )["Listeners"][0]

    def service(
        self,
        principals: tuple[str, ...] = (EXAMPLE_USER,),
        acceptance_required: bool = True,
        tags: dict[str, str] | None = None,
        nlb_arn: str | None = None,
    ) -> dict[str, Any]:
        nlb_arn = nlb_arn or self.nlb(f"pl-service-{next(self._numbers)}")
        tag_list = [{"Key": k, "Value": v} for k, v in (tags or {}).items()]
        service: dict[str, Any] = self.ec2.create_vpc_endpoint_service_configuration(
            NetworkLoadBalancerArns=[nlb_arn],
            AcceptanceRequired=acceptance_required,
            TagSpecifications=[{"ResourceType": "vpc-endpoint-service", "Tags": tag_list}]
            if tag_list
            else [],
        )["ServiceConfiguration"]
        if principals:
            self.ec2.modify_vpc_endpoint_service_permissions(
                ServiceId=service["ServiceId"], AddAllowedPrincipals=list(principals)
            )
        return service

    def connections(self, **kwargs: Any) -> list[dict[str, Any]]:
        answer = self.ec2.describe_vpc_endpoint_connections(**kwargs)
        return list(answer["VpcEndpointConnections"])


@pytest.fixture
def platform(fake_aws: FakeAws) -> Platform:
    ec2 = fake_aws.client("ec2")
    vpc_id = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    subnet_ids = [
        ec2.create_subnet(VpcId=vpc_id, CidrBlock=f"10.20.{i}.0/24", AvailabilityZone=zone)[
            "Subnet"
        ]["SubnetId"]
        for i, zone in enumerate(["eu-west-1a", "eu-west-1b", "eu-west-1c"])
    ]
    return Platform(ec2, fake_aws.client("elbv2"), vpc_id, subnet_ids)
