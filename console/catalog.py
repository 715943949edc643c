"""The service-type catalog: each type's components, their ports and how they route.

Pure data and the JSON schema derived from it; no database, no AWS.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import quote


class Routing(StrEnum):
    """Which nodes a component's traffic reaches, and so how the NLB forwards it."""

    PER_NODE = "per_node"  # each node addressable on its own port (Kafka brokers)
    BALANCED = "balanced"  # one port, spread over every node (HTTP components)
    PRIMARY = "primary"  # one port, to the primary node only (PostgreSQL, MySQL)


class KafkaAuthenticationMethod(StrEnum):
    """How a Kafka client proves who it is; each method has a port of its own."""

    CERTIFICATE = "certificate"  # a client certificate signed by the project's CA
    SASL = "sasl"  # the user's name and password, over TLS


# `kafka_authentication_methods` when the user config does not say, as on the platform.
KAFKA_AUTHENTICATION_DEFAULTS: dict[str, bool] = {
    KafkaAuthenticationMethod.CERTIFICATE: True,
    KafkaAuthenticationMethod.SASL: False,
}


def kafka_authentication_methods(user_config: Mapping[str, Any]) -> tuple[str, ...]:
    """The methods a user config switches on, certificate first; the defaults fill gaps."""
    given = user_config.get("kafka_authentication_methods") or {}
    return tuple(
        method
        for method, default in KAFKA_AUTHENTICATION_DEFAULTS.items()
        if bool(given.get(method, default))
    )


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
    # Kafka: the port its brokers answer SASL clients on, beside `dynamic_port` for client
    # certificates. A component with one is a Kafka-authenticated one.
    sasl_port: int | None = None

    @property
    def kafka_authentication(self) -> bool:
        return self.sasl_port is not None

    def uri(self, host: str, port: int, userinfo: str = "") -> str:
        """The URI on one route; `userinfo` as `userinfo()` builds it, or empty."""
        return self.uri_template.format(
            host=host, port=port, userinfo=f"{userinfo}@" if userinfo else ""
        )

    def ports(self, methods: Collection[str]) -> tuple["ComponentPort", ...]:
        """Where the component answers: one port, or for Kafka one per method in `methods`."""
        if self.sasl_port is None:
            return (ComponentPort(self, None, self.dynamic_port),)
        own = {
            KafkaAuthenticationMethod.CERTIFICATE: self.dynamic_port,
            KafkaAuthenticationMethod.SASL: self.sasl_port,
        }
        return tuple(
            ComponentPort(self, KafkaAuthenticationMethod(method), own[method])
            for method in KafkaAuthenticationMethod
            if method in methods
        )

    @property
    def every_port(self) -> tuple["ComponentPort", ...]:
        """Every port the component may answer on, whatever is switched on."""
        return self.ports(tuple(KafkaAuthenticationMethod))

    def port_for(self, kafka_authentication_method: str | None) -> "ComponentPort":
        """The component port serving a Kafka method; the first one for None or ""."""
        every = self.every_port
        return next(
            (p for p in every if p.kafka_authentication_method == kafka_authentication_method),
            every[0],
        )


@dataclass(frozen=True)
class ComponentPort:
    """One port a component answers on, on the dynamic route; over PrivateLink each one
    gets listeners of its own. Kafka has one per client authentication method."""

    component: Component
    kafka_authentication_method: KafkaAuthenticationMethod | None
    dynamic_port: int

    @property
    def name(self) -> str:
        """`kafka`, or `kafka-sasl` for the second method: unique within a service."""
        if self.kafka_authentication_method == KafkaAuthenticationMethod.SASL:
            return f"{self.component.name}-sasl"
        return self.component.name

    @property
    def label(self) -> str:
        if self.kafka_authentication_method == KafkaAuthenticationMethod.SASL:
            return f"{self.component.label} (SASL)"
        if self.kafka_authentication_method == KafkaAuthenticationMethod.CERTIFICATE:
            return f"{self.component.label} (client certificate)"
        return self.component.label


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

    @property
    def kafka_authentication(self) -> bool:
        """Whether the type has `kafka_authentication_methods` in its user config."""
        return any(c.kafka_authentication for c in self.components)


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
    # Whose cloud it is ("aws") and the place in that cloud's own words ("eu-west-1"): the
    # two halves of the name, kept as data so that no one has to cut the name apart.
    provider: str
    region: str
    # What the platform charges per hour for a PrivateLink in this cloud, in USD as it
    # publishes it ("0.0600"); None where PrivateLink is not offered.
    privatelink_price_usd: str | None
    # As `avn cloud list` shows a cloud: "<continent>, <country> - <provider>: <place>".
    description: str
    geo_region: str
    geo_latitude: float
    geo_longitude: float

    @property
    def provider_description(self) -> str:
        return PROVIDERS[self.provider]


# Ranges the platform keeps for itself in a provider's networks, which a Project VPC there
# may not overlap, with what they are for. On Google the service attachments' PSC NAT
# subnets are carved out of 172.24.0.0/16 inside the Project VPC's own network.
RESERVED_RANGES: dict[str, tuple[tuple[str, str], ...]] = {
    "google": (("172.24.0.0/16", "the Private Service Connect NAT subnets"),),
}

_AWS = "Amazon Web Services"
_AZURE = "Microsoft Azure"
_GOOGLE = "Google Cloud"
PROVIDERS = {"aws": _AWS, "azure": _AZURE, "google": _GOOGLE}
CLOUD_CATALOG: dict[str, Cloud] = {
    c.name: c
    for c in (
        Cloud("aws-eu-west-1", "aws", "eu-west-1", "0.0600",
              f"Europe, Ireland - {_AWS}: Ireland", "europe", 53.0, -8.0),
        Cloud("aws-eu-central-1", "aws", "eu-central-1", "0.0650",
              f"Europe, Germany - {_AWS}: Frankfurt", "europe", 50.11, 8.68),
        Cloud("aws-us-east-1", "aws", "us-east-1", "0.0550",
              f"United States, Virginia - {_AWS}: N. Virginia", "north america", 38.13, -78.45),
        Cloud("aws-us-west-2", "aws", "us-west-2", "0.0550",
              f"United States, Oregon - {_AWS}: Oregon", "north america", 45.87, -119.69),
        # Azure Private Link: a private link service behind an internal load balancer.
        Cloud("azure-westeurope", "azure", "westeurope", "0.0700",
              f"Europe, Netherlands - {_AZURE}: Netherlands", "europe", 52.37, 4.9),
        Cloud("azure-eastus", "azure", "eastus", "0.0650",
              f"United States, Virginia - {_AZURE}: Virginia", "north america", 37.37, -79.82),
        # Google Private Service Connect: a service attachment behind an internal load
        # balancer's forwarding rule.
        Cloud("google-europe-west1", "google", "europe-west1", "0.0700",
              f"Europe, Belgium - {_GOOGLE}: Belgium", "europe", 50.45, 3.82),
        Cloud("google-us-east1", "google", "us-east1", "0.0650",
              f"United States, South Carolina - {_GOOGLE}: South Carolina", "north america",
              33.84, -81.16),
    )
}  # fmt: skip
CLOUDS = tuple(CLOUD_CATALOG)
PLANS = tuple(PLAN_CATALOG)


def get_cloud(name: str) -> Cloud:
    """The catalog's entry for a cloud name; KeyError for a cloud the platform does not list."""
    return CLOUD_CATALOG[name]


def region_of(cloud: str) -> str:
    """The cloud's region in its provider's own words: "aws-eu-west-1" -> "eu-west-1"."""
    return get_cloud(cloud).region


def cloud_in(provider: str, region: str) -> Cloud | None:
    """The catalog's cloud of a provider's region ("aws", "eu-west-1"), or None if unlisted."""
    return next(
        (c for c in CLOUD_CATALOG.values() if (c.provider, c.region) == (provider, region)), None
    )


def privatelink_price(cloud: str) -> str | None:
    """The hourly PrivateLink price in `cloud`, or None where PrivateLink is not offered."""
    entry = CLOUD_CATALOG.get(cloud)
    return entry.privatelink_price_usd if entry else None


def userinfo(username: str, password: str | None = None) -> str:
    """`user:password` (or the user alone) as a URI carries them: each percent-encoded
    (RFC 3986), so that no character of either (`@`, `:`, `/`, `?`, `#`) can end the user
    part early and change the URI's host, port or path."""
    user = quote(username, safe="")
    return user if password is None else f"{user}:{quote(password, safe='')}"


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
                # SASL clients reach the brokers on a port of their own, after the
                # type's other dynamic ports.
                Component("kafka", "Kafka", 12692, PER_NODE, sasl_port=12697),
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
    properties: dict[str, Any] = {
        "privatelink_access": {
            "type": "object",
            "title": "Allow access to selected service components through Privatelink",
            "additionalProperties": False,
            "properties": access,
        },
    }
    if service_type.kafka_authentication:
        properties["kafka_authentication_methods"] = {
            "type": "object",
            "title": "Kafka authentication methods",
            "additionalProperties": False,
            "properties": {
                KafkaAuthenticationMethod.CERTIFICATE: {
                    "type": "boolean",
                    "title": "Enable certificate/SSL authentication",
                    "default": KAFKA_AUTHENTICATION_DEFAULTS[KafkaAuthenticationMethod.CERTIFICATE],
                    "example": True,
                },
                KafkaAuthenticationMethod.SASL: {
                    "type": "boolean",
                    "title": "Enable SASL authentication",
                    "default": KAFKA_AUTHENTICATION_DEFAULTS[KafkaAuthenticationMethod.SASL],
                    "example": True,
                },
            },
        }
    return {
        "type": "object",
        "title": f"{service_type.label} user configuration",
        "additionalProperties": False,
        "properties": properties,
    }
