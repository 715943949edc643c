"""Listeners and target groups of one PrivateLink's NLB, from the enabled components.

Ports are allocated in the database first (unique per NLB, stable for a slot's life),
then AWS is made to match the rows: one TCP target group (target type ip) and one
listener per row, nothing else on the NLB.
"""

from collections import defaultdict
from datetime import datetime

from django.utils import timezone

from console.catalog import Routing
from console.models import ServiceNode
from privatelink.clouds.aws.gateway import AwsListener, AwsLoadBalancer, Gateway, Terminal
from privatelink.clouds.aws.gateway.elbv2 import (
    HEALTH_CHECK_INTERVAL_SECONDS,
    HEALTHY_THRESHOLD_COUNT,
)
from privatelink.engine import listener_rows, naming, planner
from privatelink.engine.run import Run
from privatelink.models import Listener

# Targets still `initial` after AWS should have passed them are looked at less and less
# often, up to this.
HEALTH_BACKOFF_MAX_SECONDS = 60
# Looking again for the end of a drain: a worker never waits for it.
DRAIN_POLL_SECONDS = 15
_AWS_HEALTH = {
    "initial": Listener.Health.INITIAL,
    "healthy": Listener.Health.HEALTHY,
    "unhealthy": Listener.Health.UNHEALTHY,
    "unused": Listener.Health.UNUSED,
    "unavailable": Listener.Health.UNHEALTHY,
}


def _health(states: list[str]) -> str:
    """A listener's health: the worst of its targets' AWS health states."""
    return Listener.Health.worst(_AWS_HEALTH.get(s, Listener.Health.INITIAL) for s in states)


def plan_rows(run: Run, gateway: Gateway) -> list[Listener]:
    """Listener rows for every desired slot, allocating ports for new ones; rows no longer
    wanted are removed from AWS and the database (their ports return to the pool)."""
    link = run.privatelink
    wanted = listener_rows.wanted_slots(link)
    all_rows = list(link.listeners.all())
    draining = [row for row in all_rows if row.health == Listener.Health.DRAINING]
    # A draining row keeps its port until its listener is gone.
    still_draining = {row.port for row in draining if not _finish_drain(run, gateway, row)}
    rows = {row.slot: row for row in all_rows if row.health != Listener.Health.DRAINING}
    for key in wanted.unwanted(rows):
        row = rows.pop(key)
        if not _remove(run, gateway, row):
            still_draining.add(row.port)
    taken = {row.port for row in rows.values()} | planner.reserved_ports(link.service)
    wanted.add_missing(link, rows, taken | still_draining)
    return [rows[slot.key] for slot in wanted.slots]


def _remove(run: Run, gateway: Gateway, row: Listener) -> bool:
    """Deregister the row's targets and let them drain (the listener and port stay
    meanwhile); a row without targets, or whose group is gone, goes at once (True)."""
    group = gateway.find_target_group(naming.target_group_name(run.privatelink.pk, row.port))
    if group is not None and group.owned_by(run.owner):
        registered = gateway.target_health(group.arn)
        if registered:
            gateway.deregister_targets(group.arn, set(registered), _target_port(run, row))
            row.mark_draining()
            run.event("targets_draining", component=row.component, port=row.port)
            run.wait(DRAIN_POLL_SECONDS)
            return False
    _delete(run, gateway, row)
    return True


def _target_port(run: Run, row: Listener) -> int:
    """Where the row's targets answer: the dynamic port of its component and Kafka method."""
    component = run.privatelink.service.type.component(row.component)
    return planner.target_port(component, row.kafka_authentication_method) or row.port


def _finish_drain(run: Run, gateway: Gateway, row: Listener) -> bool:
    """Remove a draining row's listener and target group once AWS reports no target
    draining; False while some still are."""
    group = gateway.find_target_group(naming.target_group_name(run.privatelink.pk, row.port))
    if group is not None and gateway.draining_targets(group.arn):
        run.wait(DRAIN_POLL_SECONDS)
        return False
    _delete(run, gateway, row)
    return True


def _delete(run: Run, gateway: Gateway, row: Listener) -> None:
    link = run.privatelink
    nlb_arn = link.aws_details.nlb_arn
    if nlb_arn:
        for listener in gateway.listeners(nlb_arn):
            if listener.port == row.port:
                gateway.delete_listener(listener.arn)
    group = gateway.find_target_group(naming.target_group_name(link.pk, row.port))
    if group is not None and group.owned_by(run.owner):
        gateway.delete_target_group(group.arn)
    row.delete()


def sync_listeners(run: Run, gateway: Gateway, balancer: AwsLoadBalancer, vpc_id: str) -> None:
    link = run.privatelink
    kind = link.service.type
    rows = plan_rows(run, gateway)
    nodes = list(ServiceNode.objects.filter(service=link.service))
    # A front this run made or saw come up holds none of our listeners until this run's
    # first pass sets them up: neither they nor the groups they forward to are asked.
    bare = run.new_front == balancer.arn and not run.ports_synced
    run.ports_synced = True
    by_port: dict[int, list[AwsListener]] = defaultdict(list)
    for listener in [] if bare else gateway.listeners(balancer.arn):
        by_port[listener.port].append(listener)
    healthy_before = _healthy_components(rows)
    attached = {} if bare else {g.name: g for g in gateway.target_groups_of(balancer.arn)}
    for row in rows:
        component = kind.component(row.component)
        target_port = _target_port(run, row)
        name = naming.target_group_name(link.pk, row.port)
        # Groups created by a run that crashed before its listener are found by name.
        group = attached.get(name) or gateway.find_target_group(name)
        if group is not None and not group.owned_by(run.owner):
            raise Terminal(
                "ForeignTargetGroup",
                f"A target group named {name} exists without this console's tags.",
                "create_target_group",
            )
        if group is None:
            group = gateway.create_target_group(
                name, target_port, vpc_id, run.owner, planner.deregistration_delay(component)
            )
        targets = set(_target_ips(row, nodes))
        health = gateway.target_health(group.arn)
        added = targets - set(health)
        gateway.register_targets(group.arn, added, target_port)
        gateway.deregister_targets(group.arn, set(health) - targets, target_port)
        listener = _ensure_listener(
            run, gateway, balancer, row, group.arn, by_port.pop(row.port, [])
        )
        if added or listener.arn != row.listener_arn:
            # Targets just registered or attached have not been looked at: ask AWS now
            # rather than assume `initial` and wait (a fast check may have passed already).
            health = gateway.target_health(group.arn)
        states = [health.get(ip, "initial") for ip in sorted(targets)]
        row.save_changes(
            target_group_arn=group.arn, listener_arn=listener.arn, health=_health(states)
        )
        if row.health == Listener.Health.INITIAL:
            run.wait(health_recheck_seconds(row.updated, timezone.now()))
    # Listeners on ports no row holds were left by a crash or made behind our back; those
    # of draining rows stay until their targets are drained.
    for port in link.listeners.filter(health=Listener.Health.DRAINING).values_list(
        "port", flat=True
    ):
        by_port.pop(port, None)
    for stray in by_port.values():
        for listener in stray:
            gateway.delete_listener(listener.arn)
    for name in sorted(_healthy_components(rows) - healthy_before):
        run.event("component_healthy", component=name)


def health_recheck_seconds(initial_since: datetime, now: datetime) -> float:
    """When to look again at targets `initial` since `initial_since`: at AWS's next health
    check until enough checks have passed for them to be healthy, then backing off (as long
    again as they are overdue, at least one interval) while they are still not."""
    age = max(0.0, (now - initial_since).total_seconds())
    expected = HEALTHY_THRESHOLD_COUNT * HEALTH_CHECK_INTERVAL_SECONDS
    if age < expected:
        to_next_check = HEALTH_CHECK_INTERVAL_SECONDS - age % HEALTH_CHECK_INTERVAL_SECONDS
        return max(1.0, to_next_check)
    return min(HEALTH_BACKOFF_MAX_SECONDS, max(HEALTH_CHECK_INTERVAL_SECONDS, age - expected))


def _target_ips(row: Listener, nodes: list[ServiceNode]) -> list[str]:
    """A per-node row's node; a balanced row every node; a primary row the first node."""
    if row.node is not None:
        return [row.node.private_ip]
    component = row.privatelink.service.type.component(row.component)
    ordered = sorted(nodes, key=lambda n: n.name)
    if component is not None and component.routing == Routing.PRIMARY:
        ordered = ordered[:1]
    return [n.private_ip for n in ordered]


def _ensure_listener(
    run: Run,
    gateway: Gateway,
    balancer: AwsLoadBalancer,
    row: Listener,
    target_group_arn: str,
    existing: list[AwsListener],
) -> AwsListener:
    keep = next((x for x in existing if x.target_group_arn == target_group_arn), None)
    for other in existing:
        if other is not keep:
            gateway.delete_listener(other.arn)
    if keep is not None:
        return keep
    created = gateway.create_listener(balancer.arn, row.port, target_group_arn, run.owner)
    if row.listener_arn:
        run.event("drift_repaired", resource="listener", component=row.component, port=row.port)
    return created


def _healthy_components(rows: list[Listener]) -> set[str]:
    health: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        health[row.component].add(row.health)
    return {
        c
        for c, states in health.items()
        if Listener.Health.worst(states) == Listener.Health.HEALTHY
    }
