"""Elastic Load Balancing: the network load balancer of a PrivateLink, its listeners, target
groups and their targets, and the account's ELB quotas."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from privatelink.clouds.aws.gateway.calls import AwsCalls, batches, unless_gone
from privatelink.clouds.aws.gateway.tags import Tagged, is_ours, ownership_tags, tag_dict, tag_list

if TYPE_CHECKING:
    from types_boto3_elbv2.type_defs import (
        ListenerTypeDef,
        LoadBalancerTypeDef,
        TargetDescriptionTypeDef,
        TargetGroupTypeDef,
    )

# Target groups check their targets this often and call them healthy after this many
# passed checks: the reconciler expects health no sooner (privatelink/clouds/aws/listeners.py).
HEALTH_CHECK_INTERVAL_SECONDS = 10
HEALTHY_THRESHOLD_COUNT = 2
# AWS's default; any other delay takes a call of its own.
DEFAULT_DEREGISTRATION_DELAY_SECONDS = 300
# An NLB's attribute that lets each zone's node forward to targets in every zone. AWS leaves
# it off; a broker's listener has one target in one zone, so without it clients whose
# endpoint sits in another zone reach no broker.
CROSS_ZONE_ATTRIBUTE = "load_balancing.cross_zone.enabled"
# The largest batches AWS allows, so that a sweep's calls grow slowly with the number of
# links: DescribeTags takes at most 20 ARNs, and pages hold at most 400.
_TAG_BATCH = 20
_PAGE_SIZE = 400


@dataclass(frozen=True)
class AwsLoadBalancer(Tagged):
    arn: str
    name: str
    state: str
    dns_name: str
    # When AWS created it: while it provisions, the reconciler looks again on its clock.
    created: datetime | None = None


@dataclass(frozen=True)
class AwsTargetGroup(Tagged):
    arn: str
    name: str
    port: int


@dataclass(frozen=True)
class AwsListener:
    arn: str
    port: int
    target_group_arn: str


def _load_balancer(raw: "LoadBalancerTypeDef", tags: dict[str, str]) -> AwsLoadBalancer:
    return AwsLoadBalancer(
        arn=raw["LoadBalancerArn"],
        name=raw["LoadBalancerName"],
        state=raw.get("State", {}).get("Code", ""),
        dns_name=raw.get("DNSName", ""),
        tags=tags,
        created=raw.get("CreatedTime"),
    )


def _target_group(raw: "TargetGroupTypeDef", tags: dict[str, str]) -> AwsTargetGroup:
    return AwsTargetGroup(
        arn=raw["TargetGroupArn"],
        name=raw["TargetGroupName"],
        port=int(raw.get("Port", 0)),
        tags=tags,
    )


def _listener(raw: "ListenerTypeDef") -> AwsListener:
    actions = raw.get("DefaultActions") or []
    return AwsListener(
        arn=raw["ListenerArn"],
        port=int(raw["Port"]),
        target_group_arn=actions[0].get("TargetGroupArn", "") if actions else "",
    )


def _any(name: str) -> bool:
    return True


class LoadBalancingOperations(AwsCalls):
    def account_limits(self) -> dict[str, int]:
        """ELB quotas of this account and region, by AWS's names (`network-load-balancers`)."""
        answer = self._call(self._elbv2.describe_account_limits)
        return {limit["Name"]: int(limit["Max"]) for limit in answer.get("Limits", [])}

    def _elb_tags(self, arns: list[str]) -> dict[str, dict[str, str]]:
        tags: dict[str, dict[str, str]] = {}
        for batch in batches(arns, _TAG_BATCH):
            answer = self._call(self._elbv2.describe_tags, ResourceArns=batch)
            for item in answer.get("TagDescriptions", []):
                tags[item["ResourceArn"]] = tag_dict(item.get("Tags"))
        return tags

    def _named(
        self, operation: str, key: str, name_key: str, named: Callable[[str], bool]
    ) -> list[Any]:
        """Every item of the account that a describe lists, in pages as large as AWS
        allows, whose name `named` accepts."""
        items = self._paginate(
            self._elbv2, operation, key, PaginationConfig={"PageSize": _PAGE_SIZE}
        )
        return [item for item in items if named(item[name_key])]

    # --- Load balancers ---------------------------------------------------------------
    def _load_balancers(self, raw: list["LoadBalancerTypeDef"]) -> list[AwsLoadBalancer]:
        tags = self._elb_tags([lb["LoadBalancerArn"] for lb in raw])
        return [_load_balancer(lb, tags.get(lb["LoadBalancerArn"], {})) for lb in raw]

    def find_load_balancers(self, name: str) -> list[AwsLoadBalancer]:
        """Every load balancer called `name` (AWS allows one; moto may hold several)."""
        return self.with_tags(self.load_balancers_named(name))

    def load_balancers_named(self, name: str) -> list[AwsLoadBalancer]:
        """Every load balancer called `name` without its tags (one call instead of two): for
        their states and ages; whose they are is decided only `with_tags`."""
        answer = unless_gone(lambda: self._call(self._elbv2.describe_load_balancers, Names=[name]))
        if answer is None:
            return []
        return [
            _load_balancer(lb, {})
            for lb in answer.get("LoadBalancers", [])
            if lb["LoadBalancerName"] == name
        ]

    def load_balancers_named_many(self, names: list[str]) -> dict[str, list[AwsLoadBalancer]]:
        """`load_balancers_named` for up to 20 names in one call; Gone if any is missing
        (AWS then answers for none)."""
        answer = self._call(self._elbv2.describe_load_balancers, Names=names)
        named: dict[str, list[AwsLoadBalancer]] = {}
        for lb in answer.get("LoadBalancers", []):
            if lb["LoadBalancerName"] in names:
                named.setdefault(lb["LoadBalancerName"], []).append(_load_balancer(lb, {}))
        return named

    def with_tags(self, balancers: list[AwsLoadBalancer]) -> list[AwsLoadBalancer]:
        tags = self._elb_tags([lb.arn for lb in balancers])
        return [replace(lb, tags=tags.get(lb.arn, {})) for lb in balancers]

    def load_balancer(self, arn: str) -> AwsLoadBalancer | None:
        answer = unless_gone(
            lambda: self._call(self._elbv2.describe_load_balancers, LoadBalancerArns=[arn])
        )
        if answer is None:
            return None
        raw = [lb for lb in answer.get("LoadBalancers", []) if lb["LoadBalancerArn"] == arn]
        found = self._load_balancers(raw)
        return found[0] if found else None

    def our_load_balancers(self, named: Callable[[str], bool] = _any) -> list[AwsLoadBalancer]:
        """Ours (by tags) among the load balancers whose name `named` accepts: only those
        have their tags described, 20 per call."""
        chosen: list[LoadBalancerTypeDef] = self._named(
            "describe_load_balancers", "LoadBalancers", "LoadBalancerName", named
        )
        return [lb for lb in self._load_balancers(chosen) if is_ours(lb.tags)]

    def create_load_balancer(self, name: str, subnet_ids: list[str], owner: str) -> AwsLoadBalancer:
        tags = ownership_tags(owner)
        answer = self._call(
            self._elbv2.create_load_balancer,
            Name=name,
            Subnets=subnet_ids,
            Scheme="internal",
            Type="network",
            IpAddressType="ipv4",
            Tags=tag_list(tags),
        )
        return _load_balancer(answer["LoadBalancers"][0], tags)

    def cross_zone_enabled(self, arn: str) -> bool:
        """Whether the NLB forwards across zones; a vanished NLB does not."""
        answer = unless_gone(
            lambda: self._call(self._elbv2.describe_load_balancer_attributes, LoadBalancerArn=arn)
        )
        if answer is None:
            return False
        values = {a.get("Key"): a.get("Value") for a in answer.get("Attributes", [])}
        return values.get(CROSS_ZONE_ATTRIBUTE, "false") == "true"

    def enable_cross_zone(self, arn: str) -> None:
        self._call(
            self._elbv2.modify_load_balancer_attributes,
            LoadBalancerArn=arn,
            Attributes=[{"Key": CROSS_ZONE_ATTRIBUTE, "Value": "true"}],
        )

    def delete_load_balancer(self, arn: str) -> None:
        unless_gone(lambda: self._call(self._elbv2.delete_load_balancer, LoadBalancerArn=arn))

    # --- Target groups ----------------------------------------------------------------
    def _target_groups(self, raw: list["TargetGroupTypeDef"]) -> list[AwsTargetGroup]:
        tags = self._elb_tags([tg["TargetGroupArn"] for tg in raw])
        return [_target_group(tg, tags.get(tg["TargetGroupArn"], {})) for tg in raw]

    def find_target_group(self, name: str) -> AwsTargetGroup | None:
        answer = unless_gone(lambda: self._call(self._elbv2.describe_target_groups, Names=[name]))
        if answer is None:
            return None
        raw = [tg for tg in answer.get("TargetGroups", []) if tg["TargetGroupName"] == name]
        found = self._target_groups(raw)
        return found[0] if found else None

    def target_groups_of(self, load_balancer_arn: str) -> list[AwsTargetGroup]:
        """Target groups a listener of the load balancer forwards to, in one or two calls."""
        pages: list[TargetGroupTypeDef] | None = unless_gone(
            lambda: list(
                self._paginate(
                    self._elbv2,
                    "describe_target_groups",
                    "TargetGroups",
                    LoadBalancerArn=load_balancer_arn,
                )
            )
        )
        raw = [tg for tg in pages or [] if load_balancer_arn in tg.get("LoadBalancerArns", [])]
        return self._target_groups(raw)

    def our_target_groups(self, named: Callable[[str], bool] = _any) -> list[AwsTargetGroup]:
        """Ours (by tags) among the target groups whose name `named` accepts."""
        chosen: list[TargetGroupTypeDef] = self._named(
            "describe_target_groups", "TargetGroups", "TargetGroupName", named
        )
        return [tg for tg in self._target_groups(chosen) if is_ours(tg.tags)]

    def create_target_group(
        self,
        name: str,
        port: int,
        vpc_id: str,
        owner: str,
        deregistration_delay: int = DEFAULT_DEREGISTRATION_DELAY_SECONDS,
    ) -> AwsTargetGroup:
        tags = ownership_tags(owner)
        answer = self._call(
            self._elbv2.create_target_group,
            Name=name,
            Protocol="TCP",
            Port=port,
            VpcId=vpc_id,
            TargetType="ip",
            HealthCheckProtocol="TCP",
            HealthCheckIntervalSeconds=HEALTH_CHECK_INTERVAL_SECONDS,
            HealthyThresholdCount=HEALTHY_THRESHOLD_COUNT,
            UnhealthyThresholdCount=2,
            Tags=tag_list(tags),
        )
        group = _target_group(answer["TargetGroups"][0], tags)
        if deregistration_delay != DEFAULT_DEREGISTRATION_DELAY_SECONDS:
            self._call(
                self._elbv2.modify_target_group_attributes,
                TargetGroupArn=group.arn,
                Attributes=[
                    {
                        "Key": "deregistration_delay.timeout_seconds",
                        "Value": str(deregistration_delay),
                    }
                ],
            )
        return group

    def delete_target_group(self, arn: str) -> None:
        unless_gone(lambda: self._call(self._elbv2.delete_target_group, TargetGroupArn=arn))

    # --- Targets ----------------------------------------------------------------------
    def _target_states(self, target_group_arn: str) -> list[tuple[str, str]]:
        """(IP, health state) of every registered target, draining ones included."""
        answer = self._call(self._elbv2.describe_target_health, TargetGroupArn=target_group_arn)
        return [
            (d["Target"]["Id"], d.get("TargetHealth", {}).get("State", ""))
            for d in answer.get("TargetHealthDescriptions", [])
        ]

    def target_health(self, target_group_arn: str) -> dict[str, str]:
        """Registered target IP -> health state (initial, healthy, unhealthy, unused, ...)."""
        return {
            ip: state for ip, state in self._target_states(target_group_arn) if state != "draining"
        }

    def draining_targets(self, target_group_arn: str) -> set[str]:
        """Deregistered target IPs still draining their connections."""
        return {ip for ip, state in self._target_states(target_group_arn) if state == "draining"}

    def register_targets(self, target_group_arn: str, ips: Iterable[str], port: int) -> None:
        targets: list[TargetDescriptionTypeDef] = [{"Id": ip, "Port": port} for ip in sorted(ips)]
        if targets:
            self._call(
                self._elbv2.register_targets, TargetGroupArn=target_group_arn, Targets=targets
            )

    def deregister_targets(self, target_group_arn: str, ips: Iterable[str], port: int) -> None:
        """A target never registered is as good as deregistered."""
        targets: list[TargetDescriptionTypeDef] = [{"Id": ip, "Port": port} for ip in sorted(ips)]
        if targets:
            unless_gone(
                lambda: self._call(
                    self._elbv2.deregister_targets,
                    TargetGroupArn=target_group_arn,
                    Targets=targets,
                )
            )

    # --- Listeners --------------------------------------------------------------------
    def listeners(self, load_balancer_arn: str) -> list[AwsListener]:
        raw: list[ListenerTypeDef] | None = unless_gone(
            lambda: list(
                self._paginate(
                    self._elbv2,
                    "describe_listeners",
                    "Listeners",
                    LoadBalancerArn=load_balancer_arn,
                )
            )
        )
        return [
            _listener(listener)
            for listener in raw or []
            # Some servers ignore the filter: keep only the load balancer's own.
            if listener.get("LoadBalancerArn", load_balancer_arn) == load_balancer_arn
        ]

    def create_listener(
        self, load_balancer_arn: str, port: int, target_group_arn: str, owner: str
    ) -> AwsListener:
        answer = self._call(
            self._elbv2.create_listener,
            LoadBalancerArn=load_balancer_arn,
            Protocol="TCP",
            Port=port,
            DefaultActions=[{"Type": "forward", "TargetGroupArn": target_group_arn}],
            Tags=tag_list(ownership_tags(owner)),
        )
        return _listener(answer["Listeners"][0])

    def delete_listener(self, arn: str) -> None:
        unless_gone(lambda: self._call(self._elbv2.delete_listener, ListenerArn=arn))
