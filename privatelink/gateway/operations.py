"""Typed AWS operations of one platform account in one region per Gateway.

Every call goes through `_call`, which turns boto3 exceptions into Gone, Retryable or
Terminal. Reads re-filter on the client: some servers ignore filters and page sizes.
"""

import contextlib
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from privatelink.gateway import budget, clients
from privatelink.gateway.errors import (
    AWS_ERRORS,
    GatewayError,
    Gone,
    Retryable,
    Terminal,
    classify,
    failure,
)

TAG_DEPLOYMENT = "privatelink-console:deployment"
# Target groups check their targets this often and call them healthy after this many
# passed checks: the reconciler expects health no sooner (privatelink/engine/listeners.py).
HEALTH_CHECK_INTERVAL_SECONDS = 10
HEALTHY_THRESHOLD_COUNT = 2
TAG_OWNER = "privatelink-console:owner"
# Calls that share AWS's budget of about one per second per account and region.
BUDGETED_OPERATIONS = frozenset(
    {
        "create_vpc_endpoint_service_configuration",
        "modify_vpc_endpoint_service_configuration",
        "delete_vpc_endpoint_service_configurations",
        "modify_vpc_endpoint_service_permissions",
        "accept_vpc_endpoint_connections",
        "reject_vpc_endpoint_connections",
    }
)
MAX_PACING_SECONDS = 2.0
# The largest batches AWS allows, so that a sweep's calls grow slowly with the number of
# links: elbv2 DescribeTags takes at most 20 ARNs and pages of at most 400; EC2 pages hold
# at most 1000 and a filter at most 200 values.
_ELB_TAG_BATCH = 20
_ELB_PAGE = 400
_EC2_PAGE = 1000
_FILTER_VALUES = 200
# Ids per EC2 call; larger sets go in several calls.
_ID_BATCH = 100


def _any(name: str) -> bool:
    return True


@dataclass(frozen=True)
class AwsLoadBalancer:
    arn: str
    name: str
    state: str
    dns_name: str
    tags: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class AwsTargetGroup:
    arn: str
    name: str
    port: int
    tags: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class AwsListener:
    arn: str
    port: int
    target_group_arn: str


@dataclass(frozen=True)
class AwsEndpointService:
    service_id: str
    service_name: str
    state: str
    nlb_arns: tuple[str, ...]
    acceptance_required: bool
    tags: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class AwsConnection:
    service_id: str
    vpc_endpoint_id: str
    owner: str
    state: str
    dns_name: str


def ownership_tags(owner: str) -> dict[str, str]:
    """The tags that mark a resource as ours: this deployment, and the row it belongs to."""
    return {TAG_DEPLOYMENT: settings.DEPLOYMENT_ID, TAG_OWNER: owner}


def is_ours(tags: dict[str, str]) -> bool:
    return tags.get(TAG_DEPLOYMENT) == settings.DEPLOYMENT_ID and bool(tags.get(TAG_OWNER))


def _tag_list(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in sorted(tags.items())]


def _tag_dict(tags: Iterable[dict[str, str]] | None) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in tags or []}


def _chunks[T](items: list[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Gateway:
    """A platform account's EC2 and ELB in one region, and the platform's Route 53 zone.

    `role_arn` picks the pool account (None: AWS_PLATFORM_ROLE_ARN, "": the own
    credentials). The hosted zone lives in the deployment's main account, whichever
    account holds the NLBs.
    """

    def __init__(self, region: str, role_arn: str | None = None) -> None:
        self.region = region
        self.role_arn = role_arn
        self._clients: dict[str, Any] = {}
        # Called before every AWS call: a reconcile run keeps its lease alive through it.
        self.before_call: Callable[[], None] | None = None

    def _client(self, name: str) -> Any:
        if name not in self._clients:
            role = None if name == "route53" else self.role_arn
            self._clients[name] = clients.client(name, self.region, role)
        return self._clients[name]

    def _call(self, service: str, operation: str, **kwargs: Any) -> Any:
        if self.before_call is not None:
            self.before_call()
        if operation in BUDGETED_OPERATIONS:
            self._pace(operation)
        try:
            return getattr(self._client(service), operation)(**kwargs)
        except AWS_ERRORS as exc:
            raise classify(exc, operation) from exc

    def _pace(self, operation: str) -> None:
        if clients.mode() == "fake":
            return  # the fake AWS has no budget to protect
        # AWS's budget is per account and region: a pool account has a bucket of its own.
        account = self.role_arn.split(":")[4] + ":" if self.role_arn else ""
        wait = budget.reserve(f"ec2-endpoint-services:{account}{self.region}")
        if wait > MAX_PACING_SECONDS:
            # Too long to hold a worker: the task retries later with backoff.
            raise Retryable(
                "RateBudget", f"Waiting {wait:.0f}s for the AWS call budget.", operation
            )
        if wait > 0:
            time.sleep(wait)

    def _pages(self, service: str, operation: str, key: str, **kwargs: Any) -> Iterator[Any]:
        token_in, token_out = (
            ("Marker", "NextMarker") if service == "elbv2" else ("NextToken", "NextToken")
        )
        seen: set[str] = set()
        while True:
            answer = self._call(service, operation, **kwargs)
            yield from answer.get(key, [])
            token = answer.get(token_out)
            # A server that ignores paging returns the same token or none; never loop.
            if not token or token in seen:
                return
            seen.add(token)
            kwargs[token_in] = token

    # --- Quotas -----------------------------------------------------------------------
    def account_limits(self) -> dict[str, int]:
        """ELB quotas of this account and region, by AWS's names (`network-load-balancers`)."""
        answer = self._call("elbv2", "describe_account_limits")
        return {limit["Name"]: int(limit["Max"]) for limit in answer.get("Limits", [])}

    # --- Project VPC ------------------------------------------------------------------
    def find_vpc(self, owner: str) -> str | None:
        answer = self._call(
            "ec2", "describe_vpcs", Filters=[{"Name": f"tag:{TAG_OWNER}", "Values": [owner]}]
        )
        for vpc in answer.get("Vpcs", []):
            tags = _tag_dict(vpc.get("Tags"))
            if is_ours(tags) and tags[TAG_OWNER] == owner:
                return str(vpc["VpcId"])
        return None

    def create_vpc(self, cidr: str, owner: str) -> str:
        answer = self._call(
            "ec2",
            "create_vpc",
            CidrBlock=cidr,
            TagSpecifications=[{"ResourceType": "vpc", "Tags": _tag_list(ownership_tags(owner))}],
        )
        return str(answer["Vpc"]["VpcId"])

    def availability_zones(self) -> list[str]:
        answer = self._call(
            "ec2",
            "describe_availability_zones",
            Filters=[{"Name": "state", "Values": ["available"]}],
        )
        return sorted(z["ZoneName"] for z in answer.get("AvailabilityZones", []))

    def subnets(self, vpc_id: str) -> list[dict[str, str]]:
        answer = self._call(
            "ec2", "describe_subnets", Filters=[{"Name": "vpc-id", "Values": [vpc_id]}]
        )
        return [
            {
                "subnet_id": s["SubnetId"],
                "availability_zone": s["AvailabilityZone"],
                "cidr": s["CidrBlock"],
            }
            for s in answer.get("Subnets", [])
            if s.get("VpcId") == vpc_id
        ]

    def create_subnet(self, vpc_id: str, cidr: str, zone: str, owner: str) -> str:
        answer = self._call(
            "ec2",
            "create_subnet",
            VpcId=vpc_id,
            CidrBlock=cidr,
            AvailabilityZone=zone,
            TagSpecifications=[
                {"ResourceType": "subnet", "Tags": _tag_list(ownership_tags(owner))}
            ],
        )
        return str(answer["Subnet"]["SubnetId"])

    def delete_subnet(self, subnet_id: str) -> None:
        with contextlib.suppress(Gone):
            self._call("ec2", "delete_subnet", SubnetId=subnet_id)

    def delete_vpc(self, vpc_id: str) -> None:
        with contextlib.suppress(Gone):
            self._call("ec2", "delete_vpc", VpcId=vpc_id)

    # --- Load balancers ---------------------------------------------------------------
    def _elb_tags(self, arns: list[str]) -> dict[str, dict[str, str]]:
        tags: dict[str, dict[str, str]] = {}
        for batch in _chunks(arns, _ELB_TAG_BATCH):
            answer = self._call("elbv2", "describe_tags", ResourceArns=batch)
            for item in answer.get("TagDescriptions", []):
                tags[item["ResourceArn"]] = _tag_dict(item.get("Tags"))
        return tags

    def _load_balancers(self, raw: list[dict[str, Any]]) -> list[AwsLoadBalancer]:
        tags = self._elb_tags([lb["LoadBalancerArn"] for lb in raw])
        return [
            AwsLoadBalancer(
                arn=lb["LoadBalancerArn"],
                name=lb["LoadBalancerName"],
                state=lb.get("State", {}).get("Code", ""),
                dns_name=lb.get("DNSName", ""),
                tags=tags.get(lb["LoadBalancerArn"], {}),
            )
            for lb in raw
        ]

    def find_load_balancers(self, name: str) -> list[AwsLoadBalancer]:
        """Every load balancer called `name` (AWS allows one; moto may hold several)."""
        try:
            answer = self._call("elbv2", "describe_load_balancers", Names=[name])
        except Gone:
            return []
        raw = [lb for lb in answer.get("LoadBalancers", []) if lb["LoadBalancerName"] == name]
        return self._load_balancers(raw)

    def load_balancer(self, arn: str) -> AwsLoadBalancer | None:
        try:
            answer = self._call("elbv2", "describe_load_balancers", LoadBalancerArns=[arn])
        except Gone:
            return None
        raw = [lb for lb in answer.get("LoadBalancers", []) if lb["LoadBalancerArn"] == arn]
        found = self._load_balancers(raw)
        return found[0] if found else None

    def our_load_balancers(self, named: Callable[[str], bool] = _any) -> list[AwsLoadBalancer]:
        """Ours (by tags) among the load balancers whose name `named` accepts: only those
        have their tags described, 20 per call."""
        raw = self._pages("elbv2", "describe_load_balancers", "LoadBalancers", PageSize=_ELB_PAGE)
        chosen = [lb for lb in raw if named(lb["LoadBalancerName"])]
        return [lb for lb in self._load_balancers(chosen) if is_ours(lb.tags)]

    def create_load_balancer(self, name: str, subnet_ids: list[str], owner: str) -> AwsLoadBalancer:
        answer = self._call(
            "elbv2",
            "create_load_balancer",
            Name=name,
            Subnets=subnet_ids,
            Scheme="internal",
            Type="network",
            IpAddressType="ipv4",
            Tags=_tag_list(ownership_tags(owner)),
        )
        lb = answer["LoadBalancers"][0]
        return AwsLoadBalancer(
            arn=lb["LoadBalancerArn"],
            name=lb["LoadBalancerName"],
            state=lb.get("State", {}).get("Code", ""),
            dns_name=lb.get("DNSName", ""),
            tags=ownership_tags(owner),
        )

    def delete_load_balancer(self, arn: str) -> None:
        with contextlib.suppress(Gone):
            self._call("elbv2", "delete_load_balancer", LoadBalancerArn=arn)

    # --- Target groups ----------------------------------------------------------------
    def _target_groups(self, raw: list[dict[str, Any]]) -> list[AwsTargetGroup]:
        tags = self._elb_tags([tg["TargetGroupArn"] for tg in raw])
        return [
            AwsTargetGroup(
                arn=tg["TargetGroupArn"],
                name=tg["TargetGroupName"],
                port=int(tg.get("Port", 0)),
                tags=tags.get(tg["TargetGroupArn"], {}),
            )
            for tg in raw
        ]

    def find_target_group(self, name: str) -> AwsTargetGroup | None:
        try:
            answer = self._call("elbv2", "describe_target_groups", Names=[name])
        except Gone:
            return None
        raw = [tg for tg in answer.get("TargetGroups", []) if tg["TargetGroupName"] == name]
        found = self._target_groups(raw)
        return found[0] if found else None

    def target_groups_of(self, load_balancer_arn: str) -> list[AwsTargetGroup]:
        """Target groups a listener of the load balancer forwards to, in one or two calls."""
        try:
            raw = list(
                self._pages(
                    "elbv2",
                    "describe_target_groups",
                    "TargetGroups",
                    LoadBalancerArn=load_balancer_arn,
                )
            )
        except Gone:
            return []
        raw = [tg for tg in raw if load_balancer_arn in tg.get("LoadBalancerArns", [])]
        return self._target_groups(raw)

    def our_target_groups(self, named: Callable[[str], bool] = _any) -> list[AwsTargetGroup]:
        """Ours (by tags) among the target groups whose name `named` accepts."""
        raw = self._pages("elbv2", "describe_target_groups", "TargetGroups", PageSize=_ELB_PAGE)
        chosen = [tg for tg in raw if named(tg["TargetGroupName"])]
        return [tg for tg in self._target_groups(chosen) if is_ours(tg.tags)]

    def create_target_group(
        self, name: str, port: int, vpc_id: str, owner: str, deregistration_delay: int = 300
    ) -> AwsTargetGroup:
        answer = self._call(
            "elbv2",
            "create_target_group",
            Name=name,
            Protocol="TCP",
            Port=port,
            VpcId=vpc_id,
            TargetType="ip",
            HealthCheckProtocol="TCP",
            HealthCheckIntervalSeconds=HEALTH_CHECK_INTERVAL_SECONDS,
            HealthyThresholdCount=HEALTHY_THRESHOLD_COUNT,
            UnhealthyThresholdCount=2,
            Tags=_tag_list(ownership_tags(owner)),
        )
        tg = answer["TargetGroups"][0]
        if deregistration_delay != 300:  # AWS's default needs no call
            self._call(
                "elbv2",
                "modify_target_group_attributes",
                TargetGroupArn=tg["TargetGroupArn"],
                Attributes=[
                    {
                        "Key": "deregistration_delay.timeout_seconds",
                        "Value": str(deregistration_delay),
                    }
                ],
            )
        return AwsTargetGroup(
            tg["TargetGroupArn"], tg["TargetGroupName"], port, ownership_tags(owner)
        )

    def target_health(self, target_group_arn: str) -> dict[str, str]:
        """Registered target IP -> health state (initial, healthy, unhealthy, unused, ...)."""
        answer = self._call("elbv2", "describe_target_health", TargetGroupArn=target_group_arn)
        return {
            d["Target"]["Id"]: d.get("TargetHealth", {}).get("State", "")
            for d in answer.get("TargetHealthDescriptions", [])
            if d.get("TargetHealth", {}).get("State") != "draining"
        }

    def draining_targets(self, target_group_arn: str) -> set[str]:
        """Deregistered target IPs still draining their connections."""
        answer = self._call("elbv2", "describe_target_health", TargetGroupArn=target_group_arn)
        return {
            d["Target"]["Id"]
            for d in answer.get("TargetHealthDescriptions", [])
            if d.get("TargetHealth", {}).get("State") == "draining"
        }

    def register_targets(self, target_group_arn: str, ips: Iterable[str], port: int) -> None:
        targets = [{"Id": ip, "Port": port} for ip in sorted(ips)]
        if targets:
            self._call(
                "elbv2", "register_targets", TargetGroupArn=target_group_arn, Targets=targets
            )

    def deregister_targets(self, target_group_arn: str, ips: Iterable[str], port: int) -> None:
        targets = [{"Id": ip, "Port": port} for ip in sorted(ips)]
        if not targets:
            return
        try:
            self._call(
                "elbv2", "deregister_targets", TargetGroupArn=target_group_arn, Targets=targets
            )
        except Gone:
            pass
        except Terminal as exc:
            if exc.code != "InvalidTarget":  # never registered: already what we want
                raise

    def delete_target_group(self, arn: str) -> None:
        with contextlib.suppress(Gone):
            self._call("elbv2", "delete_target_group", TargetGroupArn=arn)

    # --- Listeners --------------------------------------------------------------------
    def listeners(self, load_balancer_arn: str) -> list[AwsListener]:
        try:
            raw = list(
                self._pages(
                    "elbv2", "describe_listeners", "Listeners", LoadBalancerArn=load_balancer_arn
                )
            )
        except Gone:
            return []
        found = []
        for listener in raw:
            if listener.get("LoadBalancerArn", load_balancer_arn) != load_balancer_arn:
                continue
            actions = listener.get("DefaultActions") or [{}]
            found.append(
                AwsListener(
                    listener["ListenerArn"],
                    int(listener["Port"]),
                    actions[0].get("TargetGroupArn", ""),
                )
            )
        return found

    def create_listener(
        self, load_balancer_arn: str, port: int, target_group_arn: str, owner: str
    ) -> AwsListener:
        answer = self._call(
            "elbv2",
            "create_listener",
            LoadBalancerArn=load_balancer_arn,
            Protocol="TCP",
            Port=port,
            DefaultActions=[{"Type": "forward", "TargetGroupArn": target_group_arn}],
            Tags=_tag_list(ownership_tags(owner)),
        )
        return AwsListener(answer["Listeners"][0]["ListenerArn"], port, target_group_arn)

    def delete_listener(self, arn: str) -> None:
        with contextlib.suppress(Gone):
            self._call("elbv2", "delete_listener", ListenerArn=arn)

    # --- Endpoint services ------------------------------------------------------------
    @staticmethod
    def _endpoint_service(raw: dict[str, Any]) -> AwsEndpointService:
        return AwsEndpointService(
            service_id=raw["ServiceId"],
            service_name=raw.get("ServiceName", ""),
            state=raw.get("ServiceState", ""),
            nlb_arns=tuple(raw.get("NetworkLoadBalancerArns", [])),
            acceptance_required=bool(raw.get("AcceptanceRequired")),
            tags=_tag_dict(raw.get("Tags")),
        )

    def endpoint_services(self, service_ids: list[str]) -> dict[str, AwsEndpointService]:
        """The endpoint services among `service_ids` that still exist, in few calls.

        One unknown id fails a whole batch, so a failing batch is split in halves.
        """
        wanted = sorted(set(service_ids))
        found: dict[str, AwsEndpointService] = {}
        if not wanted:
            return found
        if len(wanted) > _ID_BATCH:
            for batch in _chunks(wanted, _ID_BATCH):
                found.update(self.endpoint_services(batch))
            return found
        try:
            raw = self._pages(
                "ec2",
                "describe_vpc_endpoint_service_configurations",
                "ServiceConfigurations",
                ServiceIds=wanted,
            )
            for item in raw:
                if item["ServiceId"] in wanted:
                    found[item["ServiceId"]] = self._endpoint_service(item)
        except Gone:
            if len(wanted) == 1:
                return {}
            middle = len(wanted) // 2
            found.update(self.endpoint_services(wanted[:middle]))
            found.update(self.endpoint_services(wanted[middle:]))
        return found

    def our_endpoint_services(self, owner: str | None = None) -> list[AwsEndpointService]:
        """This deployment's endpoint services, or only those tagged for `owner` (AWS then
        answers with one, not with every service of the account)."""
        filters = [{"Name": "tag-key", "Values": [TAG_DEPLOYMENT]}]
        if owner is not None:
            filters.append({"Name": f"tag:{TAG_OWNER}", "Values": [owner]})
        raw = self._pages(
            "ec2",
            "describe_vpc_endpoint_service_configurations",
            "ServiceConfigurations",
            Filters=filters,
            MaxResults=_EC2_PAGE,
        )
        services = [self._endpoint_service(item) for item in raw]
        return [s for s in services if is_ours(s.tags)]

    def create_endpoint_service(
        self, load_balancer_arn: str, owner: str, client_token: str
    ) -> AwsEndpointService:
        answer = self._call(
            "ec2",
            "create_vpc_endpoint_service_configuration",
            NetworkLoadBalancerArns=[load_balancer_arn],
            AcceptanceRequired=True,
            ClientToken=client_token,
            TagSpecifications=[
                {
                    "ResourceType": "vpc-endpoint-service",
                    "Tags": _tag_list(ownership_tags(owner)),
                }
            ],
        )
        return self._endpoint_service(answer["ServiceConfiguration"])

    def delete_endpoint_service(self, service_id: str) -> None:
        try:
            answer = self._call(
                "ec2", "delete_vpc_endpoint_service_configurations", ServiceIds=[service_id]
            )
        except Gone:
            return
        self._raise_unsuccessful(answer, "delete_vpc_endpoint_service_configurations")

    @staticmethod
    def _raise_unsuccessful(answer: dict[str, Any], operation: str) -> None:
        """A 200 answer may still hold per-item failures; only 'gone' counts as done."""
        for item in answer.get("Unsuccessful") or []:
            error = item.get("Error", {})
            problem = failure(error.get("Code", ""), error.get("Message", ""), operation)
            if not isinstance(problem, Gone):
                raise problem

    def allowed_principals(self, service_id: str) -> set[str]:
        raw = self._pages(
            "ec2",
            "describe_vpc_endpoint_service_permissions",
            "AllowedPrincipals",
            ServiceId=service_id,
        )
        return {p["Principal"] for p in raw if p.get("Principal")}

    def modify_principals(self, service_id: str, add: set[str], remove: set[str]) -> None:
        arguments: dict[str, Any] = {"ServiceId": service_id}
        if add:
            arguments["AddAllowedPrincipals"] = sorted(add)
        if remove:
            arguments["RemoveAllowedPrincipals"] = sorted(remove)
        if add or remove:
            self._call("ec2", "modify_vpc_endpoint_service_permissions", **arguments)

    # --- Connections ------------------------------------------------------------------
    def connections(self, service_ids: list[str]) -> list[AwsConnection]:
        if not service_ids:
            return []
        wanted = set(service_ids)
        found: list[AwsConnection] = []
        for batch in _chunks(sorted(wanted), _FILTER_VALUES):
            raw = self._pages(
                "ec2",
                "describe_vpc_endpoint_connections",
                "VpcEndpointConnections",
                Filters=[{"Name": "service-id", "Values": batch}],
                MaxResults=_EC2_PAGE,
            )
            for item in raw:
                if item.get("ServiceId") not in wanted:
                    continue
                entries = item.get("DnsEntries") or [{}]
                found.append(
                    AwsConnection(
                        service_id=item["ServiceId"],
                        vpc_endpoint_id=item["VpcEndpointId"],
                        owner=str(item.get("VpcEndpointOwner", "")),
                        state=str(item.get("VpcEndpointState", "")),
                        dns_name=entries[0].get("DnsName", ""),
                    )
                )
        return found

    def _decide(self, operation: str, service_id: str, endpoint_ids: list[str]) -> None:
        if not endpoint_ids:
            return
        answer = self._call(
            "ec2", operation, ServiceId=service_id, VpcEndpointIds=sorted(endpoint_ids)
        )
        self._raise_unsuccessful(answer, operation)

    def accept_connections(self, service_id: str, endpoint_ids: list[str]) -> None:
        self._decide("accept_vpc_endpoint_connections", service_id, endpoint_ids)

    def reject_connections(self, service_id: str, endpoint_ids: list[str]) -> None:
        self._decide("reject_vpc_endpoint_connections", service_id, endpoint_ids)

    # --- DNS --------------------------------------------------------------------------
    def hosted_zone(self, domain: str) -> str:
        """The platform's zone for `domain`: configured, found by name, or (fake AWS) created."""
        if settings.PRIVATELINK_HOSTED_ZONE_ID:
            return str(settings.PRIVATELINK_HOSTED_ZONE_ID)
        name = domain.rstrip(".") + "."
        answer = self._call("route53", "list_hosted_zones_by_name", DNSName=name)
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
            "route53",
            "create_hosted_zone",
            Name=name,
            CallerReference=f"privatelink-console-{settings.DEPLOYMENT_ID}-{name}",
        )
        return str(created["HostedZone"]["Id"]).removeprefix("/hostedzone/")

    def cname_records(self, zone_id: str, matches: Callable[[str], bool]) -> dict[str, str]:
        """CNAME records whose name (without the final dot) `matches`: name -> target."""
        records: dict[str, str] = {}
        arguments: dict[str, Any] = {"HostedZoneId": zone_id}
        while True:
            answer = self._call("route53", "list_resource_record_sets", **arguments)
            for record in answer.get("ResourceRecordSets", []):
                name = record["Name"].rstrip(".")
                if record["Type"] == "CNAME" and matches(name):
                    values = record.get("ResourceRecords") or [{}]
                    records[name] = values[0].get("Value", "").rstrip(".")
            if not answer.get("IsTruncated") or not answer.get("NextRecordName"):
                return records
            arguments["StartRecordName"] = answer["NextRecordName"]
            arguments["StartRecordType"] = answer.get("NextRecordType", "CNAME")

    def _change_cname(self, zone_id: str, action: str, name: str, target: str) -> None:
        self._call(
            "route53",
            "change_resource_record_sets",
            HostedZoneId=zone_id,
            ChangeBatch={
                "Changes": [
                    {
                        "Action": action,
                        "ResourceRecordSet": {
                            "Name": name,
                            "Type": "CNAME",
                            "TTL": 60,
                            "ResourceRecords": [{"Value": target}],
                        },
                    }
                ]
            },
        )

    def upsert_cname(self, zone_id: str, name: str, target: str) -> None:
        self._change_cname(zone_id, "UPSERT", name, target)

    def delete_cname(self, zone_id: str, name: str, target: str) -> None:
        try:
            self._change_cname(zone_id, "DELETE", name, target)
        except GatewayError as exc:
            # Route 53 reports deleting a missing record as an invalid batch.
            if not isinstance(exc, Gone) and exc.code not in {"InvalidChangeBatch", "InvalidInput"}:
                raise
