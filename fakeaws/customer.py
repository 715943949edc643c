"""The customer's side: an AWS account that creates an Interface endpoint to a service.

The helper reaches the customer account the way a customer's own tooling would reach a
different account: `sts:AssumeRole`, whose credentials moto maps to the role's account.
The identity that fake AWS checks against the allowed principals is the `principal`:

- a role ARN (`...:role/NAME`): that role is assumed, so requests are a session of it;
- a user ARN (`...:user/NAME`): an admin role is assumed to create the IAM user (once) and
  a fresh access key for it, and requests are signed with the user's own key;
- the account root (`...:root`): a role `fakeaws-customer` of that account is assumed;
  an allowed root admits every identity of its account, as in AWS.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
import environ

from fakeaws.addresses import (
    DEFAULT_PORT,
    HOST,
    PORT_ENV,
    PRINCIPAL_PATTERN,
    default_endpoint_url,
)

NETWORK_TAG = "fakeaws:customer-network"
CUSTOMER_ROLE = "fakeaws-customer"
ADMIN_ROLE = "fakeaws-customer-admin"
VPC_CIDR = "10.99.0.0/16"
ZONE_COUNT = 3
DUMMY_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


CHECKOUT = Path(__file__).resolve().parent.parent


def checkout_environment(variables: Mapping[str, str] | None = None) -> dict[str, str]:
    """The variables as this checkout's processes see them, read as console/settings.py
    reads them: the checkout's `.env` (which the first `make run` writes; ENV_FILE names
    another, empty names none), under the variables set now, which win."""
    variables = os.environ if variables is None else variables
    path = variables.get("ENV_FILE", str(CHECKOUT / ".env"))
    local: dict[str, str] = {}
    if path and Path(path).is_file():

        class IntoDict(environ.Env):
            ENVIRON = local  # read_env fills this instead of os.environ

        IntoDict.read_env(path)
    return {**local, **variables}


def fake_aws_url(variables: Mapping[str, str] | None = None) -> str:
    """Where this checkout's fake AWS listens, as `make run` starts it: on FAKEAWS_PORT when
    that is set now, else on the port of AWS_ENDPOINT_URL (set now or in `.env`, where the
    first `make run` records FAKEAWS_PORT), else on 5055."""
    variables = os.environ if variables is None else variables
    if PORT_ENV in variables:
        return default_endpoint_url()
    seen = checkout_environment(variables)
    if seen.get("AWS_ENDPOINT_URL"):
        return f"http://{HOST}:{urlsplit(seen['AWS_ENDPOINT_URL']).port or DEFAULT_PORT}"
    return f"http://{HOST}:{int(seen.get(PORT_ENV, DEFAULT_PORT))}"


@dataclass(frozen=True)
class Endpoint:
    id: str
    state: str
    dns_name: str
    service_name: str

    @classmethod
    def from_aws(cls, endpoint: dict[str, Any]) -> Endpoint:
        entries = endpoint.get("DnsEntries") or [{}]
        return cls(
            id=endpoint["VpcEndpointId"],
            state=endpoint["State"],
            dns_name=entries[0].get("DnsName", ""),
            service_name=endpoint["ServiceName"],
        )


class Customer:
    """One customer account, acting as `principal_arn`, against the fake AWS at endpoint_url."""

    def __init__(
        self,
        account_id: str,
        principal_arn: str,
        endpoint_url: str,
        region: str = "eu-west-1",
    ) -> None:
        match = PRINCIPAL_PATTERN.match(principal_arn)
        if not match:
            raise ValueError(f"{principal_arn!r} is not a root, user or role ARN without a path")
        if principal_arn.split(":")[4] != account_id:
            raise ValueError(f"{principal_arn!r} does not belong to account {account_id}")
        self.account_id = account_id
        self.principal_arn = principal_arn
        self.endpoint_url = endpoint_url
        self.region = region
        self.partition = match.group(1)
        self._credentials: dict[str, str] | None = None
        self._clients: dict[str, Any] = {}

    def client(self, service_name: str) -> Any:
        """A boto3 client of this customer, signed as the principal."""
        if service_name not in self._clients:
            self._clients[service_name] = _client(
                service_name, self.region, self.endpoint_url, self.credentials()
            )
        return self._clients[service_name]

    def credentials(self) -> dict[str, str]:
        if self._credentials is None:
            kind, _, name = self.principal_arn.split(":")[5].partition("/")
            if kind == "user":
                self._credentials = self._user_credentials(name)
            elif kind == "role":
                self._credentials = self._role_credentials(self.principal_arn)
            else:
                self._credentials = self._role_credentials(self._role_arn(CUSTOMER_ROLE))
        return self._credentials

    def _role_arn(self, name: str) -> str:
        return f"arn:{self.partition}:iam::{self.account_id}:role/{name}"

    def _role_credentials(self, role_arn: str) -> dict[str, str]:
        sts = _client("sts", self.region, self.endpoint_url, DUMMY_CREDENTIALS)
        credentials = sts.assume_role(RoleArn=role_arn, RoleSessionName="fakeaws-customer")[
            "Credentials"
        ]
        return {
            "aws_access_key_id": credentials["AccessKeyId"],
            "aws_secret_access_key": credentials["SecretAccessKey"],
            "aws_session_token": credentials["SessionToken"],
        }

    def _user_credentials(self, user_name: str) -> dict[str, str]:
        admin = self._role_credentials(self._role_arn(ADMIN_ROLE))
        iam = _client("iam", self.region, self.endpoint_url, admin)
        try:
            iam.get_user(UserName=user_name)
        except iam.exceptions.NoSuchEntityException:
            iam.create_user(UserName=user_name)
        # IAM allows two keys per user: at the limit, retire the oldest so the newer one
        # (perhaps still in use by another helper) keeps working.
        keys = iam.list_access_keys(UserName=user_name)["AccessKeyMetadata"]
        for key in sorted(keys, key=lambda k: k["CreateDate"])[: max(0, len(keys) - 1)]:
            iam.delete_access_key(UserName=user_name, AccessKeyId=key["AccessKeyId"])
        key = iam.create_access_key(UserName=user_name)["AccessKey"]
        return {
            "aws_access_key_id": key["AccessKeyId"],
            "aws_secret_access_key": key["SecretAccessKey"],
        }

    def network(self) -> tuple[str, list[str]]:
        """The customer's VPC and one subnet in each of three zone IDs, created once, tagged.

        Subnets are chosen by zone ID, never by name: this account's `eu-west-1a` need not
        be the platform's, and an endpoint's interface reaches the service's NLB only
        through the NLB's node in the same physical zone."""
        ec2 = self.client("ec2")
        tag_filter = [{"Name": f"tag:{NETWORK_TAG}", "Values": ["true"]}]
        vpcs = ec2.describe_vpcs(Filters=tag_filter)["Vpcs"]
        if vpcs:
            vpc_id = vpcs[0]["VpcId"]
        else:
            vpc_id = ec2.create_vpc(CidrBlock=VPC_CIDR, TagSpecifications=[_tags("vpc")])["Vpc"][
                "VpcId"
            ]
        subnets = ec2.describe_subnets(
            Filters=[*tag_filter, {"Name": "vpc-id", "Values": [vpc_id]}]
        )["Subnets"]
        by_zone_id: dict[str, str] = {}
        for subnet in sorted(subnets, key=lambda s: s["SubnetId"]):
            by_zone_id.setdefault(subnet["AvailabilityZoneId"], subnet["SubnetId"])
        zone_ids = sorted(
            z["ZoneId"] for z in ec2.describe_availability_zones()["AvailabilityZones"]
        )
        taken = {ipaddress.ip_network(s["CidrBlock"]) for s in subnets}
        blocks = (
            b for b in ipaddress.ip_network(VPC_CIDR).subnets(new_prefix=24) if b not in taken
        )
        for zone_id in zone_ids[:ZONE_COUNT]:
            if zone_id not in by_zone_id:
                by_zone_id[zone_id] = ec2.create_subnet(
                    VpcId=vpc_id,
                    CidrBlock=str(next(blocks)),
                    AvailabilityZoneId=zone_id,
                    TagSpecifications=[_tags("subnet")],
                )["Subnet"]["SubnetId"]
        return vpc_id, [by_zone_id[zone_id] for zone_id in sorted(by_zone_id)]

    def create_endpoint(self, service_name: str) -> Endpoint:
        vpc_id, subnet_ids = self.network()
        endpoint = self.client("ec2").create_vpc_endpoint(
            VpcEndpointType="Interface",
            VpcId=vpc_id,
            ServiceName=service_name,
            SubnetIds=subnet_ids,
            TagSpecifications=[_tags("vpc-endpoint")],
        )["VpcEndpoint"]
        return Endpoint.from_aws(endpoint)

    def describe_endpoint(self, endpoint_id: str) -> Endpoint:
        endpoints = self.client("ec2").describe_vpc_endpoints(VpcEndpointIds=[endpoint_id])
        return Endpoint.from_aws(endpoints["VpcEndpoints"][0])

    def list_endpoints(self) -> list[Endpoint]:
        paginator = self.client("ec2").get_paginator("describe_vpc_endpoints")
        pages = paginator.paginate(Filters=[{"Name": "vpc-endpoint-type", "Values": ["Interface"]}])
        return [Endpoint.from_aws(e) for page in pages for e in page["VpcEndpoints"]]

    def delete_endpoint(self, endpoint_id: str) -> None:
        answer = self.client("ec2").delete_vpc_endpoints(VpcEndpointIds=[endpoint_id])
        if answer["Unsuccessful"]:
            error = answer["Unsuccessful"][0]["Error"]
            raise RuntimeError(f"{endpoint_id}: {error['Code']}: {error['Message']}")

    def describe_services(self, service_names: list[str]) -> list[dict[str, Any]]:
        """The endpoint services this customer can see (`DescribeVpcEndpointServices`)."""
        answer = self.client("ec2").describe_vpc_endpoint_services(ServiceNames=service_names)
        return list(answer["ServiceDetails"])


_shared_session: boto3.Session | None = None


def _client(service_name: str, region: str, endpoint_url: str, credentials: dict[str, str]) -> Any:
    """A client with explicit credentials, never the environment's: real AWS stays out of reach.

    One boto3 session serves every client so that service models load only once.
    """
    global _shared_session
    if _shared_session is None:
        _shared_session = boto3.Session()
    # Any service by name: the stubs type only literal service names.
    make_client: Any = _shared_session.client
    return make_client(service_name, region_name=region, endpoint_url=endpoint_url, **credentials)


def platform_client(service_name: str, region: str, endpoint_url: str) -> Any:
    """A client of the platform account: dummy keys, which moto puts in its default account."""
    return _client(service_name, region, endpoint_url, DUMMY_CREDENTIALS)


def _tags(resource_type: str) -> dict[str, Any]:
    return {
        "ResourceType": resource_type,
        "Tags": [{"Key": NETWORK_TAG, "Value": "true"}, {"Key": "Name", "Value": "customer"}],
    }
