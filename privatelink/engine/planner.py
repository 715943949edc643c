"""What listeners a PrivateLink needs: one slot per purpose, and the ports that serve them.

A slot names what a listener is for: `component` for a balanced or primary component
(one listener on the component's own port, shared by every connection), and
`component:plc...:node` for a per-node component (one pool port per node and per
accepted connection, so each Kafka broker is addressable through each endpoint). Kafka's
SASL port is a component port of its own (`kafka.sasl:plc...:node`): with SASL on, each
broker has a second listener per connection, and the certificate slots keep their names
(and so their ports) whatever SASL does.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from console import catalog
from console.catalog import Component, ComponentPort, KafkaAuthenticationMethod, Routing
from console.errors import InvalidInput
from console.models import Service, ServiceNode
from privatelink.models import MAX_LISTENERS_PER_NLB, PORT_POOL


@dataclass(frozen=True)
class Slot:
    key: str
    component: str
    # The Kafka client authentication method the listener serves; "" for other components.
    kafka_authentication_method: str
    # The port the targets (the nodes) answer on: the component port's dynamic port.
    target_port: int
    # Per-node slots: the connection (its privatelink_connection_id) and node they serve.
    connection_id: str | None
    node_name: str | None
    # Balanced and primary components keep their dynamic port; per-node slots take one
    # from the pool.
    fixed_port: int | None
    target_ips: tuple[str, ...]


# Seconds a deregistered target keeps its open connections (AWS's default: 300). Kafka
# clients reconnect to another broker from the cluster metadata, so brokers drain fast;
# HTTP components let requests in flight finish; a primary database gets the longest, as
# its clients hold long transactions.
DEREGISTRATION_DELAY_SECONDS = {
    Routing.PER_NODE: 30,
    Routing.BALANCED: 60,
    Routing.PRIMARY: 120,
}
_COMPONENT_DEREGISTRATION_DELAY_SECONDS = {"kafka": 15}


def deregistration_delay(component: Component | None) -> int:
    if component is None:
        return 300
    return _COMPONENT_DEREGISTRATION_DELAY_SECONDS.get(
        component.name, DEREGISTRATION_DELAY_SECONDS[component.routing]
    )


def slot_key(
    component: str,
    connection_id: str | None = None,
    node: str | None = None,
    kafka_authentication_method: str = "",
) -> str:
    # Certificate slots keep Kafka's plain name: turning SASL on or off never renames them
    # (nor moves their ports).
    if kafka_authentication_method == KafkaAuthenticationMethod.SASL:
        component = f"{component}.{kafka_authentication_method}"
    return ":".join(part for part in (component, connection_id, node) if part)


def enabled_components(service: Service, access: dict[str, bool] | None = None) -> list[Component]:
    """The service's privatelink-capable components switched on in `access` (or its config)."""
    flags = service.privatelink_access() if access is None else access
    return [c for c in service.type.privatelink_components if flags.get(c.name)]


def enabled_ports(service: Service, config: Mapping[str, Any] | None = None) -> list[ComponentPort]:
    """Every component port that needs listeners under `config` (or the service's own user
    config): each component switched on, Kafka once per authentication method on."""
    if config is None:
        return [p for c in enabled_components(service) for p in service.ports_of(c)]
    access = config.get("privatelink_access") or {}
    methods = catalog.kafka_authentication_methods(config)
    return [p for c in enabled_components(service, access) for p in c.ports(methods)]


def listener_count(ports: Iterable[ComponentPort], node_count: int, connection_count: int) -> int:
    return sum(listeners_of(p, node_count, connection_count) for p in ports)


def listeners_of(port: ComponentPort, node_count: int, connection_count: int) -> int:
    return node_count * connection_count if port.component.routing == Routing.PER_NODE else 1


def _switch_for(port: ComponentPort) -> str:
    """What turns a component port's listeners off: a component's name (its privatelink
    access), or the user-config key of Kafka's SASL method."""
    if port.kafka_authentication_method == KafkaAuthenticationMethod.SASL:
        return "kafka_authentication_methods.sasl"
    return port.component.name


def _turn_off(switch: str) -> str:
    return switch if "." in switch else f"privatelink access for {switch}"


def check_listener_budget(
    ports: Iterable[ComponentPort], node_count: int, connections: int
) -> None:
    """Refuse, before anything is saved, a change that needs more listeners than an NLB has,
    naming the limit, what each component port takes and what to turn off."""
    enabled = list(ports)
    connection_count = max(connections, 1)
    needed = listener_count(enabled, node_count, connection_count)
    if needed <= MAX_LISTENERS_PER_NLB:
        return
    usage = sorted(
        ((listeners_of(p, node_count, connection_count), p.name, _switch_for(p)) for p in enabled),
        key=lambda item: (-item[0], item[1]),
    )
    excess = needed - MAX_LISTENERS_PER_NLB
    # Switches whose turning off alone makes it fit, the smallest such first.
    enough = sorted((count, switch) for count, _, switch in usage if count >= excess)
    advice = (
        f"Turn off {_turn_off(enough[0][1])}"
        + (f" (or {', '.join(switch for _, switch in enough[1:3])})" if len(enough) > 1 else "")
        if enough
        else "Turn off privatelink access for several components"
    )
    per_node = f"{node_count} nodes x {connection_count} connection" + (
        "s" if connection_count != 1 else ""
    )
    raise InvalidInput(
        f"This needs {needed} load balancer listeners, but AWS allows at most "
        f"{MAX_LISTENERS_PER_NLB} listeners per Network Load Balancer (a fixed limit) and "
        f"every PrivateLink has one. Listeners per component ({per_node}): "
        + ", ".join(f"{name} {count}" for count, name, _ in usage)
        + f". {advice} to free at least {excess}.",
        field="privatelink_access",
    )


def listener_budget(service: Service, node_count: int, connections: int) -> tuple[int, int]:
    """(listeners the current configuration takes, the NLB's limit), as the page shows it."""
    used = listener_count(enabled_ports(service), node_count, max(connections, 1))
    return used, MAX_LISTENERS_PER_NLB


def desired_slots(
    ports: Iterable[ComponentPort],
    nodes: Sequence[ServiceNode],
    connection_ids: Sequence[str],
) -> list[Slot]:
    """Every listener the enabled component ports need for the accepted connections."""
    ordered = sorted(nodes, key=lambda n: n.name)
    slots: list[Slot] = []
    for port in ports:
        component = port.component
        method = port.kafka_authentication_method or ""
        if component.routing == Routing.PER_NODE:
            slots.extend(
                Slot(
                    slot_key(component.name, connection_id, node.name, method),
                    component.name,
                    method,
                    port.dynamic_port,
                    connection_id,
                    node.name,
                    None,
                    (node.private_ip,),
                )
                for connection_id in connection_ids
                for node in ordered
            )
        else:
            # A primary component reaches the primary, which is the first node by name.
            targets = ordered if component.routing == Routing.BALANCED else ordered[:1]
            slots.append(
                Slot(
                    slot_key(component.name, kafka_authentication_method=method),
                    component.name,
                    method,
                    port.dynamic_port,
                    None,
                    None,
                    port.dynamic_port,
                    tuple(n.private_ip for n in targets),
                )
            )
    return slots


def target_port(component: Component | None, kafka_authentication_method: str) -> int | None:
    """The port a listener row's targets answer on, from the catalog; None for a component
    the catalog no longer has."""
    if component is None:
        return None
    return component.port_for(kafka_authentication_method).dynamic_port


def reserved_ports(service: Service) -> set[int]:
    """The dynamic ports of every component port the type has: balanced and primary
    components listen on them, so per-node slots never take them from the pool."""
    return {p.dynamic_port for c in service.type.privatelink_components for p in c.every_port}


def next_free_port(taken: set[int]) -> int:
    """The lowest pool port not in use on this NLB; ports are never moved once allocated."""
    for port in PORT_POOL:
        if port not in taken:
            return port
    raise RuntimeError("The listener port pool is exhausted")
