"""The `components` list of a service: every way to reach each component, route by route.

The console knows the dynamic route. Apps that add routes (privatelink) register a source
here at start-up, so the console lists their routes without importing them.
"""

from collections.abc import Callable
from typing import Any

from console.catalog import Component, KafkaAuthenticationMethod
from console.models import Service
from console.registry import Registry

ComponentEntry = dict[str, Any]
ComponentSource = Callable[[Service], list[ComponentEntry]]
_sources: Registry[ComponentSource] = Registry()


def register_component_source(source: ComponentSource) -> ComponentSource:
    return _sources.add(source)


def component_entry(
    component: Component,
    *,
    host: str,
    port: int,
    route: str,
    kafka_authentication_method: str | None = None,
    **extra: Any,
) -> ComponentEntry:
    """One entry as the platform's API shapes it; avn's connection-info filters on these keys
    (`-a sasl` looks for `kafka_authentication_method` "sasl")."""
    entry: ComponentEntry = {
        "component": component.name,
        "host": host,
        "port": port,
        "route": route,
        # avn's `--replica` looks for usage "replica"; every other component is a primary.
        "usage": "replica" if component.name.endswith("_replica") else "primary",
        "ssl": True,
    }
    if component.kafka_authentication:
        entry["kafka_authentication_method"] = (
            kafka_authentication_method or KafkaAuthenticationMethod.CERTIFICATE.value
        )
    entry.update(extra)
    return entry


def dynamic_components(service: Service) -> list[ComponentEntry]:
    """Every component on the dynamic route; Kafka once per authentication method on."""
    host = service.dynamic_host
    return [
        component_entry(
            port.component,
            host=host,
            port=port.dynamic_port,
            route="dynamic",
            kafka_authentication_method=port.kafka_authentication_method,
        )
        for c in service.type.components
        for port in service.ports_of(c)
    ]


def service_components(service: Service) -> list[ComponentEntry]:
    entries = dynamic_components(service)
    for source in _sources:
        entries.extend(source(service))
    return entries
