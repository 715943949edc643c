"""Endpoint services (provider side) as AWS behaves: timed state, filters, pages, principals.

- `ServiceState` is `Pending` for the `endpoint_service` delay, then `Available`.
- `DescribeVpcEndpointServiceConfigurations` honours `Filters` and `MaxResults`/`NextToken`.
- `ModifyVpcEndpointServicePermissions` refuses malformed principals (`InvalidPrincipal`).
- `DescribeVpcEndpointServices` also lists other accounts' services the caller may use.
- Service ids have 17 hex digits (`vpce-svc-0123456789abcdef0`), as AWS's have.
"""

from __future__ import annotations

from collections.abc import Iterator
from operator import itemgetter
from typing import Any

from moto.core.responses import ActionResult
from moto.ec2.exceptions import InvalidFilter, InvalidServiceName
from moto.ec2.models import EC2Backend, ec2_backends
from moto.ec2.models.vpc_service_configuration import VPCServiceConfiguration
from moto.ec2.responses import EC2Response
from moto.moto_api._internal import mock_random

from fakeaws.identity import caller_for_access_key, validate_principals
from fakeaws.paging import page_of
from fakeaws.patching import original, replace
from fakeaws.timing import timeline

SERVICE_ID_HEX_DIGITS = 17
CONFIGURATION_FILTERS = ("service-id", "service-name", "service-state", "service-type", "tag-key")


# What the timeline records when a service is created, with the service's id.
SERVICE_CREATED = "endpoint-service-created"


def region_backends(region: str) -> Iterator[EC2Backend]:
    """The EC2 backends of every account that has used `region`, without creating any."""
    for account_backends in list(ec2_backends.values()):
        backend = dict.get(account_backends, region)
        if backend is not None:
            yield backend


def find_service(region: str, service_name: str) -> VPCServiceConfiguration | None:
    for backend in region_backends(region):
        for service in list(backend.configurations.values()):
            if service.service_name == service_name:
                return service
    return None


def init_service(self: VPCServiceConfiguration, *args: Any, **kwargs: Any) -> None:
    """moto's constructor, then an id as long as AWS's and the names derived from it."""
    original(VPCServiceConfiguration, "__init__")(self, *args, **kwargs)
    region = self.service_name.split(".")[3]
    self.id = f"vpce-svc-{mock_random.get_random_hex(length=SERVICE_ID_HEX_DIGITS)}"
    self.service_name = f"com.amazonaws.vpce.{region}.{self.id}"
    self.endpoint_dns_name = f"{self.id}.{region}.vpce.amazonaws.com"


def service_state(self: VPCServiceConfiguration) -> str:
    state: str = self.__dict__["_service_state"]
    if state == "Available" and not timeline.has_waited(
        (SERVICE_CREATED, self.id), timeline.delays.endpoint_service
    ):
        return "Pending"
    return state


def set_service_state(self: VPCServiceConfiguration, value: str) -> None:
    self.__dict__["_service_state"] = value


def service_to_dict(self: VPCServiceConfiguration) -> dict[str, Any]:
    details: dict[str, Any] = original(VPCServiceConfiguration, "to_dict")(self)
    details["ServiceState"] = self.service_state
    details["Tags"] = [{"Key": t["key"], "Value": t["value"]} for t in self.get_tags()]
    return details


def create_vpc_endpoint_service_configuration(
    self: EC2Backend, *args: Any, **kwargs: Any
) -> VPCServiceConfiguration:
    service: VPCServiceConfiguration = original(
        EC2Backend, "create_vpc_endpoint_service_configuration"
    )(self, *args, **kwargs)
    timeline.mark((SERVICE_CREATED, service.id))
    return service


def describe_vpc_endpoint_service_configurations(self: EC2Response) -> ActionResult:
    service_ids = self._get_param("ServiceIds", [])
    filters: dict[str, list[str]] = self._filters_from_querystring()  # type: ignore[assignment]
    for name in filters:
        if name not in CONFIGURATION_FILTERS and not name.startswith("tag:"):
            raise InvalidFilter(name)
    # An unknown id fails the whole call, as in AWS (InvalidVpcEndpointServiceId.NotFound).
    services = self.ec2_backend.describe_vpc_endpoint_service_configurations(service_ids)
    matching = [s for s in services if _matches(s, filters)]
    page, next_token = page_of(
        matching,
        key=lambda s: s.id,
        max_results=self._get_int_param("MaxResults"),
        next_token=self._get_param("NextToken"),
    )
    return ActionResult({"ServiceConfigurations": page, "NextToken": next_token})


def _matches(service: VPCServiceConfiguration, filters: dict[str, list[str]]) -> bool:
    tags = {t["key"]: t["value"] for t in service.get_tags()}
    for name, values in filters.items():
        if name == "service-id":
            found = service.id in values
        elif name == "service-name":
            found = service.service_name in values
        elif name == "service-state":
            found = service.service_state.lower() in {v.lower() for v in values}
        elif name == "service-type":
            found = service.service_type[0]["ServiceType"] in values
        elif name == "tag-key":
            found = not set(tags).isdisjoint(values)
        else:
            found = tags.get(name.removeprefix("tag:")) in values
        if not found:
            return False
    return True


def modify_vpc_endpoint_service_permissions(self: EC2Response) -> ActionResult:
    validate_principals(self._get_param("AddAllowedPrincipals", []))
    result: ActionResult = original(EC2Response, "modify_vpc_endpoint_service_permissions")(self)
    return result


def describe_vpc_endpoint_services(self: EC2Response) -> ActionResult:
    """AWS services, the caller's own services and other accounts' services it may use."""
    caller = caller_for_access_key(self.get_access_key(), self.region)
    backend: EC2Backend = self.ec2_backend
    services = backend._collect_default_endpoint_services(self.current_account, self.region)
    for other in region_backends(self.region):
        for service in list(other.configurations.values()):
            if other is backend or caller.is_allowed_by(service.principals):
                services = [*services, service.to_dict()]
    service_names = self._get_param("ServiceNames", [])
    for name in service_names:
        if name not in {s["ServiceName"] for s in services}:
            raise InvalidServiceName(name)
    matching = sorted(
        backend._filter_endpoint_services(service_names, self._get_param("Filters", []), services),
        key=itemgetter("ServiceName"),
    )
    page, next_token = page_of(
        matching,
        key=itemgetter("ServiceName"),
        max_results=self._get_int_param("MaxResults"),
        next_token=self._get_param("NextToken"),
    )
    return ActionResult(
        {
            "ServiceNames": [s["ServiceName"] for s in page],
            "ServiceDetails": page,
            "NextToken": next_token,
        }
    )


def install() -> None:
    replace(VPCServiceConfiguration, "__init__", init_service)
    replace(VPCServiceConfiguration, "service_state", property(service_state, set_service_state))
    replace(VPCServiceConfiguration, "to_dict", service_to_dict)
    replace(
        EC2Backend,
        "create_vpc_endpoint_service_configuration",
        create_vpc_endpoint_service_configuration,
    )
    for response in (
        describe_vpc_endpoint_service_configurations,
        modify_vpc_endpoint_service_permissions,
        describe_vpc_endpoint_services,
    ):
        replace(EC2Response, response.__name__, response)
