"""The service-type catalog: each type's components, their ports and how they route.

Pure data and the JSON schema derived from it; no database, no AWS.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Routing(StrEnum):
    """Which nodes a component's traffic reaches, and so how the NLB forwards it."""

    PER_NODE = "per_node"  # each node addressable on its own port (Kafka brokers)
    BALANCED = "balanced"  # one port, spread over every node (HTTP components)
    PRIMARY = "primary"  # one port, to the primary node only (PostgreSQL, MySQL)


@dataclass(frozen=True)
class Component:
    name: str
    label: str
    dynamic_port: int
    routing: Routing
    privatelink: bool = True
    # How a client connects; {host} and {port} are filled in per route, {userinfo} with
    # the service user's credentials where the protocol carries them.
    uri_template: str = "{host}:{port}"
    kafka_authentication: bool = False

    def uri(self, host: str, port: int, userinfo: str = "") -> str:
        """The URI on one route; `userinfo` is `user:password`, or the user alone."""
        return self.uri_template.format(
            host=host, port=port, userinfo=f"{userinfo}@" if userinfo else ""
        )


@dataclass(frozen=True)
class ServiceType:
    name: str
    label: str
    components: tuple[Component, ...]
    # Nodes each plan runs: a plan change adds or removes nodes to match.
    plan_nodes: dict[str, int]

    def node_count(self, plan: str) -> int:
        return self.plan_nodes[plan]

    def component(self, name: str) -> Component | None:
        return next((c for c in self.components if c.name == name), None)

    @property
    def privatelink_components(self) -> tuple[Component, ...]:
        return tuple(c for c in self.components if c.privatelink)


@dataclass(frozen=True)
class Plan:
    """What each node of a plan has, as `avn service plans` describes it, and the hourly
    price of the whole service in USD as the platform publishes it."""

    name: str
    node_cpu_count: int
    node_memory_mb: int
    disk_space_mb: int
    price_usd: str


PLAN_CATALOG: dict[str, Plan] = {
    p.name: p
    for p in (
        Plan("startup-2", node_cpu_count=2, node_memory_mb=2048, disk_space_mb=92160,
             price_usd="0.2055"),
        Plan("business-4", node_cpu_count=2, node_memory_mb=4096, disk_space_mb=614400,
             price_usd="1.6440"),
        Plan("premium-6", node_cpu_count=4, node_memory_mb=8192, disk_space_mb=1228800,
             price_usd="4.5890"),
    )
}  # fmt: skip


@dataclass(frozen=True)
class Cloud:
    name: str
    # What the platform charges per hour for a PrivateLink in this cloud, in USD as it
    # publishes it ("0.0600"); None where PrivateLink is not offered.
    privatelink_price_usd: str | None
    # As `avn cloud list` shows a cloud: "<continent>, <country> - <provider>: <place>".
    description: str
    geo_region: str
    geo_latitude: float
    geo_longitude: float

    @property
    def provider(self) -> str:
        return self.name.split("-", 1)[0]

    @property
    def provider_description(self) -> str:
        return PROVIDERS[self.provider]


_AWS = "Amazon Web Services"
PROVIDERS = {"aws": _AWS}
CLOUD_CATALOG: dict[str, Cloud] = {
    c.name: c
    for c in (
        Cloud("aws-eu-west-1", "0.0600", f"Europe, Ireland - {_AWS}: Ireland",
              "europe", 53.0, -8.0),
        Cloud("aws-eu-central-1", "0.0650", f"Europe, Germany - {_AWS}: Frankfurt",
              "europe", 50.11, 8.68),
        Cloud("aws-us-east-1", "0.0550", f"United States, Virginia - {_AWS}: N. Virginia",
              "north america", 38.13, -78.45),
        Cloud("aws-us-west-2", "0.0550", f"United States, Oregon - {_AWS}: Oregon",
              "north america", 45.87, -119.69),
    )
}  # fmt: skip
CLOUDS = tuple(CLOUD_CATALOG)
PLANS = tuple(PLAN_CATALOG)


def privatelink_price(cloud: str) -> str | None:
    """The hourly PrivateLink price in `cloud`, or None where PrivateLink is not offered."""
    entry = CLOUD_CATALOG.get(cloud)
    return entry.privatelink_price_usd if entry else None


# How clients connect, per protocol; see Component.uri_template.
HTTPS = "https://{host}:{port}"
HTTPS_WITH_USER = "https://{userinfo}{host}:{port}"
POSTGRES = "postgres://{userinfo}{host}:{port}/defaultdb?sslmode=require"
MYSQL = "mysql://{userinfo}{host}:{port}/defaultdb?ssl-mode=REQUIRED"
VALKEY = "rediss://{userinfo}{host}:{port}"


def nodes(startup: int, business: int, premium: int) -> dict[str, int]:
    """Nodes per plan, in the order of PLANS."""
    return dict(zip(PLANS, (startup, business, premium), strict=True))


PER_NODE, BALANCED, PRIMARY = Routing.PER_NODE, Routing.BALANCED, Routing.PRIMARY

_PROMETHEUS = Component("prometheus", "Prometheus", 9273, PER_NODE, uri_template=HTTPS + "/metrics")
_JOLOKIA = Component("jolokia", "Jolokia", 12696, PER_NODE, uri_template=HTTPS)
_KAFKA_CONNECT = Component("kafka_connect", "Kafka Connect", 12693, BALANCED, uri_template=HTTPS)

SERVICE_TYPES: dict[str, ServiceType] = {
    t.name: t
    for t in (
        ServiceType(
            "kafka",
            "Apache Kafka",
            (
                Component("kafka", "Kafka", 12692, PER_NODE, kafka_authentication=True),
                _KAFKA_CONNECT,
                Component("kafka_rest", "Kafka REST", 12694, BALANCED, uri_template=HTTPS),
                Component(
                    "schema_registry", "Schema Registry", 12695, BALANCED, uri_template=HTTPS
                ),
                _PROMETHEUS,
                _JOLOKIA,
            ),
            plan_nodes=nodes(3, 3, 6),
        ),
        ServiceType(
            "kafka_connect",
            "Kafka Connect",
            (_KAFKA_CONNECT, _PROMETHEUS, _JOLOKIA),
            plan_nodes=nodes(1, 3, 6),
        ),
        ServiceType(
            "pg",
            "PostgreSQL",
            (
                Component("pg", "PostgreSQL", 12691, PRIMARY, uri_template=POSTGRES),
                Component("pgbouncer", "PgBouncer", 12692, PRIMARY, uri_template=POSTGRES),
                Component(
                    "pg_replica",
                    "PostgreSQL replica",
                    12693,
                    BALANCED,
                    privatelink=False,
                    uri_template=POSTGRES,
                ),
                _PROMETHEUS,
            ),
            plan_nodes=nodes(1, 2, 3),
        ),
        ServiceType(
            "mysql",
            "MySQL",
            (
                Component("mysql", "MySQL", 12691, PRIMARY, uri_template=MYSQL),
                Component("mysqlx", "MySQL X protocol", 12692, PRIMARY),
                Component("mysql_replica", "MySQL replica", 12693, BALANCED, privatelink=False),
                _PROMETHEUS,
            ),
            plan_nodes=nodes(1, 2, 3),
        ),
        ServiceType(
            "opensearch",
            "OpenSearch",
            (
                Component(
                    "opensearch", "OpenSearch", 12691, BALANCED, uri_template=HTTPS_WITH_USER
                ),
                Component(
                    "opensearch_dashboards",
                    "OpenSearch Dashboards",
                    443,
                    BALANCED,
                    uri_template=HTTPS,
                ),
                _PROMETHEUS,
            ),
            plan_nodes=nodes(3, 3, 6),
        ),
        ServiceType(
            "clickhouse",
            "ClickHouse",
            (
                Component("clickhouse", "ClickHouse native", 12691, BALANCED),
                Component(
                    "clickhouse_https",
                    "ClickHouse HTTPS",
                    12692,
                    BALANCED,
                    uri_template=HTTPS_WITH_USER,
                ),
                Component("clickhouse_mysql", "ClickHouse MySQL interface", 12693, BALANCED),
                Component("clickhouse_arrowflight", "ClickHouse Arrow Flight", 12694, BALANCED),
                _PROMETHEUS,
            ),
            plan_nodes=nodes(1, 3, 6),
        ),
        ServiceType(
            "valkey",
            "Valkey",
            (Component("valkey", "Valkey", 12691, PRIMARY, uri_template=VALKEY), _PROMETHEUS),
            plan_nodes=nodes(1, 2, 3),
        ),
        ServiceType(
            "grafana",
            "Grafana",
            (Component("grafana", "Grafana", 443, BALANCED, uri_template=HTTPS),),
            plan_nodes=nodes(1, 1, 2),
        ),
    )
}


def get_service_type(name: str) -> ServiceType:
    return SERVICE_TYPES[name]


def user_config_schema(service_type: ServiceType) -> dict[str, Any]:
    """The JSON schema of a type's user config, shaped as the platform's API publishes it.

    `avn service update -c privatelink_access.kafka=true` flattens this schema to dotted
    keys, so `privatelink_access` is an object of booleans titled "Enable <component>".
    """
    access = {
        c.name: {"type": "boolean", "title": f"Enable {c.name}", "example": True}
        for c in service_type.privatelink_components
    }
    return {
        "type": "object",
        "title": f"{service_type.label} user configuration",
        "additionalProperties": False,
        "properties": {
            "privatelink_access": {
                "type": "object",
                "title": "Allow access to selected service components through Privatelink",
                "additionalProperties": False,
                "properties": access,
            },
        },
    }
