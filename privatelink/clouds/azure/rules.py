"""The load-balancing rules of one PrivateLink's load balancer, from the listener rows.

Ports are allocated in the database first by the engine's planner (unique per link, stable
for a slot's life), as on AWS; then the load balancer is made to hold exactly one rule per
row (with its pool of the row's nodes and its probe), in one update of the load balancer.
Azure drains a removed rule's flows itself, so a row no longer wanted goes at once.
"""

from console.models import ServiceNode
from privatelink.clouds.azure.load_balancers import AzureLoadBalancer, RuleTarget
from privatelink.clouds.azure.operations import AzureGateway
from privatelink.engine import planner
from privatelink.engine.run import Run
from privatelink.models import Listener


def plan_rows(run: Run) -> list[tuple[Listener, planner.Slot]]:
    """A row for every desired slot, with a port allocated for new ones; rows no longer
    wanted are deleted (their rules go with the next update of the load balancer)."""
    link = run.privatelink
    service = link.service
    nodes = {n.name: n for n in ServiceNode.objects.filter(service=service)}
    connections = {
        c.privatelink_connection_id: c for c in link.connections.live().order_by("number")
    }
    slots = planner.desired_slots(
        planner.enabled_ports(service), list(nodes.values()), list(connections)
    )
    rows = {row.slot: row for row in link.listeners.all()}
    wanted = {slot.key for slot in slots}
    # A per-node row whose node a plan change removed goes, even if a node of the same
    # name came back since: the new node gets a fresh row.
    unwanted = {key for key, row in rows.items() if row.connection_id and row.node_id is None}
    for key in sorted((set(rows) - wanted) | unwanted):
        rows.pop(key).delete()
    taken = {row.port for row in rows.values()} | planner.reserved_ports(service)
    for slot in slots:
        if slot.key in rows:
            continue
        port = slot.fixed_port or planner.next_free_port(taken)
        taken.add(port)
        rows[slot.key] = Listener.objects.create(
            privatelink=link,
            component=slot.component,
            kafka_authentication_method=slot.kafka_authentication_method,
            connection=connections.get(slot.connection_id or ""),
            node=nodes.get(slot.node_name or ""),
            slot=slot.key,
            port=port,
        )
    return [(rows[slot.key], slot) for slot in slots]


def desired_rules(run: Run, network_id: str) -> dict[int, RuleTarget]:
    return {
        row.port: RuleTarget(slot.target_port, tuple(sorted(slot.target_ips)), network_id)
        for row, slot in plan_rows(run)
    }


def sync_rules(
    run: Run, gateway: AzureGateway, balancer: AzureLoadBalancer, network_id: str
) -> None:
    """One rule per row, forwarding to the row's nodes; no other rule on the load balancer."""
    desired = desired_rules(run, network_id)
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
    # The gateway reads no probe status (Azure reports it only as metrics): a row whose rule
    # is in place counts as serving.
    run.privatelink.listeners.exclude(health=Listener.Health.HEALTHY).update(
        health=Listener.Health.HEALTHY
    )


def drifted(gateway: AzureGateway, balancer_name: str, rows: list[Listener]) -> bool:
    """Whether the load balancer's ports differ from the rows'."""
    ports = {rule.frontend_port for rule in gateway.rules(balancer_name)}
    return ports != {row.port for row in rows}
