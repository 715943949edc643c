"""The PrivateLink connection life cycle between a provider's service and customer endpoints.

A connection is the customer's Interface endpoint itself, seen from the provider's side:
its state lives on moto's endpoint object in the customer's account, so both sides always
read the same state and moto's reset clears it.

- `CreateVpcEndpoint` to a `com.amazonaws.vpce.` service name: refused with
  `InvalidServiceName` (as AWS does) unless the service's owner calls, or `*`, the caller's
  account root or the caller's user/role ARN is allowed; `pendingAcceptance` when the
  service requires acceptance, else `available`.
- `DescribeVpcEndpointConnections`, `AcceptVpcEndpointConnections`,
  `RejectVpcEndpointConnections`, which moto lacks.
- Deleting an endpoint service leaves its endpoints `failed`; removing a principal later
  does not touch an existing connection, as in AWS.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from moto.core.responses import ActionResult
from moto.ec2.exceptions import InvalidFilter, InvalidServiceName
from moto.ec2.models import EC2Backend
from moto.ec2.models.vpc_service_configuration import VPCServiceConfiguration
from moto.ec2.models.vpcs import VPCEndPoint
from moto.ec2.responses import EC2Response
from moto.moto_api._internal import mock_random

from fakeaws.endpoint_services import find_service, region_backends
from fakeaws.identity import caller_for_access_key
from fakeaws.paging import page_of
from fakeaws.patching import original, replace

PRIVATE_SERVICE_PREFIX = "com.amazonaws.vpce."
CONNECTION_FILTERS = ("service-id", "vpc-endpoint-id", "vpc-endpoint-state", "vpc-endpoint-owner")

# Which state a decision moves a connection to, from the states it may be taken in.
ACCEPT = ("available", {"pendingAcceptance", "rejected", "available"})
REJECT = ("rejected", {"pendingAcceptance", "available", "rejected"})


def _is_interface(endpoint: VPCEndPoint) -> bool:
    return (endpoint.vpc_endpoint_type or "").lower() == "interface"


def connection_id(endpoint: VPCEndPoint) -> str:
    """A stable `vpce-con-...` id derived from the endpoint, so it needs no state of its own."""
    digest = hashlib.sha256(endpoint.id.encode()).hexdigest()
    return f"vpce-con-{digest[:17]}"


def endpoints_of(region: str, service: VPCServiceConfiguration) -> list[VPCEndPoint]:
    """Interface endpoints of every account that target `service`, oldest first."""
    endpoints = [
        endpoint
        for backend in region_backends(region)
        for endpoint in list(backend.vpc_end_points.values())
        if _is_interface(endpoint) and endpoint.service_name == service.service_name
    ]
    return sorted(endpoints, key=lambda e: (e.creation_timestamp, e.id))


def create_vpc_endpoint(self: EC2Response) -> ActionResult:
    service_name: str = self._get_param("ServiceName") or ""
    endpoint_type: str = self._get_param("VpcEndpointType") or ""
    if endpoint_type.lower() != "interface" or not service_name.startswith(PRIVATE_SERVICE_PREFIX):
        result: ActionResult = original(EC2Response, "create_vpc_endpoint")(self)
        return result
    service = find_service(self.region, service_name)
    caller = caller_for_access_key(self.get_access_key(), self.region)
    is_owner = service is not None and service.ec2_backend.account_id == caller.account_id
    if service is None or not (is_owner or caller.is_allowed_by(service.principals)):
        # AWS does not tell a caller that is not allowed that the service exists.
        raise InvalidServiceName(service_name)
    result = original(EC2Response, "create_vpc_endpoint")(self)
    endpoint: VPCEndPoint = result.result["VpcEndpoint"]  # type: ignore[index]
    endpoint.state = "pendingAcceptance" if service.acceptance_required else "available"
    endpoint.dns_entries = _dns_entries(endpoint, service, self.ec2_backend)
    return result


def _dns_entries(
    endpoint: VPCEndPoint, service: VPCServiceConfiguration, backend: EC2Backend
) -> list[dict[str, str]]:
    """A regional name and one name per zone, shaped like AWS's."""
    suffix = f"{service.id}.{backend.region_name}.vpce.amazonaws.com"
    prefix = f"{endpoint.id}-{mock_random.get_random_hex(8)}"
    zone_id = _hosted_zone_id(backend.region_name)
    names = [f"{prefix}.{suffix}"]
    for subnet_id in endpoint.subnet_ids or []:
        zone = backend.get_subnet(subnet_id).availability_zone
        names.append(f"{prefix}-{zone}.{suffix}")
    return [{"dns_name": name, "hosted_zone_id": zone_id} for name in names]


def _hosted_zone_id(region: str) -> str:
    return "Z" + hashlib.sha256(f"vpce.{region}".encode()).hexdigest()[:13].upper()


def describe_vpc_endpoint_connections(self: EC2Response) -> ActionResult:
    filters: dict[str, list[str]] = self._filters_from_querystring()  # type: ignore[assignment]
    for name in filters:
        if name not in CONNECTION_FILTERS:
            raise InvalidFilter(name)
    backend: EC2Backend = self.ec2_backend
    connections = [
        (service, endpoint)
        for service in list(backend.configurations.values())
        for endpoint in endpoints_of(self.region, service)
        if _matches(service, endpoint, filters)
    ]
    connections.sort(key=lambda pair: (pair[1].creation_timestamp, pair[1].id))
    page, next_token = page_of(
        connections,
        key=lambda pair: pair[1].id,
        max_results=self._get_int_param("MaxResults"),
        next_token=self._get_param("NextToken"),
    )
    return ActionResult(
        {
            "VpcEndpointConnections": [_connection(s, e) for s, e in page],
            "NextToken": next_token,
        }
    )


def _matches(
    service: VPCServiceConfiguration, endpoint: VPCEndPoint, filters: dict[str, list[str]]
) -> bool:
    values: dict[str, str] = {
        "service-id": service.id,
        "vpc-endpoint-id": endpoint.id,
        "vpc-endpoint-state": endpoint.state.lower(),
        "vpc-endpoint-owner": endpoint.owner_id,
    }
    for name, wanted in filters.items():
        if name == "vpc-endpoint-state":
            wanted = [w.lower() for w in wanted]
        if values[name] not in wanted:
            return False
    return True


def _connection(service: VPCServiceConfiguration, endpoint: VPCEndPoint) -> dict[str, Any]:
    return {
        "ServiceId": service.id,
        "VpcEndpointId": endpoint.id,
        "VpcEndpointOwner": endpoint.owner_id,
        "VpcEndpointState": endpoint.state,
        "CreationTimestamp": endpoint.creation_timestamp,
        "DnsEntries": [
            {"DnsName": entry["dns_name"], "HostedZoneId": entry["hosted_zone_id"]}
            for entry in endpoint.dns_entries or []
        ],
        "NetworkLoadBalancerArns": list(service.network_load_balancer_arns),
        "GatewayLoadBalancerArns": list(service.gateway_load_balancer_arns),
        "IpAddressType": "ipv4",
        "VpcEndpointConnectionId": connection_id(endpoint),
        "Tags": [{"Key": t["key"], "Value": t["value"]} for t in endpoint.get_tags()],
    }


def _decide(self: EC2Response, decision: tuple[str, set[str]]) -> ActionResult:
    new_state, allowed_from = decision
    service_id = self._get_param("ServiceId")
    # Unknown service: InvalidVpcEndpointServiceId.NotFound for the whole call, as in AWS.
    service = self.ec2_backend.describe_vpc_endpoint_service_configurations([service_id])[0]
    endpoints = {e.id: e for e in endpoints_of(self.region, service)}
    unsuccessful = []
    for endpoint_id in self._get_param("VpcEndpointIds", []):
        endpoint = endpoints.get(endpoint_id)
        if endpoint is None:
            unsuccessful.append(
                _failure(
                    endpoint_id,
                    "InvalidVpcEndpointId.NotFound",
                    f"The Vpc Endpoint Id '{endpoint_id}' does not exist",
                )
            )
        elif endpoint.state not in allowed_from:
            unsuccessful.append(
                _failure(
                    endpoint_id,
                    "InvalidState",
                    f"Endpoint {endpoint_id} is in state {endpoint.state} and cannot be "
                    f"changed to {new_state}",
                )
            )
        else:
            endpoint.state = new_state
    return ActionResult({"Unsuccessful": unsuccessful})


def _failure(resource_id: str, code: str, message: str) -> dict[str, Any]:
    return {"Error": {"Code": code, "Message": message}, "ResourceId": resource_id}


def accept_vpc_endpoint_connections(self: EC2Response) -> ActionResult:
    return _decide(self, ACCEPT)


def reject_vpc_endpoint_connections(self: EC2Response) -> ActionResult:
    return _decide(self, REJECT)


def delete_vpc_endpoint_service_configurations(self: EC2Backend, service_ids: list[str]) -> Any:
    deleted = [self.configurations[i] for i in service_ids if i in self.configurations]
    missing = original(EC2Backend, "delete_vpc_endpoint_service_configurations")(self, service_ids)
    for service in deleted:
        for endpoint in endpoints_of(self.region_name, service):
            if endpoint.state != "deleted":
                endpoint.state = "failed"
    return missing


def install() -> None:
    responses: tuple[Callable[[EC2Response], ActionResult], ...] = (
        create_vpc_endpoint,
        describe_vpc_endpoint_connections,
        accept_vpc_endpoint_connections,
        reject_vpc_endpoint_connections,
    )
    for response in responses:
        replace(EC2Response, response.__name__, response)
    replace(
        EC2Backend,
        "delete_vpc_endpoint_service_configurations",
        delete_vpc_endpoint_service_configurations,
    )
