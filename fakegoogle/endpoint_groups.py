"""Regional network endpoint groups of Private Service Connect port mapping
(`networkEndpointType: GCE_VM_IP_PORTMAP`): each endpoint maps a client destination port
of the consumer's endpoint to one VM's service port. A port mapping service is a backend
service holding one such group, published by an all-ports forwarding rule.

Endpoints are attached, detached and listed with the group's own methods
(`attachNetworkEndpoints`, `detachNetworkEndpoints`, `listNetworkEndpoints`, all POST), as
Google validates them: an instance in one of the region's zones, a service port and a
client destination port (1-65535), each client destination port used once in the group.
The fake runs no VMs: an instance is taken as its link names it.
"""

from __future__ import annotations

import re
from typing import Any

from fakegoogle.errors import GoogleError, in_use, invalid
from fakegoogle.resources import Kind, Target, envelope, path_of, referenced, whole_number
from fakegoogle.store import Resource, public, store

PORTMAP = "GCE_VM_IP_PORTMAP"
# `projects/<project>/zones/<zone>/instances/<name>`, as a full or relative link.
INSTANCE = re.compile(
    r"(?:^|/)projects/(?P<project>[^/]+)/zones/(?P<zone>[^/]+)/instances/(?P<name>[^/]+)$"
)
MAX_PORT = 65535
# Google's limit of endpoints in one port mapping group.
MAX_ENDPOINTS = 1000


def _build_group(target: Target, body: dict[str, Any]) -> Resource:
    endpoint_type = str(body.get("networkEndpointType") or "")
    if endpoint_type != PORTMAP:
        raise invalid(
            f"Invalid value for field 'resource.networkEndpointType': '{endpoint_type}'. This "
            f"fake serves regional port mapping groups ({PORTMAP}) only."
        )
    network = referenced("resource.network", body.get("network"), "networks")
    subnet = referenced(
        "resource.subnetwork", body.get("subnetwork"), "subnetworks", region=target.region
    )
    if subnet["network"] != network["selfLink"]:
        raise invalid(
            f"Invalid value for field 'resource.subnetwork': '{body['subnetwork']}'. It must "
            f"be a subnetwork of network {network['name']}."
        )
    group = envelope(target, "compute#networkEndpointGroup", body)
    group.update(
        {
            "networkEndpointType": PORTMAP,
            "network": network["selfLink"],
            "subnetwork": subnet["selfLink"],
            "_endpoints": [],
        }
    )
    return group


def _render_group(group: Resource) -> Resource:
    answer = public(group)
    answer["size"] = len(group["_endpoints"])
    return answer


def _before_group_delete(group: Resource) -> None:
    for _, service in store.items("backendServices"):
        if any(path_of(str(b.get("group"))) == group["_path"] for b in service["backends"]):
            raise in_use(group["_path"], service["_path"])


def _endpoint(group: Resource, item: Any, index: int) -> dict[str, Any]:
    """One endpoint of a request, checked as Google checks a port mapping group's."""
    field = f"networkEndpoints[{index}]"
    if not isinstance(item, dict):
        raise invalid(f"Invalid value for field '{field}': an object is required.")
    instance = INSTANCE.search(str(item.get("instance") or ""))
    if instance is None:
        raise invalid(
            f"Invalid value for field '{field}.instance': '{item.get('instance', '')}'. A "
            "port mapping endpoint names its VM: projects/PROJECT/zones/ZONE/instances/NAME."
        )
    if instance["project"] != group["_project"] or not instance["zone"].startswith(
        f"{group['_region']}-"
    ):
        raise invalid(
            f"Invalid value for field '{field}.instance': the VM must be in project "
            f"{group['_project']}, in a zone of region {group['_region']}."
        )
    if item.get("ipAddress") or item.get("fqdn"):
        raise invalid(
            f"Invalid value for field '{field}': a port mapping endpoint takes the VM's "
            "primary address; give no ipAddress or fqdn."
        )
    ports = {}
    for name in ("port", "clientDestinationPort"):
        value = whole_number(f"{field}.{name}", item.get(name), 0)
        if not 1 <= value <= MAX_PORT:
            raise invalid(
                f"Invalid value for field '{field}.{name}': '{item.get(name, '')}'. A port "
                f"mapping endpoint needs it, between 1 and {MAX_PORT}."
            )
        ports[name] = value
    return {
        "instance": f"projects/{instance['project']}/zones/{instance['zone']}/instances/"
        f"{instance['name']}",
        "port": ports["port"],
        "clientDestinationPort": ports["clientDestinationPort"],
    }


def _requested(group: Resource, body: dict[str, Any]) -> list[dict[str, Any]]:
    items = body.get("networkEndpoints")
    if not isinstance(items, list) or not items:
        raise invalid("Required field 'networkEndpoints' not specified.")
    return [_endpoint(group, item, index) for index, item in enumerate(items)]


def attach(group: Resource, body: dict[str, Any]) -> None:
    """Add the endpoints; a client destination port already mapped is refused."""
    wanted = _requested(group, body)
    current = group["_endpoints"]
    taken = {e["clientDestinationPort"] for e in current}
    seen: set[int] = set()
    for endpoint in wanted:
        port = endpoint["clientDestinationPort"]
        if endpoint in current:
            continue  # attaching what is attached changes nothing, as on Google
        if port in taken or port in seen:
            raise GoogleError(
                400,
                "invalid",
                f"Invalid value for field 'networkEndpoints': client destination port {port} "
                f"is already mapped in network endpoint group {group['name']}.",
            )
        seen.add(port)
    if len(current) + len(seen) > MAX_ENDPOINTS:
        raise invalid(
            f"A port mapping network endpoint group holds at most {MAX_ENDPOINTS} endpoints."
        )
    current.extend(e for e in wanted if e not in current)


def detach(group: Resource, body: dict[str, Any]) -> None:
    """Remove the endpoints; one the group does not hold is refused."""
    wanted = _requested(group, body)
    current = group["_endpoints"]
    for endpoint in wanted:
        if endpoint not in current:
            raise invalid(
                f"Invalid value for field 'networkEndpoints': endpoint {endpoint['instance']} "
                f"port {endpoint['port']} is not in network endpoint group {group['name']}."
            )
    group["_endpoints"] = [e for e in current if e not in wanted]


def listed(group: Resource) -> dict[str, Any]:
    """`listNetworkEndpoints`' answer (one page: a group holds at most 1000)."""
    return {
        "kind": "compute#networkEndpointGroupsListNetworkEndpoints",
        "id": group["selfLink"],
        "items": [{"networkEndpoint": dict(e)} for e in group["_endpoints"]],
    }


NETWORK_ENDPOINT_GROUPS = Kind(
    collection="networkEndpointGroups",
    kind="compute#networkEndpointGroup",
    regional=True,
    build=_build_group,
    render=_render_group,
    before_delete=_before_group_delete,
)
