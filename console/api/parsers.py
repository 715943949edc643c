"""Turning request bodies of the inventory endpoints into what the actions take.

Each body has one schema, published in the OpenAPI document and checked here with
jsonschema; the checks that need the catalog or the database stay in the actions.
"""

from dataclasses import dataclass
from typing import Any

from console import catalog
from console.actions import GIVEN_PASSWORD_LENGTH
from console.api.schemas import STRING, body, nullable
from console.api.validation import check_body
from console.errors import InvalidInput, echo
from console.models import Service

# A string with something in it besides spaces.
_TEXT = {"type": "string", "pattern": r"\S"}
# Keys avn always sends, for features this console does not offer: accepted while they
# ask for nothing.
_NOTHING_LISTED = nullable({"type": "array", "items": {}, "maxItems": 0})
_NOTHING_SET = nullable({"type": "object", "maxProperties": 0})


def _not_supported(what: str, key: str) -> str:
    return f"{what} are not supported here; leave {key} empty."


SERVICE_UPDATE_BODY = body(
    {
        "plan": STRING,
        "user_config": {"type": "object", "example": {"privatelink_access": {"kafka": True}}},
    }
)
_SERVICE_UPDATE_WORDING = {
    "plan": "Give the plan as a string such as premium-6.",
    "user_config": "user_config must be a JSON object.",
}


@dataclass(frozen=True)
class ServiceUpdate:
    plan: str | None  # None: the plan stays
    user_config: dict[str, Any]


def service_update_request(data: dict[str, Any], service: Service) -> ServiceUpdate:
    """`PUT /project/{p}/service/{s}`: a plan change and a user config change, either or both.

    avn sends the current plan with every update; that is no change.
    """
    check_body(data, SERVICE_UPDATE_BODY, _SERVICE_UPDATE_WORDING)
    plan = data.get("plan", service.plan)
    if plan not in catalog.PLANS:
        raise InvalidInput(
            f"Unknown plan {echo(repr(plan))}; choose one of {', '.join(catalog.PLANS)}.",
            field="plan",
        )
    return ServiceUpdate(plan if plan != service.plan else None, data.get("user_config", {}))


VPC_CREATE_BODY = body(
    {
        "cloud_name": {**_TEXT, "example": "aws-eu-west-1"},
        "network_cidr": {
            **_TEXT,
            "example": "10.1.0.0/16",
            "description": "A private IPv4 range (RFC 1918: inside 10.0.0.0/8, "
            "172.16.0.0/12 or 192.168.0.0/16) from /16 to /24.",
        },
        "peering_connections": _NOTHING_LISTED,
    },
    required=["cloud_name", "network_cidr"],
)
_VPC_CREATE_WORDING = {
    "cloud_name": "Give the cloud (such as aws-eu-west-1) as a string.",
    "network_cidr": "Give the network range in CIDR form (such as 10.1.0.0/16) as a string.",
    "peering_connections": _not_supported("VPC peering connections", "peering_connections"),
}


@dataclass(frozen=True)
class VpcRequest:
    cloud: str
    cidr: str


def project_vpc_request(data: dict[str, Any]) -> VpcRequest:
    """`POST /project/{p}/vpcs` as `avn vpc create --cloud C --network-cidr N` sends it."""
    check_body(data, VPC_CREATE_BODY, _VPC_CREATE_WORDING)
    return VpcRequest(cloud=data["cloud_name"].strip(), cidr=data["network_cidr"].strip())


SERVICE_CREATE_BODY = body(
    {
        "service_name": {**_TEXT, "example": "my-kafka2"},
        "service_type": {**_TEXT, "example": "kafka"},
        "plan": {**_TEXT, "example": "business-4"},
        "cloud": nullable({"type": "string", "example": "aws-eu-west-1"}),
        "project_vpc_id": nullable(
            {"type": "string", "example": "3f1c2a7e-9b0d-4e5f-8a6b-1c2d3e4f5a6b"}
        ),
        "user_config": nullable(
            {"type": "object", "example": {"privatelink_access": {"kafka": True}}}
        ),
        "service_integrations": _NOTHING_LISTED,
        "termination_protection": nullable({"type": "boolean", "enum": [False, None]}),
        "static_ips": _NOTHING_LISTED,
    },
    required=["service_name", "service_type", "plan"],
)
_SERVICE_CREATE_WORDING = {
    "service_name": "Give the service name as a string.",
    "service_type": "Give the service type (such as kafka) as a string.",
    "plan": "Give the plan (such as business-4) as a string.",
    "cloud": "Give the cloud as a string such as aws-eu-west-1.",
    "project_vpc_id": "Give project_vpc_id as a string (one of the ids avn vpc list prints).",
    "user_config": "user_config must be a JSON object.",
    "service_integrations": _not_supported("Service integrations", "service_integrations"),
    "termination_protection": _not_supported("Termination protection", "termination_protection"),
    "static_ips": _not_supported("Static IP addresses", "static_ips"),
}


@dataclass(frozen=True)
class ServiceRequest:
    name: str
    service_type: str
    plan: str
    cloud: str | None
    # ABSENT: the project's VPC in that cloud if it has one (as the platform does); None: no VPC.
    project_vpc_id: str | object | None
    user_config: dict[str, Any]


ABSENT = object()


def service_request(data: dict[str, Any]) -> ServiceRequest:
    """`POST /project/{p}/service` as `avn service create` sends it."""
    check_body(data, SERVICE_CREATE_BODY, _SERVICE_CREATE_WORDING)
    return ServiceRequest(
        name=data["service_name"].strip(),
        service_type=data["service_type"].strip(),
        plan=data["plan"].strip(),
        cloud=data.get("cloud"),
        project_vpc_id=data.get("project_vpc_id", ABSENT),
        user_config=data.get("user_config") or {},
    )


PASSWORD_RESET_BODY = body(
    {
        "operation": {"type": "string", "enum": ["reset-credentials"]},
        "new_password": nullable(
            {
                "type": "string",
                "minLength": GIVEN_PASSWORD_LENGTH.start,
                "maxLength": GIVEN_PASSWORD_LENGTH.stop - 1,
            }
        ),
    },
    required=["operation"],
)
_PASSWORD_RESET_WORDING = {
    "operation": "The only operation supported here is reset-credentials.",
    "new_password": (
        f"Give new_password as a string of {GIVEN_PASSWORD_LENGTH.start} to "
        f"{GIVEN_PASSWORD_LENGTH.stop - 1} printable characters, or leave it out to have one "
        "generated."
    ),
}


def password_reset_request(data: dict[str, Any]) -> str | None:
    """`PUT .../user/{u}`: the operation this console carries out, and the optional password."""
    check_body(data, PASSWORD_RESET_BODY, _PASSWORD_RESET_WORDING)
    return data.get("new_password")


SERVICE_USER_CREATE_BODY = body(
    {
        "username": {"type": "string", "example": "app-orders"},
        # avn sends these for Valkey's ACLs and MySQL's plugins; this console has neither.
        "access_control": _NOTHING_SET,
        "authentication": nullable(STRING),
    },
    required=["username"],
)
_SERVICE_USER_CREATE_WORDING = {
    "username": "Give username as a string such as app-orders.",
    "access_control": _not_supported("Access control rules", "access_control"),
    "authentication": "authentication is not supported here; leave it out.",
}


def service_user_create_request(data: dict[str, Any]) -> str:
    """`POST .../service/{s}/user`: the new user's name (the action checks its form)."""
    check_body(data, SERVICE_USER_CREATE_BODY, _SERVICE_USER_CREATE_WORDING)
    username: str = data["username"]
    return username
