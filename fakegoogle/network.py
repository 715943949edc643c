"""VPC networks (custom mode) and their regional subnetworks, among them PSC NAT subnets
(`purpose: PRIVATE_SERVICE_CONNECT`), and the private addresses handed out in them."""

from __future__ import annotations

import ipaddress
from typing import Any

from fakegoogle.errors import GoogleError, in_use, invalid
from fakegoogle.resources import Kind, Target, envelope, fingerprint, link, referenced
from fakegoogle.store import Resource, public, store

PURPOSE_PRIVATE = "PRIVATE"
PURPOSE_PSC = "PRIVATE_SERVICE_CONNECT"
PURPOSES = {PURPOSE_PRIVATE, PURPOSE_PSC}
# Compute keeps four addresses of every subnet: the network, the gateway, the
# second-to-last and the broadcast address.
RESERVED_ADDRESSES = 4


def _build_network(target: Target, body: dict[str, Any]) -> Resource:
    if body.get("autoCreateSubnetworks", True) is not False:
        raise invalid(
            "Invalid value for field 'resource.autoCreateSubnetworks': this fake serves "
            "custom-mode networks only; send autoCreateSubnetworks: false."
        )
    network = envelope(target, "compute#network", body)
    network.update(
        {
            "autoCreateSubnetworks": False,
            "routingConfig": body.get("routingConfig") or {"routingMode": "REGIONAL"},
            "mtu": int(body.get("mtu") or 1460),
        }
    )
    return network


def _render_network(network: Resource) -> Resource:
    answer = public(network)
    answer["subnetworks"] = [
        subnet["selfLink"]
        for _, subnet in store.items("subnetworks")
        if subnet["network"] == network["selfLink"]
    ]
    return answer


def _before_network_delete(network: Resource) -> None:
    for _, subnet in store.items("subnetworks"):
        if subnet["network"] == network["selfLink"]:
            raise in_use(network["_path"], subnet["_path"])
    for _, rule in store.items("forwardingRules"):
        if rule.get("network") == network["selfLink"]:
            raise in_use(network["_path"], rule["_path"])


def _build_subnetwork(target: Target, body: dict[str, Any]) -> Resource:
    network = referenced("resource.network", body.get("network"), "networks")
    try:
        cidr = ipaddress.ip_network(str(body.get("ipCidrRange") or ""), strict=True)
    except ValueError:
        raise invalid(
            f"Invalid value for field 'resource.ipCidrRange': '{body.get('ipCidrRange')}'. "
            "Invalid IPCidrRange."
        ) from None
    if cidr.version != 4 or cidr.prefixlen > 29:
        raise invalid(
            f"Invalid value for field 'resource.ipCidrRange': '{cidr}'. An IPv4 range of "
            "/29 or larger is required."
        )
    purpose = str(body.get("purpose") or PURPOSE_PRIVATE)
    if purpose not in PURPOSES:
        raise invalid(f"Invalid value for field 'resource.purpose': '{purpose}'.")
    for _, other in store.items("subnetworks"):
        if other["network"] == network["selfLink"] and cidr.overlaps(
            ipaddress.ip_network(other["ipCidrRange"])
        ):
            raise invalid(
                f"Invalid IPCidrRange: {cidr} conflicts with existing subnetwork "
                f"'{other['name']}' in region '{other['_region']}'."
            )
    subnet = envelope(target, "compute#subnetwork", body)
    subnet.update(
        {
            "network": network["selfLink"],
            "ipCidrRange": str(cidr),
            "gatewayAddress": str(cidr.network_address + 1),
            "purpose": purpose,
            "privateIpGoogleAccess": bool(body.get("privateIpGoogleAccess", False)),
            "stackType": "IPV4_ONLY",
            "fingerprint": fingerprint(),
        }
    )
    return subnet


def _before_subnetwork_delete(subnet: Resource) -> None:
    for _, rule in store.items("forwardingRules"):
        if rule.get("subnetwork") == subnet["selfLink"]:
            raise in_use(subnet["_path"], rule["_path"])
    for _, attachment in store.items("serviceAttachments"):
        if subnet["selfLink"] in attachment["natSubnets"]:
            raise in_use(subnet["_path"], attachment["_path"])


def host_addresses(subnet: Resource) -> list[str]:
    """The addresses Compute hands out in a subnet: all but the four it keeps."""
    network = ipaddress.ip_network(subnet["ipCidrRange"])
    return [str(a) for a in network.hosts()][1:-1]


def allocate(subnet: Resource, taken: set[str]) -> str:
    """The subnet's first free address."""
    for address in host_addresses(subnet):
        if address not in taken:
            return address
    raise GoogleError(
        400,
        "ipSpaceExhausted",
        f"IP space of '{subnet['_path']}' is exhausted.",
    )


def internal_addresses(subnet: Resource) -> set[str]:
    """Addresses of forwarding rules in the subnet."""
    return {
        rule["IPAddress"]
        for _, rule in store.items("forwardingRules")
        if rule.get("subnetwork") == subnet["selfLink"]
    }


def network_link(project: str, name: str) -> str:
    return link(f"projects/{project}/global/networks/{name}")


NETWORKS = Kind(
    collection="networks",
    kind="compute#network",
    regional=False,
    build=_build_network,
    render=_render_network,
    before_delete=_before_network_delete,
)
SUBNETWORKS = Kind(
    collection="subnetworks",
    kind="compute#subnetwork",
    regional=True,
    build=_build_subnetwork,
    render=public,
    before_delete=_before_subnetwork_delete,
)
