"""Private link services (the producer's side), their private endpoint connections, and
private endpoints (the consumer's side), which ask a service for a connection.

A service is found by its resource id or its alias. Azure lets a subscription connect
only when the service's `visibility` lists it (or `*`), or it is the service's own
subscription; to the others the service does not exist. A connection is Approved at once
for a subscription in `autoApproval`, else Pending until the provider decides.
"""

from __future__ import annotations

import uuid
from typing import Any

from fakeazure.errors import ArmError, bad_reference, not_found
from fakeazure.load_balancers import frontend_exists
from fakeazure.network import subnet_or_refuse
from fakeazure.quotas import quotas
from fakeazure.resources import (
    Kind,
    Target,
    envelope,
    named_items,
    new_etag,
    properties,
    reference,
    subscription_of,
)
from fakeazure.store import Resource, public, store

SERVICE_TYPE = "Microsoft.Network/privateLinkServices"
CONNECTION_TYPE = "Microsoft.Network/privateLinkServices/privateEndpointConnections"
ENDPOINT_TYPE = "Microsoft.Network/privateEndpoints"
DECISIONS = ("Approved", "Rejected")


# The producer's private link service.
def build_service(target: Target, body: dict[str, Any], existing: Resource | None) -> Resource:
    resource = envelope(target, SERVICE_TYPE, body, existing)
    props = properties(body)
    frontends = props.get("loadBalancerFrontendIpConfigurations") or []
    if not frontends:
        raise ArmError(
            400,
            "PrivateLinkServiceMustHaveLoadBalancerFrontendIpConfigurations",
            f"Private link service {target.id} must name at least one load balancer frontend "
            "IP configuration.",
        )
    frontend_ids = []
    for index, item in enumerate(frontends):
        field = f"loadBalancerFrontendIpConfigurations[{index}]"
        frontend_id = reference(item, field)
        if not frontend_exists(frontend_id):
            raise bad_reference(field, frontend_id)
        frontend_ids.append(frontend_id)
    configs = named_items(props.get("ipConfigurations"), "ipConfigurations")
    if not configs:
        raise ArmError(
            400,
            "PrivateLinkServiceMustHaveIpConfigurations",
            f"Private link service {target.id} needs at least one NAT IP configuration.",
        )
    limit = quotas.current.nat_ip_configurations_per_private_link_service
    if len(configs) > limit:
        raise ArmError(
            400,
            "PrivateLinkServiceIpConfigurationsLimitReached",
            f"Private link service {target.id} has {len(configs)} IP configurations; "
            f"at most {limit} are allowed.",
        )
    old_configs = {
        item["name"].lower(): item
        for item in (existing or {}).get("properties", {}).get("ipConfigurations", [])
    }
    addresses: list[tuple[str, str]] = []
    taken_by_subnet: dict[str, set[str]] = {}
    nat_configs = []
    for index, item in enumerate(configs):
        item_props = item.get("properties") or {}
        field = f"ipConfigurations/{item['name']}/subnet"
        subnet_id = reference(item_props.get("subnet"), field)
        subnet = subnet_or_refuse(field, subnet_id)
        if subnet["properties"]["privateLinkServiceNetworkPolicies"] != "Disabled":
            raise ArmError(
                400,
                "PrivateLinkServiceCannotBeCreatedInSubnetThatHasNetworkPoliciesEnabled",
                f"Private link service {target.id} cannot be created in subnet {subnet_id} "
                "since it has private link service network policies enabled.",
            )
        taken = taken_by_subnet.setdefault(
            subnet_id.lower(), store.used_addresses(subnet_id, besides=target.id)
        )
        old = old_configs.get(item["name"].lower())
        if old is not None and old["properties"]["subnet"]["id"].lower() == subnet_id.lower():
            address = old["properties"]["privateIPAddress"]
            taken.add(address)
        else:
            address = store.allocate_address(subnet, taken)
        addresses.append((subnet_id.lower(), address))
        nat_configs.append(
            {
                "id": f"{target.id}/ipConfigurations/{item['name']}",
                "name": item["name"],
                "type": f"{SERVICE_TYPE}/ipConfigurations",
                "properties": {
                    "privateIPAddress": address,
                    "privateIPAllocationMethod": "Dynamic",
                    "privateIPAddressVersion": "IPv4",
                    "primary": bool(item_props.get("primary", index == 0)),
                    "subnet": {"id": subnet_id},
                },
            }
        )
    old_props = (existing or {}).get("properties", {})
    resource["properties"] = {
        "loadBalancerFrontendIpConfigurations": [{"id": i} for i in frontend_ids],
        "ipConfigurations": nat_configs,
        "visibility": {"subscriptions": _subscriptions(props, "visibility")},
        "autoApproval": {"subscriptions": _subscriptions(props, "autoApproval")},
        "fqdns": list(props.get("fqdns") or []),
        "enableProxyProtocol": bool(props.get("enableProxyProtocol", False)),
        # The alias is made once, from the name, and survives updates.
        "alias": old_props.get("alias")
        or f"{target.name}.{uuid.uuid4()}.{resource['location']}.azure.privatelinkservice",
        "networkInterfaces": old_props.get("networkInterfaces")
        or [
            {
                "id": f"{target.group_id}/providers/Microsoft.Network/networkInterfaces/"
                f"{target.name}.nic.{uuid.uuid4()}"
            }
        ],
    }
    resource["_addresses"] = addresses
    return resource


def render_service(resource: Resource) -> Resource:
    answer = public(resource)
    answer["properties"]["privateEndpointConnections"] = [
        render_connection(item) for item in connections_of(resource["id"])
    ]
    return answer


def before_service_delete(resource: Resource) -> None:
    # The service's connections go with it; the endpoints are left Disconnected.
    for connection in list(connections_of(resource["id"])):
        _disconnect(connection)


def services_using_frontend(frontend_id: str) -> list[str]:
    return [
        service["id"]
        for service in store.all(SERVICE_TYPE)
        if not store.is_deleting(service["id"])
        and any(
            item["id"].lower() == frontend_id.lower()
            for item in service["properties"]["loadBalancerFrontendIpConfigurations"]
        )
    ]


def connections_of(service_id: str) -> list[Resource]:
    return list(store.under(service_id + "/privateEndpointConnections", CONNECTION_TYPE))


def _subscriptions(props: dict[str, Any], field: str) -> list[str]:
    value = (props.get(field) or {}).get("subscriptions") or []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ArmError(
            400,
            "InvalidRequestFormat",
            f"{field}.subscriptions must be a list of subscription ids.",
        )
    for item in value:
        if item != "*" and not _is_guid(item):
            raise ArmError(
                400,
                "InvalidRequestFormat",
                f"{field}.subscriptions: {item!r} is neither a subscription id (a GUID) nor '*'.",
            )
    return list(value)


# The service's connections, as the provider sees and decides them.
def build_connection(target: Target, body: dict[str, Any], existing: Resource | None) -> Resource:
    if existing is None:
        # Connections are made by private endpoints, never by a PUT of the provider.
        raise not_found(target.id)
    state = properties(body).get("privateLinkServiceConnectionState") or {}
    status = state.get("status")
    if status not in DECISIONS:
        raise ArmError(
            400,
            "InvalidPrivateEndpointConnectionStatus",
            f"privateLinkServiceConnectionState.status must be Approved or Rejected, not "
            f"{status!r}; delete the connection to remove it.",
        )
    updated = dict(existing)
    updated["etag"] = new_etag()
    updated["properties"] = dict(existing["properties"])
    updated["properties"]["privateLinkServiceConnectionState"] = {
        "status": status,
        "description": state.get("description") or "",
        "actionsRequired": state.get("actionsRequired") or "None",
    }
    return updated


def render_connection(resource: Resource) -> Resource:
    return public(resource)


def before_connection_delete(resource: Resource) -> None:
    endpoint = store.get(resource["properties"]["privateEndpoint"]["id"])
    if endpoint is not None:
        endpoint["_disconnected"] = True


def _disconnect(connection: Resource) -> None:
    before_connection_delete(connection)
    store.remove(connection["id"], at_once=True)


# The consumer's private endpoint.
def build_endpoint(target: Target, body: dict[str, Any], existing: Resource | None) -> Resource:
    resource = envelope(target, ENDPOINT_TYPE, body, existing)
    props = properties(body)
    if existing is not None:
        # What the endpoint connects to and where it sits are fixed once it exists.
        resource["properties"] = existing["properties"]
        for key in ("_addresses", "_connection", "_disconnected"):
            if key in existing:
                resource[key] = existing[key]
        return resource
    subnet_id = reference(props.get("subnet"), "subnet")
    subnet = subnet_or_refuse("subnet", subnet_id)
    automatic = named_items(
        props.get("privateLinkServiceConnections"), "privateLinkServiceConnections"
    )
    manual = named_items(
        props.get("manualPrivateLinkServiceConnections"), "manualPrivateLinkServiceConnections"
    )
    if len(automatic) + len(manual) != 1:
        raise ArmError(
            400,
            "InvalidRequestFormat",
            "A private endpoint needs exactly one connection, in privateLinkServiceConnections "
            "or manualPrivateLinkServiceConnections.",
        )
    is_manual = bool(manual)
    request = (manual or automatic)[0]
    request_props = request.get("properties") or {}
    wanted = request_props.get("privateLinkServiceId") or ""
    service = find_service(str(wanted), target.subscription)
    address = store.allocate_address(subnet, store.used_addresses(subnet_id))
    approved = target.subscription in service["properties"]["autoApproval"]["subscriptions"] or (
        not is_manual and subscription_of(service["id"]) == target.subscription
    )
    state = {
        "status": "Approved" if approved else "Pending",
        "description": "Auto-Approved" if approved else request_props.get("requestMessage") or "",
        "actionsRequired": "None",
    }
    connection_name = f"{target.name}.{uuid.uuid4()}"
    connection: Resource = {
        "id": f"{service['id']}/privateEndpointConnections/{connection_name}",
        "name": connection_name,
        "type": CONNECTION_TYPE,
        "etag": new_etag(),
        "properties": {
            "privateEndpoint": {"id": target.id},
            "privateLinkServiceConnectionState": state,
            "linkIdentifier": str(uuid.uuid4().int % 2**31),
            "privateEndpointLocation": resource["location"],
        },
    }
    store.put(connection, settled=True)
    resource["_connection"] = connection["id"]
    resource["_addresses"] = [(subnet_id.lower(), address)]
    section = (
        "manualPrivateLinkServiceConnections" if is_manual else "privateLinkServiceConnections"
    )
    resource["properties"] = {
        "subnet": {"id": subnet_id},
        section: [
            {
                "id": f"{target.id}/{section}/{request['name']}",
                "name": request["name"],
                "type": f"{ENDPOINT_TYPE}/{section}",
                "properties": {
                    "privateLinkServiceId": service["id"],
                    "requestMessage": request_props.get("requestMessage") or "",
                    "groupIds": list(request_props.get("groupIds") or []),
                },
            }
        ],
        "networkInterfaces": [
            {
                "id": f"{target.group_id}/providers/Microsoft.Network/networkInterfaces/"
                f"{target.name}.nic.{uuid.uuid4()}"
            }
        ],
        "customDnsConfigs": [{"ipAddresses": [address]}],
        "ipConfigurations": [],
    }
    return resource


def render_endpoint(resource: Resource) -> Resource:
    """The endpoint with each connection's state as the service holds it now."""
    answer = public(resource)
    connection = store.get(resource.get("_connection", ""))
    for section in ("privateLinkServiceConnections", "manualPrivateLinkServiceConnections"):
        for item in answer["properties"].get(section, []):
            if resource.get("_disconnected") or connection is None:
                state = {
                    "status": "Disconnected",
                    "description": "The private link service removed this connection.",
                    "actionsRequired": "None",
                }
            else:
                state = dict(connection["properties"]["privateLinkServiceConnectionState"])
            item["properties"]["privateLinkServiceConnectionState"] = state
            item["properties"]["provisioningState"] = answer["properties"]["provisioningState"]
    answer["properties"].setdefault("privateLinkServiceConnections", [])
    answer["properties"].setdefault("manualPrivateLinkServiceConnections", [])
    return answer


def before_endpoint_delete(resource: Resource) -> None:
    connection_id = resource.get("_connection")
    if connection_id:
        store.remove(connection_id, at_once=True)


def find_service(wanted: str, subscription: str) -> Resource:
    """The service an endpoint names by resource id or alias, if `subscription` may see it."""
    low = wanted.lower()
    for service in store.all(SERVICE_TYPE):
        if store.is_deleting(service["id"]):
            continue
        if low in (service["id"].lower(), service["properties"]["alias"].lower()):
            if _visible(service, subscription):
                return service
            break
    # A service the subscription may not see answers as one that does not exist.
    raise ArmError(
        400,
        "PrivateLinkServiceNotFound",
        f"Private link service {wanted!r} was not found, or is not visible to subscription "
        f"{subscription}.",
    )


def alias_visible(alias: str, subscription: str) -> bool:
    """What checkPrivateLinkServiceVisibility answers: may `subscription` connect to it?"""
    try:
        find_service(alias, subscription)
    except ArmError:
        return False
    return True


def _visible(service: Resource, subscription: str) -> bool:
    listed = service["properties"]["visibility"]["subscriptions"]
    return "*" in listed or subscription in listed or subscription_of(service["id"]) == subscription


def _is_guid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return len(text) == 36


PRIVATE_LINK_SERVICES = Kind(
    path=("privateLinkServices",),
    type=SERVICE_TYPE,
    build=build_service,
    render=render_service,
    before_delete=before_service_delete,
)
PRIVATE_ENDPOINT_CONNECTIONS = Kind(
    path=("privateLinkServices", "privateEndpointConnections"),
    type=CONNECTION_TYPE,
    build=build_connection,
    render=render_connection,
    before_delete=before_connection_delete,
    # The SDK's update_private_endpoint_connection is a plain PUT answered 200.
    long_running_put=False,
)
PRIVATE_ENDPOINTS = Kind(
    path=("privateEndpoints",),
    type=ENDPOINT_TYPE,
    build=build_endpoint,
    render=render_endpoint,
    before_delete=before_endpoint_delete,
)
