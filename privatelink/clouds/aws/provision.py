"""The load balancer, the endpoint service and its allowed principals of one PrivateLink.

Each step observes first, finds what an earlier (possibly crashed) run created by its
deterministic name or ownership tags, creates only what is missing, and never adopts a
resource without our tags.
"""

from collections.abc import Callable

from django.utils import timezone

from privatelink.clouds.aws import nlb_looks
from privatelink.clouds.aws.gateway import (
    AwsEndpointService,
    AwsLoadBalancer,
    Gateway,
    GatewayError,
    Terminal,
)
from privatelink.engine import naming
from privatelink.engine.run import Run
from privatelink.models import AwsPrivateLink, PrivateLink

NLB_POLL_SECONDS = 5
# Looks at a provisioning NLB keep to its own clock (every NLB_POLL_SECONDS of its age, this
# much after), so that the time runs wait in the queue does not add up from look to look.
NLB_LOOK_MARGIN_SECONDS = 0.5
ENDPOINT_SERVICE_POLL_SECONDS = 5
# What creating an NLB in subnets that are gone answers (ELB's own words, and moto's EC2 ones).
SUBNETS_GONE = frozenset({"SubnetNotFound", "InvalidSubnetID.NotFound", "InvalidVpcID.NotFound"})


def details(link: PrivateLink) -> AwsPrivateLink:
    """The link's AWS row, made here when AWS is first observed for it."""
    try:
        return link.aws
    except AwsPrivateLink.DoesNotExist:
        row, _ = AwsPrivateLink.objects.get_or_create(privatelink=link)
        link.aws = row
        return row


def ensure_load_balancer(
    run: Run, gateway: Gateway, subnet_ids: Callable[[bool], list[str]]
) -> AwsLoadBalancer | None:
    """The PrivateLink's NLB once active; None (and a requeue) while it provisions.

    `subnet_ids(check_now)` is asked only when the NLB must be created, so that the Project
    VPC is checked in AWS then (it may have vanished with the NLB) and not on every run; a
    recent check of another run may vouch for it, unless `check_now`.
    """
    link = run.privatelink
    aws = details(link)
    name = naming.load_balancer_name(link.pk)
    # The recorded NLB seen alone under its name after it provisioned: ours, since AWS never
    # gives an ARN twice (its tags are not asked), and no run used it while it provisioned.
    came_up = False
    if aws.nlb_arn and aws.nlb_state == "provisioning":
        # The NLB this console created and recorded: while it provisions only the states of
        # its name's load balancers are asked (or taken from a look of another link that
        # stands for this one); once its own changed (or it is gone), the same answer is
        # observed in full below.
        every, margin = NLB_POLL_SECONDS, NLB_LOOK_MARGIN_SECONDS
        if seen := nlb_looks.provisioning_as_seen(link, name, every, margin):
            run.wait(next_look_at_load_balancer(seen))
            return None
        named = nlb_looks.look(link, gateway, name, every, margin)
        seen = next((lb for lb in named if lb.arn == aws.nlb_arn), None)
        if seen is not None and seen.state == "provisioning":
            run.wait(next_look_at_load_balancer(seen))
            return None
        came_up = seen is not None and named == [seen]
        found = named if came_up else gateway.with_tags(named)
    else:
        found = gateway.find_load_balancers(name)
    ours = found if came_up else [lb for lb in found if lb.owned_by(run.owner)]
    if found and not ours:
        raise Terminal(
            "ForeignLoadBalancer",
            f"A load balancer named {name} exists without this console's tags; "
            "it is left alone. Remove or rename it.",
            "create_load_balancer",
        )
    if ours:
        ours.sort(key=lambda lb: (lb.arn != aws.nlb_arn, lb.arn))
        balancer = ours[0]
        # Only a server without AWS's name idempotency lets a race create two: keep one.
        for duplicate in ours[1:]:
            gateway.delete_load_balancer(duplicate.arn)
    else:
        try:
            balancer = gateway.create_load_balancer(name, subnet_ids(False), run.owner)
        except GatewayError as exc:
            if exc.code not in SUBNETS_GONE:
                raise
            # Gone since the check that vouched for them: checked in AWS (and rebuilt) now.
            balancer = gateway.create_load_balancer(name, subnet_ids(True), run.owner)
        nlb_looks.keep_created(link, balancer)
        run.event("nlb_created", nlb=name)
    active = balancer.state in {"active", "active_impaired"}
    # Cross-zone is on before an NLB's ARN is recorded (switched on if this run created it,
    # checked if it found one unrecorded, after a crash), so the look that sees a recorded
    # one come up need not ask; an active one is checked at every other run, before
    # anything uses it.
    if not ours:
        gateway.enable_cross_zone(balancer.arn)
    elif balancer.arn != aws.nlb_arn or (active and not came_up):
        ensure_cross_zone(run, gateway, balancer)
    aws.save_changes(nlb_arn=balancer.arn, nlb_state=balancer.state)
    if active:
        if came_up or not ours:
            run.new_front = balancer.arn
        return balancer
    if balancer.state == "failed":
        raise Terminal("LoadBalancerFailed", f"AWS reports the NLB {name} as failed.", "")
    run.wait(next_look_at_load_balancer(balancer))
    return None


def next_look_at_load_balancer(balancer: AwsLoadBalancer) -> float:
    """Seconds until the provisioning NLB's age is the next multiple of NLB_POLL_SECONDS
    (plus a margin): an NLB active at 30 s is seen at 30.5 s, not at the sixth look after
    five queued ones, which may be 35 or 40 s."""
    if balancer.created is None:
        return NLB_POLL_SECONDS
    age = (timezone.now() - balancer.created).total_seconds()
    if age < 0:  # AWS's clock ahead of ours
        return NLB_POLL_SECONDS
    return NLB_POLL_SECONDS - age % NLB_POLL_SECONDS + NLB_LOOK_MARGIN_SECONDS


def ensure_cross_zone(run: Run, gateway: Gateway, balancer: AwsLoadBalancer) -> None:
    """Cross-zone load balancing on: each broker's listener has its one target in one zone,
    and an endpoint's interface in another zone reaches only its own zone's NLB node.

    Found off on a settled link, it was changed behind the console's back and is reported
    as repaired drift; on an unsettled one a run may simply have stopped between the
    create and the switch.
    """
    if gateway.cross_zone_enabled(balancer.arn):
        return
    gateway.enable_cross_zone(balancer.arn)
    link = run.privatelink
    if link.observed_generation == link.generation:
        run.event("drift_repaired", resource="cross-zone load balancing", nlb=balancer.name)


def _find_endpoint_service(
    run: Run, gateway: Gateway, balancer: AwsLoadBalancer
) -> AwsEndpointService | None:
    recorded = details(run.privatelink).service_id
    if recorded:
        found = gateway.endpoint_services([recorded]).get(recorded)
        if found is not None:
            return found
    if run.new_front == balancer.arn:
        # No run published an NLB before it was recorded active, nor can one be deleted
        # while a service uses it: nothing of ours is left to find.
        return None
    # A run that crashed after the create left no id in the row: find it by its tags.
    tagged = gateway.our_endpoint_services(owner=run.owner)
    ours = [s for s in tagged if s.owned_by(run.owner)]
    ours.sort(key=lambda s: s.service_id)
    for duplicate in ours[1:]:
        gateway.delete_endpoint_service(duplicate.service_id)
    return ours[0] if ours else None


def ensure_endpoint_service(
    run: Run, gateway: Gateway, balancer: AwsLoadBalancer
) -> AwsEndpointService | None:
    """The endpoint service once Available; None (and a requeue) while it is pending."""
    link = run.privatelink
    aws = details(link)
    service = _find_endpoint_service(run, gateway, balancer)
    if service is None:
        if aws.service_id:
            run.event("drift_repaired", resource="endpoint service", missing=aws.service_id)
        service = gateway.create_endpoint_service(
            balancer.arn, run.owner, naming.client_token(link.pk)
        )
        run.published_now = service.service_id
    was_available = aws.endpoint_service_state == "Available"
    aws.save_changes(
        service_id=service.service_id,
        service_name=service.service_name,
        endpoint_service_state=service.state,
    )
    if service.state == "Available":
        if not was_available:
            run.event("endpoint_service_available", aws_service_name=service.service_name)
        return service
    if service.state == "Failed":
        raise Terminal("EndpointServiceFailed", "AWS reports the endpoint service failed.", "")
    run.wait(ENDPOINT_SERVICE_POLL_SECONDS)
    return None


def ensure_principals(run: Run, gateway: Gateway, service_id: str, settled: bool) -> None:
    """Make the allowed principals exactly the desired set (Add/Remove diff as sets).

    `settled`: the user changed nothing since the last run, so a difference was made
    behind the console's back and is reported as repaired drift.
    """
    desired = set(run.privatelink.principals)
    # A service this run created allows no one yet: nothing to ask AWS.
    current = set() if run.published_now == service_id else gateway.allowed_principals(service_id)
    add, remove = desired - current, current - desired
    if not (add or remove):
        return
    gateway.modify_principals(service_id, add, remove)
    if settled:
        run.event(
            "drift_repaired",
            resource="allowed principals",
            added=sorted(add),
            removed=sorted(remove),
        )
