"""The privatelink entries of a service's `components`: per active connection, each enabled
component (Kafka once per authentication method, each with its own port), with the host and
port privatelink.routes computes for the pages too.

Registered with console.api.service_components, so `avn service get` and
`avn service connection-info ... -r privatelink -p plc...` find the privatelink host and port.
"""

from console.api.service_components import ComponentEntry, component_entry
from console.models import Service
from privatelink.routes import privatelink_routes


def privatelink_components(service: Service) -> list[ComponentEntry]:
    entries: list[ComponentEntry] = []
    for route in privatelink_routes(service):
        component = service.type.component(route.component)
        if component is None:  # a component the catalog no longer has
            continue
        entries.append(
            component_entry(
                component,
                host=route.host,
                port=route.port,
                route="privatelink",
                kafka_authentication_method=route.kafka_authentication_method,
                privatelink_connection_id=route.privatelink_connection_id,
            )
        )
    return entries
