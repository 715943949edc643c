"""Where each component answers over PrivateLink, per connection, read from the database only.

Pages (Connection information) and the API (`components` with route `privatelink`) both
use `privatelink_routes`, so they always show the same hosts and ports.
"""

from dataclasses import dataclass

from console.catalog import KafkaAuthenticationMethod, Routing
from console.models import Service
from privatelink.engine import planner
from privatelink.hosts import connection_host
from privatelink.models import Listener, PrivateLink, PrivateLinkConnection


@dataclass(frozen=True)
class NodeRoute:
    node: str
    port: int
    health: str


@dataclass(frozen=True)
class Route:
    component: str
    # Kafka: the client authentication method this route's port serves (its own listeners).
    kafka_authentication_method: KafkaAuthenticationMethod | None
    privatelink_connection_id: str
    connection_number: int
    host: str
    # For a per-node component (Kafka) the first node's port, which clients can bootstrap
    # from; `nodes` lists every node's own port.
    port: int
    uri: str
    nodes: tuple[NodeRoute, ...]
    # The listener's target health: healthy once connectivity is there.
    health: str


def live_connections(service: Service) -> list[PrivateLinkConnection]:
    """The connections that hold listeners (`PrivateLinkConnection.LIVE`), by number, in
    one query; none once the PrivateLink is `deleting`."""
    return list(
        PrivateLinkConnection.objects.filter(
            privatelink__service=service, state__in=PrivateLinkConnection.LIVE
        )
        .exclude(privatelink__state=PrivateLink.State.DELETING)
        .order_by("number")
    )


def privatelink_routes(
    service: Service, live: list[PrivateLinkConnection] | None = None
) -> list[Route]:
    """One route per enabled component port (Kafka: per authentication method) per active
    connection, ordered by connection number and the catalog's component order. Two
    queries, one when the caller passes the
    `live_connections` it already read.

    None once the PrivateLink is `deleting`: its teardown rejects the connections and
    deletes their DNS records, so no route would still lead anywhere."""
    live = live_connections(service) if live is None else live
    connections = [c for c in live if c.state == PrivateLinkConnection.State.ACTIVE]
    if not connections:
        return []
    listeners = list(
        Listener.objects.filter(privatelink__service=service)
        .exclude(health=Listener.Health.DRAINING)
        .select_related("node")
        .order_by("port")
    )
    ports = planner.enabled_ports(service)
    routes: list[Route] = []
    for connection in connections:
        host = connection_host(service, connection.number)
        for component_port in ports:
            component = component_port.component
            method = component_port.kafka_authentication_method or ""
            of_port = [
                listener
                for listener in listeners
                if listener.component == component.name
                and listener.kafka_authentication_method == method
            ]
            if component.routing == Routing.PER_NODE:
                mine = [
                    listener
                    for listener in of_port
                    if listener.connection_id == connection.pk
                    and listener.node is not None  # its node removed, the row not yet
                ]
                mine.sort(key=lambda listener: listener.node.name if listener.node else "")
            else:
                mine = [listener for listener in of_port if listener.connection_id is None]
            if not mine:
                continue
            nodes = tuple(
                NodeRoute(listener.node.name, listener.port, listener.health)
                for listener in mine
                if listener.node is not None
            )
            # The worst health of a component's listeners is the component's health.
            health = Listener.Health.worst(listener.health for listener in mine)
            routes.append(
                Route(
                    component=component.name,
                    kafka_authentication_method=component_port.kafka_authentication_method,
                    privatelink_connection_id=connection.privatelink_connection_id,
                    connection_number=connection.number,
                    host=host,
                    port=mine[0].port,
                    uri=component.uri(host, mine[0].port),
                    nodes=nodes,
                    health=health,
                )
            )
    return routes
