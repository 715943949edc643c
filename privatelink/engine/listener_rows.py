"""Listener rows of one PrivateLink, planned the same way on every cloud: a row per desired
slot (component, node, connection), its port allocated in the database first, unique per
link and stable for the slot's life. Each driver then makes its cloud hold one port per row
and removes the rows no longer wanted in its own way (AWS drains them first)."""

from dataclasses import dataclass

from console.models import ServiceNode
from privatelink.engine import planner
from privatelink.models import Listener, PrivateLink, PrivateLinkConnection


@dataclass(frozen=True)
class WantedSlots:
    """The slots the link's enabled components need now, with the nodes and live
    connections they name."""

    slots: list[planner.Slot]
    nodes: dict[str, ServiceNode]
    connections: dict[str, PrivateLinkConnection]

    def unwanted(self, rows: dict[str, Listener]) -> list[str]:
        """The keys of `rows` to remove, in a stable order: slots no longer wanted, and
        per-node rows whose node a plan change removed, even if a node of the same name
        came back since (the new node gets a fresh row)."""
        wanted = {slot.key for slot in self.slots}
        gone_nodes = {key for key, row in rows.items() if row.connection_id and row.node_id is None}
        return sorted((set(rows) - wanted) | gone_nodes)

    def add_missing(self, link: PrivateLink, rows: dict[str, Listener], taken: set[int]) -> None:
        """A row for each slot without one, on a port not in `taken` (which grows)."""
        for slot in self.slots:
            if slot.key in rows:
                continue
            port = slot.fixed_port or planner.next_free_port(taken)
            taken.add(port)
            rows[slot.key] = Listener.objects.create(
                privatelink=link,
                component=slot.component,
                kafka_authentication_method=slot.kafka_authentication_method,
                connection=self.connections.get(slot.connection_id or ""),
                node=self.nodes.get(slot.node_name or ""),
                slot=slot.key,
                port=port,
            )


def wanted_slots(link: PrivateLink) -> WantedSlots:
    service = link.service
    nodes = {n.name: n for n in ServiceNode.objects.filter(service=service)}
    connections = {
        c.privatelink_connection_id: c for c in link.connections.live().order_by("number")
    }
    slots = planner.desired_slots(
        planner.enabled_ports(service), list(nodes.values()), list(connections)
    )
    return WantedSlots(slots, nodes, connections)


def plan_rows(link: PrivateLink) -> list[tuple[Listener, planner.Slot]]:
    """A row for every desired slot, with a port allocated for new ones, for a cloud that
    drains nothing itself before a port goes (Azure, Google): rows no longer wanted are
    deleted now, and their ports go with the driver's next sync."""
    wanted = wanted_slots(link)
    rows = {row.slot: row for row in link.listeners.all()}
    for key in wanted.unwanted(rows):
        rows.pop(key).delete()
    taken = {row.port for row in rows.values()} | planner.reserved_ports(link.service)
    wanted.add_missing(link, rows, taken)
    return [(rows[slot.key], slot) for slot in wanted.slots]
