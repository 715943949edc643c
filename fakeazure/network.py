"""Virtual networks and their subnets, with the subnet flags Private Link cares about."""

from __future__ import annotations

import ipaddress
import uuid
from typing import Any

from fakeazure.errors import ArmError, bad_reference
from fakeazure.resources import Kind, Target, envelope, named_items, new_etag, properties
from fakeazure.store import Resource, public, store

VNET_TYPE = "Microsoft.Network/virtualNetworks"
SUBNET_TYPE = "Microsoft.Network/virtualNetworks/subnets"
POLICY_VALUES = ("Enabled", "Disabled")
# Named here, not imported: private link services are built on top of this module.
PRIVATE_LINK_SERVICE_TYPE = "Microsoft.Network/privateLinkServices"

type Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def build_virtual_network(
    target: Target, body: dict[str, Any], existing: Resource | None
) -> Resource:
    resource = envelope(target, VNET_TYPE, body, existing)
    props = properties(body)
    prefixes = (props.get("addressSpace") or {}).get("addressPrefixes") or []
    if not prefixes:
        raise ArmError(
            400,
            "InvalidAddressSpace",
            f"Virtual network {target.id} needs at least one prefix in "
            "addressSpace.addressPrefixes.",
        )
    for prefix in prefixes:
        _network(prefix, "addressSpace.addressPrefixes")
    resource["properties"] = {
        "addressSpace": {"addressPrefixes": list(prefixes)},
        "resourceGuid": (existing or {}).get("properties", {}).get("resourceGuid") or _guid(),
    }
    # A PUT of a virtual network states its whole subnet list, as ARM reads it: subnets left
    # out are deleted, and refused while something uses them.
    wanted = named_items(props.get("subnets"), "subnets")
    wanted_ids = {f"{target.id}/subnets/{item['name']}".lower() for item in wanted}
    for subnet in list(store.under(target.id + "/subnets", SUBNET_TYPE)):
        if subnet["id"].lower() not in wanted_ids:
            _refuse_in_use(subnet)
    resource["_subnets"] = [
        build_subnet(_subnet_target(target, item["name"]), item, None, vnet=resource)
        for item in wanted
    ]
    return resource


def after_virtual_network_put(resource: Resource) -> None:
    """Write the subnets a virtual network's PUT listed, and drop the others."""
    wanted = resource.pop("_subnets", [])
    wanted_ids = {subnet["id"].lower() for subnet in wanted}
    for subnet in list(store.under(resource["id"] + "/subnets", SUBNET_TYPE)):
        if subnet["id"].lower() not in wanted_ids:
            store.remove(subnet["id"], at_once=True)
    for subnet in wanted:
        store.put(subnet, settled=True)


def _subnet_target(vnet: Target, name: str) -> Target:
    return Target(
        subscription=vnet.subscription,
        resource_group=vnet.resource_group,
        id=f"{vnet.id}/subnets/{name}",
        name=name,
        parent_id=vnet.id,
    )


def render_virtual_network(resource: Resource) -> Resource:
    answer = public(resource)
    answer["properties"]["subnets"] = [
        render_subnet(subnet) for subnet in store.under(resource["id"] + "/subnets", SUBNET_TYPE)
    ]
    return answer


def before_virtual_network_delete(resource: Resource) -> None:
    for subnet in list(store.under(resource["id"] + "/subnets", SUBNET_TYPE)):
        _refuse_in_use(subnet)
    for subnet in list(store.under(resource["id"] + "/subnets", SUBNET_TYPE)):
        store.remove(subnet["id"], at_once=True)


def build_subnet(
    target: Target,
    body: dict[str, Any],
    existing: Resource | None,
    vnet: Resource | None = None,
) -> Resource:
    vnet = vnet or store.get(target.parent_id)
    if vnet is None or store.is_deleting(target.parent_id):
        raise ArmError(
            404,
            "ParentResourceNotFound",
            f"Failed to perform 'write' on resource(s) of type 'virtualNetworks/subnets', "
            f"because the parent resource '{target.parent_id}' could not be found.",
        )
    props = properties(body)
    prefix = props.get("addressPrefix")
    if not prefix:
        raise ArmError(400, "InvalidRequestFormat", f"Subnet {target.name} needs an addressPrefix.")
    network = _network(prefix, "addressPrefix")
    spaces = [
        _network(p, "addressPrefixes")
        for p in vnet["properties"]["addressSpace"]["addressPrefixes"]
    ]
    if not any(_within(network, space) for space in spaces):
        raise ArmError(
            400,
            "NetcfgSubnetRangeOutsideVnet",
            f"Subnet '{target.name}' is not valid because its IP address range {prefix} is "
            f"outside the IP address range of virtual network '{vnet['name']}'.",
        )
    for sibling in store.under(target.parent_id + "/subnets", SUBNET_TYPE):
        if sibling["id"].lower() == target.id.lower():
            continue
        if network.overlaps(_network(sibling["properties"]["addressPrefix"], "addressPrefix")):
            raise ArmError(
                400,
                "NetcfgSubnetRangesOverlap",
                f"Subnet '{target.name}' is not valid because its IP address range {prefix} "
                f"overlaps with that of subnet '{sibling['name']}'.",
            )
    policies = {}
    for field, default in (
        ("privateLinkServiceNetworkPolicies", "Enabled"),
        ("privateEndpointNetworkPolicies", "Disabled"),
    ):
        value = props.get(field) or default
        if value not in POLICY_VALUES:
            raise ArmError(
                400, "InvalidRequestFormat", f"{field} must be Enabled or Disabled, not {value!r}."
            )
        policies[field] = value
    if policies["privateLinkServiceNetworkPolicies"] == "Enabled" and _holds_nat_addresses(
        target.id
    ):
        raise ArmError(
            400,
            "PrivateLinkServiceNetworkPoliciesCannotBeEnabledOnPrivateLinkServiceSubnet",
            f"Subnet {target.id} holds NAT IP configurations of a private link service, so "
            "its private link service network policies must stay Disabled.",
        )
    return {
        "id": target.id,
        "name": target.name,
        "type": SUBNET_TYPE,
        "location": vnet["location"],
        "etag": new_etag(),
        "properties": {"addressPrefix": prefix, **policies},
    }


def render_subnet(resource: Resource) -> Resource:
    answer = public(resource)
    answer.pop("location", None)  # a subnet has none of its own
    return answer


def before_subnet_delete(resource: Resource) -> None:
    _refuse_in_use(resource)


def subnet_or_refuse(field: str, subnet_id: str) -> Resource:
    subnet = store.get(subnet_id)
    if subnet is None or subnet["type"] != SUBNET_TYPE or store.is_deleting(subnet_id):
        raise bad_reference(field, subnet_id)
    return subnet


def _holds_nat_addresses(subnet_id: str) -> bool:
    return any(
        subnet == subnet_id.lower()
        for service in store.all(PRIVATE_LINK_SERVICE_TYPE)
        for subnet, _ in service.get("_addresses", [])
    )


def _refuse_in_use(subnet: Resource) -> None:
    if store.used_addresses(subnet["id"]):
        raise ArmError(
            400,
            "InUseSubnetCannotBeDeleted",
            f"Subnet {subnet['name']} is in use by private IP configurations and cannot be "
            "deleted. Delete them first.",
        )


def _network(prefix: Any, field: str) -> Network:
    try:
        return ipaddress.ip_network(str(prefix), strict=True)
    except ValueError:
        raise ArmError(
            400,
            "InvalidAddressPrefixFormat",
            f"{field}: {prefix!r} is not a valid CIDR prefix (network address/length).",
        ) from None


def _within(inner: Network, outer: Network) -> bool:
    return inner.version == outer.version and inner.subnet_of(outer)  # type: ignore[arg-type]


def _guid() -> str:
    return str(uuid.uuid4())


VIRTUAL_NETWORKS = Kind(
    path=("virtualNetworks",),
    type=VNET_TYPE,
    build=build_virtual_network,
    render=render_virtual_network,
    before_delete=before_virtual_network_delete,
    after_put=after_virtual_network_put,
)
SUBNETS = Kind(
    path=("virtualNetworks", "subnets"),
    type=SUBNET_TYPE,
    build=build_subnet,
    render=render_subnet,
    before_delete=before_subnet_delete,
)
