"""ELBv2 as AWS behaves for NLBs: ARNs, duplicate listeners, deletion order, timed states.

- NLB ARNs read `loadbalancer/net/...` (listener ARNs follow: `listener/net/...`).
- A second listener on a port in use on the LB is `DuplicateListener`; an identical repeat
  returns the existing listener, as AWS does.
- An NLB that backs an endpoint service cannot be deleted (`ResourceInUse`).
- `provisioning` turns `active` after the `nlb` delay instead of on the first describe.
- Target health: `unused` while no listener forwards to the group, then `initial`, and
  `healthy` after two health-check intervals counted from registration and attachment.
- Quotas (`fakeaws.quotas`): NLBs and target groups per region, listeners per NLB, answered
  with AWS's `TooManyLoadBalancers`, `TooManyTargetGroups`, `TooManyListeners`; ports
  outside 1-65535 are a `ValidationError`. `DescribeAccountLimits` reports the quotas.
- A deregistered target is `draining` for its group's `deregistration_delay.timeout_seconds`
  (300 s by default), listed by `DescribeTargetHealth` meanwhile, then gone.
"""

from __future__ import annotations

from typing import Any

from moto.core.responses import ActionResult
from moto.ec2.models import ec2_backends
from moto.elbv2.exceptions import (
    DuplicateListenerError,
    ELBClientError,
    ResourceInUseError,
    ValidationError,
)
from moto.elbv2.models import (
    ELBv2Backend,
    FakeHealthStatus,
    FakeListener,
    FakeLoadBalancer,
    FakeTargetGroup,
)
from moto.elbv2.responses import ELBV2Response

from fakeaws.patching import original, replace
from fakeaws.quotas import quotas
from fakeaws.timing import timeline

HEALTHY_THRESHOLD_CHECKS = 2  # the minimum healthy threshold AWS allows
DEFAULT_DEREGISTRATION_DELAY = 300


def _check_port(port: Any, field: str = "port") -> None:
    try:
        number = int(port)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= 65535:
        raise ValidationError(
            f"1 validation error detected: Value '{port}' at '{field}' failed to satisfy "
            f"constraint: Member must have value between 1 and 65535"
        )


# What the timeline records, each with the ids it concerns.
LB_CREATED = "lb-created"
TG_ATTACHED = "tg-attached"
TARGET_REGISTERED = "target-registered"


def create_load_balancer(self: ELBv2Backend, *args: Any, **kwargs: Any) -> FakeLoadBalancer:
    name = kwargs.get("name", args[0] if args else "")
    existing = [lb for lb in self.load_balancers.values() if lb.name == name]
    limit = quotas.current.load_balancers_per_region
    if not existing and len(self.load_balancers) >= limit:
        raise ELBClientError(
            "TooManyLoadBalancers",
            f"The quota for the number of load balancers in this region ({limit}) has been reached",
        )
    balancer: FakeLoadBalancer = original(ELBv2Backend, "create_load_balancer")(
        self, *args, **kwargs
    )
    if balancer.type == "network" and ":loadbalancer/app/" in balancer.arn:
        app_arn = balancer.arn
        balancer.arn = app_arn.replace(":loadbalancer/app/", ":loadbalancer/net/", 1)
        self.load_balancers[balancer.arn] = self.load_balancers.pop(app_arn)
        tags = self.tagging_service.list_tags_for_resource(app_arn)["Tags"]
        self.tagging_service.delete_all_tags_for_resource(app_arn)
        self.tagging_service.tag_resource(balancer.arn, tags)
    timeline.mark((LB_CREATED, balancer.arn))
    return balancer


def load_balancer_state(self: FakeLoadBalancer) -> str:
    state: str = self.__dict__["_state"]
    if state == "provisioning" and timeline.has_waited((LB_CREATED, self.arn), timeline.delays.nlb):
        return "active"
    return state


def set_load_balancer_state(self: FakeLoadBalancer, value: str) -> None:
    self.__dict__["_state"] = value


def activate_by_time(self: FakeLoadBalancer) -> None:
    """moto activates on the first describe; here the state follows the clock instead."""


def create_listener(
    self: ELBv2Backend,
    load_balancer_arn: str,
    protocol: str,
    port: str,
    *args: Any,
    **kwargs: Any,
) -> FakeListener:
    balancer = self.load_balancers.get(load_balancer_arn)
    if balancer is not None:
        actions = kwargs.get("actions", args[2] if len(args) > 2 else [])
        for existing in balancer.listeners.values():
            if str(existing.port) != str(port):
                continue
            if existing.protocol == protocol and _forwards_to(self, existing) == _targets_of(
                self, actions
            ):
                return existing
            raise DuplicateListenerError()
        _check_port(port)
        limit = quotas.current.listeners_per_load_balancer
        if len(balancer.listeners) >= limit:
            raise ELBClientError(
                "TooManyListeners",
                f"The quota for the number of listeners per load balancer ({limit}) "
                f"has been reached",
            )
    listener: FakeListener = original(ELBv2Backend, "create_listener")(
        self, load_balancer_arn, protocol, port, *args, **kwargs
    )
    _track_attachments(self)
    return listener


def _forwards_to(backend: ELBv2Backend, listener: FakeListener) -> set[str]:
    return _targets_of(backend, [action.data for action in listener.default_actions])


def _targets_of(backend: ELBv2Backend, actions: list[dict[str, Any]]) -> set[str]:
    arns: set[str] = set()
    for action in actions:
        if action.get("Type", action.get("type")) == "forward":
            arns.update(backend._get_target_group_arns_from(action_data=action))
    return arns


def _track_attachments(backend: ELBv2Backend) -> None:
    """Note when a target group starts or stops receiving traffic from a listener."""
    attached: set[str] = set()
    for balancer in backend.load_balancers.values():
        for listener in balancer.listeners.values():
            attached |= _forwards_to(backend, listener)
    for arn in backend.target_groups:
        if arn in attached:
            timeline.mark((TG_ATTACHED, arn), keep=True)
        else:
            timeline.forget((TG_ATTACHED, arn))


def create_target_group(self: ELBv2Backend, name: str, **kwargs: Any) -> FakeTargetGroup:
    if kwargs.get("port") is not None:
        _check_port(kwargs["port"])
    exists = any(group.name == name for group in self.target_groups.values())
    limit = quotas.current.target_groups_per_region
    if not exists and len(self.target_groups) >= limit:
        raise ELBClientError(
            "TooManyTargetGroups",
            f"The quota for the number of target groups in this region ({limit}) has been reached",
        )
    group: FakeTargetGroup = original(ELBv2Backend, "create_target_group")(self, name, **kwargs)
    return group


def describe_account_limits(self: ELBV2Response) -> Any:
    return ActionResult({"Limits": quotas.current.account_limits()})


def modify_listener(self: ELBv2Backend, *args: Any, **kwargs: Any) -> FakeListener:
    listener: FakeListener = original(ELBv2Backend, "modify_listener")(self, *args, **kwargs)
    _track_attachments(self)
    return listener


def delete_listener(self: ELBv2Backend, listener_arn: str) -> FakeListener:
    listener: FakeListener = original(ELBv2Backend, "delete_listener")(self, listener_arn)
    _track_attachments(self)
    return listener


def delete_load_balancer(self: ELBv2Backend, arn: str) -> None:
    ec2 = ec2_backends[self.account_id][self.region_name]
    for service in ec2.configurations.values():
        if arn in service.network_load_balancer_arns:
            raise ResourceInUseError(
                f"Load balancer '{arn}' cannot be deleted because it is currently "
                f"associated with another service"
            )
    original(ELBv2Backend, "delete_load_balancer")(self, arn)
    timeline.forget((LB_CREATED, arn))
    _track_attachments(self)


def _draining(group: FakeTargetGroup) -> dict[str, tuple[dict[str, Any], float]]:
    """Deregistered targets still draining: id -> (target, moment the drain ends)."""
    drains: dict[str, tuple[dict[str, Any], float]] = group.__dict__.setdefault(
        "_fakeaws_draining", {}
    )
    now = timeline.now()
    for target_id in [t for t, (_, ends) in drains.items() if ends <= now]:
        del drains[target_id]
    return drains


def register(self: FakeTargetGroup, targets: list[dict[str, Any]]) -> None:
    newly_registered = [t["Id"] for t in targets if t["Id"] not in self.targets]
    original(FakeTargetGroup, "register")(self, targets)
    drains = _draining(self)
    for target_id in newly_registered:
        drains.pop(target_id, None)  # registering again cancels the drain, as in AWS
        timeline.mark((TARGET_REGISTERED, self.arn, target_id))


def deregister(self: FakeTargetGroup, targets: list[dict[str, Any]]) -> None:
    leaving = [dict(self.targets[t["Id"]]) for t in targets if t["Id"] in self.targets]
    original(FakeTargetGroup, "deregister")(self, targets)
    delay = float(
        str(
            self.attributes.get(
                "deregistration_delay.timeout_seconds", DEFAULT_DEREGISTRATION_DELAY
            )
        )
    )
    drains = _draining(self)
    for target in leaving:
        timeline.forget((TARGET_REGISTERED, self.arn, target["Id"]))
        if delay > 0:
            drains[target["Id"]] = (target, timeline.now() + delay)


def describe_target_health(
    self: ELBv2Backend, target_group_arn: str, targets: list[dict[str, Any]]
) -> list[FakeHealthStatus]:
    """All targets, as AWS lists them when none are named: draining ones included."""
    group = self.target_groups.get(target_group_arn)
    if group is not None and not targets:
        drains = _draining(group)
        targets = list(group.targets.values()) + [
            target for target_id, (target, _) in drains.items() if target_id not in group.targets
        ]
    statuses: list[FakeHealthStatus] = original(ELBv2Backend, "describe_target_health")(
        self, target_group_arn, targets
    )
    return statuses


def health_for(self: FakeTargetGroup, target: dict[str, Any], ec2_backend: Any) -> FakeHealthStatus:
    drain = _draining(self).get(target["Id"])
    if drain is not None and target["Id"] not in self.targets:
        return FakeHealthStatus(
            target["Id"],
            drain[0].get("Port", self.port),
            self.health_check_port,
            "draining",
            "Target.DeregistrationInProgress",
            "Target deregistration is in progress",
        )
    status: FakeHealthStatus = original(FakeTargetGroup, "health_for")(self, target, ec2_backend)
    if status.status != "healthy":
        return status
    if timeline.moment((TG_ATTACHED, self.arn)) is None:
        return _with_state(
            status,
            "unused",
            "Target.NotInUse",
            "Target group is not configured to receive traffic from the load balancer",
        )
    # Health checks start once the target is both registered and behind a listener.
    since = max(
        timeline.moment((TG_ATTACHED, self.arn)) or 0.0,
        timeline.moment((TARGET_REGISTERED, self.arn, status.instance_id)) or 0.0,
    )
    needed = HEALTHY_THRESHOLD_CHECKS * timeline.delays.health_check
    if timeline.seconds_since(since) < needed:
        return _with_state(
            status, "initial", "Elb.RegistrationInProgress", "Target registration is in progress"
        )
    return status


def _with_state(
    status: FakeHealthStatus, state: str, reason: str, description: str
) -> FakeHealthStatus:
    return FakeHealthStatus(
        status.instance_id, status.port, status.health_check_port, state, reason, description
    )


def install() -> None:
    replace(ELBv2Backend, "create_load_balancer", create_load_balancer)
    replace(ELBv2Backend, "create_listener", create_listener)
    replace(ELBv2Backend, "create_target_group", create_target_group)
    replace(ELBv2Backend, "describe_target_health", describe_target_health)
    replace(ELBV2Response, "describe_account_limits", describe_account_limits)
    replace(ELBv2Backend, "modify_listener", modify_listener)
    replace(ELBv2Backend, "delete_listener", delete_listener)
    replace(ELBv2Backend, "delete_load_balancer", delete_load_balancer)
    replace(FakeLoadBalancer, "state", property(load_balancer_state, set_load_balancer_state))
    replace(FakeLoadBalancer, "activate", activate_by_time)
    replace(FakeTargetGroup, "register", register)
    replace(FakeTargetGroup, "deregister", deregister)
    replace(FakeTargetGroup, "health_for", health_for)
