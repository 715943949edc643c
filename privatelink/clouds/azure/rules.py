"""The load-balancing rules of one PrivateLink's load balancer, from the listener rows.

Ports are allocated in the database first by the engine's planner (unique per link, stable
for a slot's life), as on AWS; then the load balancer is made to hold exactly one rule per
row (with its pool of the row's nodes and its probe), in one update of the load balancer.
Azure drains a removed rule's flows itself, so a row no longer wanted goes at once.
"""

from privatelink.clouds.azure.load_balancers import AzureLoadBalancer, RuleTarget
from privatelink.clouds.azure.operations import AzureGateway
from privatelink.engine import listener_rows
from privatelink.engine.run import Run
from privatelink.models import Listener


def sync_rules(
    run: Run, gateway: AzureGateway, balancer: AzureLoadBalancer, network_id: str
) -> None:
    """One rule per row, forwarding to the row's nodes; no other rule on the load balancer."""
    planned = listener_rows.plan_rows(run.privatelink)
    desired = {
        row.port: RuleTarget(slot.target_port, tuple(sorted(slot.target_ips)), network_id)
        for row, slot in planned
    }
    current = {rule.frontend_port: rule for rule in gateway.rules(balancer.name)}
    add = {
        port: target
        for port, target in desired.items()
        if port not in current
        or (current[port].backend_port, current[port].backend_ips)
        != (target.backend_port, target.ips)
    }
    remove = [port for port in current if port not in desired]
    if add or remove:
        gateway.change_rules(balancer.name, add, remove)
    for row, _ in planned:
        # A serving row had its rule: one missing now was removed behind the console's back.
        if row.health == Listener.Health.HEALTHY and row.port not in current:
            run.event(
                "drift_repaired",
                resource="load-balancing rule",
                component=row.component,
                port=row.port,
            )
    # The gateway reads no probe status (Azure reports it only as metrics): a row whose rule
    # is in place counts as serving.
    run.privatelink.listeners.exclude(health=Listener.Health.HEALTHY).update(
        health=Listener.Health.HEALTHY
    )


def drifted(gateway: AzureGateway, balancer_name: str, rows: list[Listener]) -> bool:
    """Whether the load balancer's ports differ from the rows'."""
    ports = {rule.frontend_port for rule in gateway.rules(balancer_name)}
    return ports != {row.port for row in rows}
