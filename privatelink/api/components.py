"""The privatelink entries of a service's `components`: per connection, each enabled component.

Registered with console.api.service_components at start-up, so `avn service get` and
`avn service connection-info ... -r privatelink -p plc...` find the privatelink host and port.
"""

from console.api.service_components import ComponentEntry, component_entry
from console.catalog import Routing
from console.models import Service
from privatelink.models import Listener, PrivateLink, PrivateLinkConnection


def privatelink_components(service: Service) -> list[ComponentEntry]:
    link = PrivateLink.objects.filter(service=service).first()
    if link is None or link.state == PrivateLink.State.DELETING:
        return []
    # Only connections that carry traffic: accepted, with their DNS name published.
    connections = list(
        link.connections.filter(state=PrivateLinkConnection.State.ACTIVE).select_related(
            "privatelink__service__project"
        )
    )
    if not connections:
        return []
    listeners = list(
        Listener.objects.filter(privatelink=link).select_related("node").order_by("slot")
    )
    entries: list[ComponentEntry] = []
    for connection in connections:
        for component in service.type.privatelink_components:
            if not service.privatelink_access().get(component.name):
                continue
            if component.routing == Routing.PER_NODE:
                # The first broker's port is the bootstrap address; clients learn the
                # others' ports from the brokers themselves.
                own = sorted(
                    (
                        lst
                        for lst in listeners
                        if lst.component == component.name and lst.connection_id == connection.pk
                    ),
                    key=lambda lst: lst.node.name if lst.node else "",
                )
            else:
                own = [
                    lst
                    for lst in listeners
                    if lst.component == component.name and lst.connection_id is None
                ]
            if not own:
                continue
            entries.append(
                component_entry(
                    component,
                    host=connection.host,
                    port=own[0].port,
                    route="privatelink",
                    privatelink_connection_id=connection.privatelink_connection_id,
                )
            )
    return entries
