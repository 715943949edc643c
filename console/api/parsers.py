"""Turning request bodies of the inventory endpoints into what the actions take."""

from dataclasses import dataclass
from typing import Any

from console import catalog
from console.api.body import reject_unknown_keys
from console.errors import InvalidInput
from console.models import Service


@dataclass(frozen=True)
class ServiceUpdate:
    plan: str | None  # None: the plan stays
    user_config: dict[str, Any]


def service_update_request(body: dict[str, Any], service: Service) -> ServiceUpdate:
    """`PUT /project/{p}/service/{s}`: a plan change and a user config change, either or both.

    avn sends the current plan with every update; that is no change.
    """
    reject_unknown_keys(body, {"user_config", "plan"})
    plan = body.get("plan", service.plan)
    if not isinstance(plan, str):
        raise InvalidInput("Give the plan as a string such as premium-6.", field="plan")
    if plan not in catalog.PLANS:
        raise InvalidInput(
            f"Unknown plan {plan!r}; choose one of {', '.join(catalog.PLANS)}.", field="plan"
        )
    change = body.get("user_config", {})
    if not isinstance(change, dict):
        raise InvalidInput("user_config must be a JSON object.", field="user_config")
    return ServiceUpdate(plan if plan != service.plan else None, change)


@dataclass(frozen=True)
class VpcRequest:
    cloud: str
    cidr: str


def _text(body: dict[str, Any], key: str, what: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"Give {what} as a string.", field=key)
    return value.strip()


def _empty(body: dict[str, Any], key: str, what: str) -> None:
    """Accept a key avn always sends, when it asks for nothing this console does not do."""
    if body.get(key) not in (None, [], (), {}, False):
        raise InvalidInput(f"{what} are not supported here; leave {key} empty.", field=key)


def project_vpc_request(body: dict[str, Any]) -> VpcRequest:
    """`POST /project/{p}/vpcs` as `avn vpc create --cloud C --network-cidr N` sends it."""
    reject_unknown_keys(body, {"cloud_name", "network_cidr", "peering_connections"})
    _empty(body, "peering_connections", "VPC peering connections")
    return VpcRequest(
        cloud=_text(body, "cloud_name", "the cloud (such as aws-eu-west-1)"),
        cidr=_text(body, "network_cidr", "the network range in CIDR form (such as 10.1.0.0/16)"),
    )


@dataclass(frozen=True)
class ServiceRequest:
    name: str
    service_type: str
    plan: str
    cloud: str | None
    # ABSENT: the project's VPC in that cloud if it has one (as the platform does); None: no VPC.
    project_vpc_id: str | object | None


ABSENT = object()


def service_request(body: dict[str, Any]) -> ServiceRequest:
    """`POST /project/{p}/service` as `avn service create` sends it."""
    reject_unknown_keys(
        body,
        {
            "service_name",
            "service_type",
            "plan",
            "cloud",
            "project_vpc_id",
            "user_config",
            "service_integrations",
            "termination_protection",
            "static_ips",
        },
    )
    _empty(body, "user_config", "User config settings at creation")
    _empty(body, "service_integrations", "Service integrations")
    _empty(body, "termination_protection", "Termination protection")
    _empty(body, "static_ips", "Static IP addresses")
    cloud = body.get("cloud")
    if cloud is not None and not isinstance(cloud, str):
        raise InvalidInput("Give the cloud as a string such as aws-eu-west-1.", field="cloud")
    vpc_id = body.get("project_vpc_id", ABSENT)
    if vpc_id is not ABSENT and vpc_id is not None and not isinstance(vpc_id, str):
        raise InvalidInput(
            "Give project_vpc_id as a string (see avn vpc list).", field="project_vpc_id"
        )
    return ServiceRequest(
        name=_text(body, "service_name", "the service name"),
        service_type=_text(body, "service_type", "the service type (such as kafka)"),
        plan=_text(body, "plan", "the plan (such as business-4)"),
        cloud=cloud,
        project_vpc_id=vpc_id,
    )


def password_reset_request(body: dict[str, Any]) -> str | None:
    """`PUT .../user/{u}`: the operation this console carries out, and the optional password."""
    reject_unknown_keys(body, {"operation", "new_password"})
    if body.get("operation") != "reset-credentials":
        raise InvalidInput(
            "The only operation supported here is reset-credentials.", field="operation"
        )
    new_password = body.get("new_password")
    if new_password is not None and not isinstance(new_password, str):
        raise InvalidInput("Give new_password as a string.", field="new_password")
    return new_password
