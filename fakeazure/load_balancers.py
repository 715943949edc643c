"""Standard internal load balancers: frontend IP configurations in a subnet, backend pools,
probes and load-balancing rules, with the per-load-balancer rule limit."""

from __future__ import annotations

from typing import Any

from fakeazure.errors import ArmError, bad_reference
from fakeazure.network import subnet_or_refuse
from fakeazure.quotas import quotas
from fakeazure.resources import Kind, Target, envelope, named_items, properties, reference
from fakeazure.store import Resource, public, store

LB_TYPE = "Microsoft.Network/loadBalancers"
PROTOCOLS = ("Tcp", "Udp", "All")
PROBE_PROTOCOLS = ("Tcp", "Http", "Https")
SECTIONS = ("frontendIPConfigurations", "backendAddressPools", "probes", "loadBalancingRules")


def build_load_balancer(
    target: Target, body: dict[str, Any], existing: Resource | None
) -> Resource:
    resource = envelope(target, LB_TYPE, body, existing)
    sku = body.get("sku") or {"name": "Standard"}
    if sku.get("name") != "Standard":
        raise ArmError(
            400,
            "BasicSkuLoadBalancerNotSupported",
            "Basic load balancers are retired; create a Standard load balancer.",
        )
    resource["sku"] = {"name": "Standard", "tier": sku.get("tier") or "Regional"}
    props = properties(body)
    sections = {name: named_items(props.get(name), name) for name in SECTIONS}
    limit = quotas.current.load_balancing_rules_per_load_balancer
    if len(sections["loadBalancingRules"]) > limit:
        raise ArmError(
            400,
            "LoadBalancingRulesLimitReached",
            f"Load balancer {target.id} has {len(sections['loadBalancingRules'])} "
            f"load-balancing rules; the limit is {limit} per load balancer.",
        )
    ids = {
        name: {f"{target.id}/{name}/{item['name']}".lower() for item in items}
        for name, items in sections.items()
    }
    old_frontends = {
        item["name"].lower(): item
        for item in (existing or {}).get("properties", {}).get("frontendIPConfigurations", [])
    }
    taken_by_others: dict[str, set[str]] = {}
    addresses: list[tuple[str, str]] = []
    frontends = []
    for item in sections["frontendIPConfigurations"]:
        item_props = item.get("properties") or {}
        if item_props.get("publicIPAddress"):
            raise ArmError(
                400,
                "InvalidRequestFormat",
                "Only internal frontends are served here: give a subnet, not a publicIPAddress.",
            )
        field = f"frontendIPConfigurations/{item['name']}/subnet"
        subnet_id = reference(item_props.get("subnet"), field)
        subnet = subnet_or_refuse(field, subnet_id)
        taken = taken_by_others.setdefault(
            subnet_id.lower(), store.used_addresses(subnet_id, besides=target.id)
        )
        address = _address(item_props, old_frontends.get(item["name"].lower()), subnet, taken)
        addresses.append((subnet_id.lower(), address))
        frontends.append(
            _child(
                target,
                "frontendIPConfigurations",
                item,
                {
                    "privateIPAddress": address,
                    "privateIPAllocationMethod": item_props.get("privateIPAllocationMethod")
                    or "Dynamic",
                    "privateIPAddressVersion": "IPv4",
                    "subnet": {"id": subnet_id},
                },
            )
        )
    pools = [
        _child(target, "backendAddressPools", item, _pool_properties(item))
        for item in sections["backendAddressPools"]
    ]
    probes = []
    for item in sections["probes"]:
        item_props = item.get("properties") or {}
        protocol = item_props.get("protocol") or "Tcp"
        if protocol not in PROBE_PROTOCOLS:
            raise ArmError(
                400,
                "InvalidRequestFormat",
                f"Probe {item['name']}: protocol {protocol!r} is not one of "
                f"{', '.join(PROBE_PROTOCOLS)}.",
            )
        probes.append(
            _child(
                target,
                "probes",
                item,
                {
                    "protocol": protocol,
                    "port": _port(item_props.get("port"), f"probes/{item['name']}/port", low=1),
                    "intervalInSeconds": int(item_props.get("intervalInSeconds") or 15),
                    "numberOfProbes": int(item_props.get("numberOfProbes") or 1),
                    "probeThreshold": int(item_props.get("probeThreshold") or 1),
                    **(
                        {"requestPath": item_props["requestPath"]}
                        if item_props.get("requestPath")
                        else {}
                    ),
                },
            )
        )
    rules = []
    frontend_ports: dict[tuple[str, str, int], str] = {}
    for item in sections["loadBalancingRules"]:
        item_props = item.get("properties") or {}
        where = f"loadBalancingRules/{item['name']}"
        frontend_id = reference(
            item_props.get("frontendIPConfiguration"), f"{where}/frontendIPConfiguration"
        )
        if frontend_id.lower() not in ids["frontendIPConfigurations"]:
            raise bad_reference(f"{where}/frontendIPConfiguration", frontend_id)
        pool_id = reference(item_props.get("backendAddressPool"), f"{where}/backendAddressPool")
        if pool_id.lower() not in ids["backendAddressPools"]:
            raise bad_reference(f"{where}/backendAddressPool", pool_id)
        rule: dict[str, Any] = {
            "frontendIPConfiguration": {"id": frontend_id},
            "backendAddressPool": {"id": pool_id},
            "backendAddressPools": [{"id": pool_id}],
        }
        if item_props.get("probe"):
            probe_id = reference(item_props["probe"], f"{where}/probe")
            if probe_id.lower() not in ids["probes"]:
                raise bad_reference(f"{where}/probe", probe_id)
            rule["probe"] = {"id": probe_id}
        protocol = item_props.get("protocol") or "Tcp"
        if protocol not in PROTOCOLS:
            raise ArmError(
                400,
                "InvalidRequestFormat",
                f"{where}: protocol {protocol!r} is not one of {', '.join(PROTOCOLS)}.",
            )
        frontend_port = _port(
            item_props.get("frontendPort"), f"{where}/frontendPort", low=0, high=65534
        )
        backend_port = _port(item_props.get("backendPort"), f"{where}/backendPort", low=0)
        clash = frontend_ports.get((frontend_id.lower(), protocol, frontend_port))
        if clash:
            raise ArmError(
                400,
                "LoadBalancingRuleFrontendPortConflict",
                f"Load-balancing rules {clash} and {item['name']} use the same frontend, "
                f"protocol and port ({protocol} {frontend_port}).",
            )
        frontend_ports[(frontend_id.lower(), protocol, frontend_port)] = item["name"]
        rule.update(
            protocol=protocol,
            frontendPort=frontend_port,
            backendPort=backend_port,
            enableFloatingIP=bool(item_props.get("enableFloatingIP", False)),
            idleTimeoutInMinutes=int(item_props.get("idleTimeoutInMinutes") or 4),
            loadDistribution=item_props.get("loadDistribution") or "Default",
            disableOutboundSnat=bool(item_props.get("disableOutboundSnat", False)),
        )
        rules.append(_child(target, "loadBalancingRules", item, rule))
    resource["properties"] = {
        "frontendIPConfigurations": frontends,
        "backendAddressPools": pools,
        "probes": probes,
        "loadBalancingRules": rules,
        "inboundNatRules": [],
        "outboundRules": [],
    }
    resource["_addresses"] = addresses
    return resource


def render_load_balancer(resource: Resource) -> Resource:
    answer = public(resource)
    state = answer["properties"]["provisioningState"]
    for section in SECTIONS:
        for item in answer["properties"][section]:
            item["properties"]["provisioningState"] = state
    return answer


def before_load_balancer_delete(resource: Resource) -> None:
    from fakeazure.private_link import services_using_frontend  # the services name frontends

    for frontend in resource["properties"]["frontendIPConfigurations"]:
        services = services_using_frontend(frontend["id"])
        if services:
            raise ArmError(
                400,
                "LoadBalancerFrontendIPConfigurationInUseByPrivateLinkService",
                f"Load balancer {resource['id']} cannot be deleted: its frontend "
                f"{frontend['name']} is used by private link service {services[0]}.",
            )


def frontend_exists(frontend_id: str) -> bool:
    load_balancer_id = frontend_id.rsplit("/frontendIPConfigurations/", 1)[0]
    load_balancer = store.get(load_balancer_id)
    if load_balancer is None or store.is_deleting(load_balancer_id):
        return False
    return any(
        item["id"].lower() == frontend_id.lower()
        for item in load_balancer["properties"]["frontendIPConfigurations"]
    )


def _child(
    target: Target, section: str, item: dict[str, Any], props: dict[str, Any]
) -> dict[str, Any]:
    return {
        "id": f"{target.id}/{section}/{item['name']}",
        "name": item["name"],
        "type": f"{LB_TYPE}/{section}",
        "properties": props,
    }


def _pool_properties(item: dict[str, Any]) -> dict[str, Any]:
    """A pool's members by IP address in a virtual network (an IP-based backend pool)."""
    field = f"backendAddressPools/{item['name']}/loadBalancerBackendAddresses"
    members = named_items((item.get("properties") or {}).get("loadBalancerBackendAddresses"), field)
    addresses = []
    for member in members:
        member_props = member.get("properties") or {}
        address = member_props.get("ipAddress")
        if not isinstance(address, str) or not address:
            raise ArmError(
                400, "InvalidRequestFormat", f"{field}/{member['name']} needs an ipAddress."
            )
        network_id = reference(member_props.get("virtualNetwork"), f"{field}/virtualNetwork")
        if store.get(network_id) is None:
            raise bad_reference(f"{field}/{member['name']}/virtualNetwork", network_id)
        addresses.append(
            {
                "name": member["name"],
                "properties": {"ipAddress": address, "virtualNetwork": {"id": network_id}},
            }
        )
    return {"loadBalancerBackendAddresses": addresses} if addresses else {}


def _address(
    props: dict[str, Any], old: dict[str, Any] | None, subnet: Resource, taken: set[str]
) -> str:
    wanted = props.get("privateIPAddress")
    if props.get("privateIPAllocationMethod") == "Static" and wanted:
        if wanted in taken:
            raise ArmError(
                400,
                "PrivateIPAddressInUse",
                f"IP address {wanted} in subnet {subnet['name']} is already in use.",
            )
        taken.add(wanted)
        return str(wanted)
    if old is not None and old["properties"]["subnet"]["id"].lower() == subnet["id"].lower():
        address = str(old["properties"]["privateIPAddress"])
        taken.add(address)
        return address
    return store.allocate_address(subnet, taken)


def _port(value: Any, field: str, *, low: int, high: int = 65535) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ArmError(
            400,
            "InvalidRequestFormat",
            f"{field} must be a whole number from {low} to {high}, not {value!r}.",
        )
    return value


LOAD_BALANCERS = Kind(
    path=("loadBalancers",),
    type=LB_TYPE,
    build=build_load_balancer,
    render=render_load_balancer,
    before_delete=before_load_balancer_delete,
)
