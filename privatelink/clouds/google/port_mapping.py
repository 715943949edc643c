"""The ports of one PrivateLink on Google, from the listener rows: one endpoint of the
link's port mapping group per row, sending the row's port (the client destination port of
the customer's PSC endpoint) to its node's service port.

Ports are allocated in the database first by the engine's planner (unique per link, stable
for a slot's life), as on every cloud. A port mapping has one node per port: a per-node row
goes to its node; a balanced or primary row to the first of its target nodes (Google
balances nothing behind a port mapping service). Changed or unwanted endpoints are
detached before new ones are attached, so a client port is never mapped twice.
"""

from privatelink.clouds.google.endpoint_groups import MappedPort, instance_path
from privatelink.clouds.google.names import endpoint_group_name
from privatelink.clouds.google.operations import GoogleGateway
from privatelink.engine import listener_rows
from privatelink.engine.run import Run
from privatelink.models import Listener


def desired_ports(run: Run, project: str) -> set[MappedPort]:
    nodes = {n.name: n for n in run.privatelink.service.nodes.all()}
    by_ip = {n.private_ip: n for n in nodes.values()}
    desired: set[MappedPort] = set()
    for row, slot in listener_rows.plan_rows(run.privatelink):
        node = nodes.get(slot.node_name or "") or next(
            (by_ip[ip] for ip in sorted(slot.target_ips) if ip in by_ip), None
        )
        if node is None:
            continue  # no node to send it to yet
        instance = instance_path(project, node.availability_zone, node.name)
        desired.add(MappedPort(row.port, instance, slot.target_port))
    return desired


def sync_ports(run: Run, gateway: GoogleGateway) -> None:
    """One endpoint per row, to the row's node; no other endpoint in the group."""
    name = endpoint_group_name(run.privatelink.pk)
    desired = desired_ports(run, gateway.project)
    current = set(gateway.mapped_ports(name))
    if stale := current - desired:
        gateway.detach_ports(name, stale)
    if missing := desired - current:
        gateway.attach_ports(name, missing)
    # Google reads no health of a port mapping endpoint: a row whose endpoint is in place
    # counts as serving.
    run.privatelink.listeners.exclude(health=Listener.Health.HEALTHY).update(
        health=Listener.Health.HEALTHY
    )


def drifted(gateway: GoogleGateway, link_id: int, rows: list[Listener]) -> bool:
    """Whether the group's client ports differ from the rows'."""
    ports = {p.client_port for p in gateway.mapped_ports(endpoint_group_name(link_id))}
    return ports != {row.port for row in rows}
