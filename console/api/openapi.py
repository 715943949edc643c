"""/v1/openapi.json: the OpenAPI 3 description of every /v1/ endpoint this console answers.

Written by hand from the serializers, and checked against the running API by
schemathesis in the test suite, so a response that drifts from it fails the build.
"""

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from console import catalog
from console.models import Service

ERROR_TEXT = {
    400: "The input cannot be carried out; the message names the field to fix.",
    401: "No valid, unrevoked token in the Authorization header.",
    403: "Your role in this project is read-only.",
    404: "No such project, service or object, or not visible to you.",
    405: "The path does not take this method.",
    409: "The object's state does not allow the change.",
    413: "The request body is too large.",
}
# Every endpoint authenticates, resolves its path and checks the method first.
ALWAYS = (401, 404, 405)


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "nullable": True}


def _obj(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
    }


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _operation(
    summary: str,
    answer: dict[str, Any],
    *errors: int,
    body: dict[str, Any] | None = None,
    parameters: tuple[str, ...] = ("project",),
) -> dict[str, Any]:
    responses: dict[str, Any] = {"200": {"description": "OK", **_json(answer)}}
    for status in sorted({*ALWAYS, *errors}):
        responses[str(status)] = {"description": ERROR_TEXT[status], **_json(_ref("Error"))}
    operation: dict[str, Any] = {
        "summary": summary,
        "parameters": [{"$ref": f"#/components/parameters/{p}"} for p in parameters],
        "responses": responses,
    }
    if body is not None:
        operation["requestBody"] = {"required": True, **_json(body)}
    return operation


_SERVICE = ("project", "service")
_STRINGS = {"type": "array", "items": {"type": "string"}}
_PRINCIPALS_BODY = _obj(
    {
        "principals": {
            "type": "array",
            "items": {"type": "string", "example": "arn:aws:iam::012345678901:user/mwf"},
            "minItems": 1,
            "maxItems": 16,
        }
    }
)
_PRINCIPALS_BODY["additionalProperties"] = False

SCHEMAS: dict[str, Any] = {
    "Error": _obj(
        {
            "message": {"type": "string"},
            "errors": {
                "type": "array",
                "items": _obj(
                    {
                        "message": {"type": "string"},
                        "status": {"type": "integer"},
                        "field": {"type": "string"},
                    },
                    required=["message", "status"],
                ),
            },
        }
    ),
    "Project": _obj(
        {
            "project_name": {"type": "string"},
            "default_cloud": {"type": "string"},
            "billing_currency": {"type": "string"},
            "billing_address": {"type": "string"},
            "billing_extra_text": _nullable({"type": "string"}),
            "country_code": {"type": "string"},
            "vat_id": {"type": "string"},
            "card_info": _nullable({"type": "object"}),
            "vpc_peering_connections": {"type": "array", "items": {"type": "object"}},
        }
    ),
    "ServiceComponent": _obj(
        {
            "component": {"type": "string"},
            "host": {"type": "string"},
            "port": {"type": "integer"},
            "route": {"type": "string", "enum": ["dynamic", "privatelink"]},
            "usage": {"type": "string", "enum": ["primary", "replica"]},
            "ssl": {"type": "boolean"},
            "kafka_authentication_method": {"type": "string", "enum": ["certificate"]},
            "privatelink_connection_id": {"type": "string"},
        },
        required=["component", "host", "port", "route", "usage"],
    ),
    "Service": _obj(
        {
            "service_name": {"type": "string"},
            "service_type": {"type": "string", "enum": list(catalog.SERVICE_TYPES)},
            "service_type_description": {"type": "string"},
            "state": {"type": "string", "enum": list(Service.State.values)},
            "plan": {"type": "string"},
            "cloud_name": {"type": "string"},
            "project_vpc_id": _nullable({"type": "string"}),
            "create_time": {"type": "string", "format": "date-time"},
            "update_time": {"type": "string", "format": "date-time"},
            "user_config": {"type": "object"},
            "node_count": {"type": "integer"},
            "node_states": {"type": "array", "items": {"type": "object"}},
            "disk_space_mb": _nullable({"type": "integer"}),
            "service_uri": {"type": "string"},
            "service_uri_params": {"type": "object"},
            "components": {"type": "array", "items": _ref("ServiceComponent")},
            "connection_info": {"type": "object"},
            "users": {"type": "array", "items": _ref("ServiceUser")},
            "databases": _STRINGS,
            "termination_protection": {"type": "boolean"},
            "service_integrations": {"type": "array", "items": {"type": "object"}},
            "tags": {"type": "object"},
        }
    ),
    "ProjectVPC": _obj(
        {
            "project_vpc_id": {"type": "string"},
            "cloud_name": {"type": "string", "enum": list(catalog.CLOUDS)},
            "network_cidr": {"type": "string"},
            "state": {"type": "string", "enum": ["APPROVED", "ACTIVE", "DELETING"]},
            "create_time": {"type": "string", "format": "date-time"},
            "update_time": {"type": "string", "format": "date-time"},
            "peering_connections": {"type": "array", "items": {"type": "object"}},
        }
    ),
    "ServiceUser": _obj(
        {
            "username": {"type": "string"},
            "type": {"type": "string", "enum": ["primary", "normal"]},
            "password": {"type": "string"},
            "access_cert": {"type": "string"},
            "access_key": {"type": "string"},
        },
        required=["username", "type"],
    ),
    "ServiceType": _obj(
        {
            "service_type": {"type": "string"},
            "description": {"type": "string"},
            "service_plans": {"type": "array", "items": {"type": "object"}},
            "user_config_schema": {"type": "object"},
        }
    ),
    "PrivateLink": _obj(
        {
            "aws_service_id": _nullable({"type": "string"}),
            "aws_service_name": _nullable({"type": "string"}),
            "principals": _STRINGS,
            "state": {"type": "string", "enum": ["creating", "active", "deleting"]},
        }
    ),
    "PrivateLinkConnection": _obj(
        {
            "dns_name": {"type": "string"},
            "privatelink_connection_id": {"type": "string"},
            "state": {
                "type": "string",
                # The platform's enum: a connection the console rejected (over the limit,
                # principal removed) or one deleted is not listed by the API.
                "enum": ["pending-user-approval", "user-approved", "connected", "active"],
            },
            "vpc_endpoint_id": {"type": "string"},
        }
    ),
}

_PRIVATELINK = "/v1/project/{project}/service/{service}/privatelink/aws"

PATHS: dict[str, Any] = {
    "/v1/project": {
        "get": _operation(
            "List the projects you belong to",
            _obj({"projects": {"type": "array", "items": _ref("Project")}}),
            parameters=(),
        )
    },
    "/v1/project/{project}": {
        "get": _operation("Get a project", _obj({"project": _ref("Project")}))
    },
    "/v1/project/{project}/service": {
        "get": _operation(
            "List a project's services",
            _obj({"services": {"type": "array", "items": _ref("Service")}}),
        ),
        "post": _operation(
            "Create a service with as many nodes as its plan runs",
            _obj({"service": _ref("Service")}),
            400,
            403,
            409,
            413,
            body={
                "type": "object",
                "properties": {
                    "service_name": {"type": "string", "example": "my-kafka2"},
                    "service_type": {"type": "string", "example": "kafka"},
                    "plan": {"type": "string", "example": "business-4"},
                    "cloud": _nullable({"type": "string", "example": "aws-eu-west-1"}),
                    "project_vpc_id": _nullable({"type": "string"}),
                    "user_config": {"type": "object"},
                    "service_integrations": _nullable({"type": "array", "items": {}}),
                    "termination_protection": {"type": "boolean"},
                    "static_ips": {"type": "array", "items": {}},
                },
                "required": ["service_name", "service_type", "plan"],
                "additionalProperties": False,
            },
        ),
    },
    "/v1/project/{project}/vpcs": {
        "get": _operation(
            "List a project's VPCs",
            _obj({"vpcs": {"type": "array", "items": _ref("ProjectVPC")}}),
        ),
        "post": _operation(
            "Create a Project VPC",
            _ref("ProjectVPC"),
            400,
            403,
            409,
            413,
            body={
                "type": "object",
                "properties": {
                    "cloud_name": {"type": "string", "example": "aws-eu-west-1"},
                    "network_cidr": {"type": "string", "example": "10.1.0.0/16"},
                    "peering_connections": {"type": "array", "items": {}},
                },
                "required": ["cloud_name", "network_cidr"],
                "additionalProperties": False,
            },
        ),
    },
    "/v1/project/{project}/vpcs/{project_vpc_id}": {
        "get": _operation(
            "Get a Project VPC", _ref("ProjectVPC"), parameters=("project", "project_vpc_id")
        ),
        "delete": _operation(
            "Delete a Project VPC without services",
            _ref("ProjectVPC"),
            403,
            409,
            parameters=("project", "project_vpc_id"),
        ),
    },
    "/v1/project/{project}/service/{service}": {
        "get": _operation(
            "Get a service with its components on every route",
            _obj({"service": _ref("Service")}),
            parameters=_SERVICE,
        ),
        "put": _operation(
            "Change the plan (nodes follow) and merge a change into the user config",
            _obj({"service": _ref("Service")}),
            400,
            403,
            409,
            413,
            parameters=_SERVICE,
            body={
                "type": "object",
                "properties": {
                    "plan": {"type": "string"},
                    "user_config": {
                        "type": "object",
                        "example": {"privatelink_access": {"kafka": True}},
                    },
                },
                "additionalProperties": False,
            },
        ),
        "delete": _operation(
            "Terminate the service: its PrivateLink is torn down first, the service last",
            _obj({"message": {"type": "string"}}),
            403,
            409,
            parameters=_SERVICE,
        ),
    },
    "/v1/project/{project}/service/{service}/user/{username}": {
        "get": _operation(
            "A service user; the password only for members who may change the service",
            _obj({"user": _ref("ServiceUser")}),
            parameters=("project", "service", "username"),
        ),
        "put": _operation(
            "Reset a service user's password (generated unless new_password is given)",
            _obj({"user": _ref("ServiceUser")}),
            400,
            403,
            413,
            parameters=("project", "service", "username"),
            body={
                "type": "object",
                "properties": {
                    "operation": {"type": "string", "enum": ["reset-credentials"]},
                    "new_password": {"type": "string", "minLength": 8, "maxLength": 256},
                },
                "required": ["operation"],
                "additionalProperties": False,
            },
        ),
    },
    "/v1/project/{project}/service_types": {
        "get": _operation(
            "The definitions of every service type",
            _obj(
                {
                    "service_types": {
                        "type": "object",
                        "additionalProperties": _ref("ServiceType"),
                    }
                }
            ),
        )
    },
    "/v1/project/{project}/service-types/{service_type}": {
        "get": _operation(
            "A service type's definition with its user config schema",
            _ref("ServiceType"),
            parameters=("project", "service_type"),
        )
    },
    _PRIVATELINK: {
        "get": _operation(
            "Get the service's AWS PrivateLink", _ref("PrivateLink"), parameters=_SERVICE
        ),
        "post": _operation(
            "Create the service's AWS PrivateLink",
            _ref("PrivateLink"),
            400,
            403,
            409,
            413,
            parameters=_SERVICE,
            body=_PRINCIPALS_BODY,
        ),
        "put": _operation(
            "Replace the allowed principals",
            _ref("PrivateLink"),
            400,
            403,
            409,
            413,
            parameters=_SERVICE,
            body=_PRINCIPALS_BODY,
        ),
        "delete": _operation(
            "Delete the service's AWS PrivateLink",
            _ref("PrivateLink"),
            403,
            409,
            parameters=_SERVICE,
        ),
    },
    f"{_PRIVATELINK}/refresh": {
        "post": _operation(
            "Re-read the connections from AWS now",
            _obj({"message": {"type": "string"}}),
            403,
            409,
            parameters=_SERVICE,
        )
    },
    f"{_PRIVATELINK}/connections": {
        "get": _operation(
            "List the connections of the service's AWS PrivateLink",
            _obj({"connections": {"type": "array", "items": _ref("PrivateLinkConnection")}}),
            parameters=_SERVICE,
        )
    },
    "/v1/project/{project}/privatelink-availability": {
        "get": _operation(
            "The clouds that offer PrivateLink, with their hourly price",
            _obj(
                {
                    "privatelink_availability": {
                        "type": "array",
                        "items": _obj(
                            {"cloud_name": {"type": "string"}, "price_usd": {"type": "string"}}
                        ),
                    }
                }
            ),
        )
    },
}


def _path_parameter(name: str, example: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": {"type": "string", "pattern": "^[a-z][a-z0-9_-]{0,62}$"},
        "example": example,
    }


DOCUMENT: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {
        "title": "PrivateLink console API",
        "version": "1",
        "description": (
            "The platform's public API paths used by the avn client, as far as this "
            "console serves them. Authenticate with 'Authorization: aivenv1 <API token>'."
        ),
    },
    "servers": [{"url": "/"}],
    "security": [{"aivenv1": []}],
    "paths": PATHS,
    "components": {
        "securitySchemes": {
            "aivenv1": {
                "type": "apiKey",
                "in": "header",
                "name": "Authorization",
                "description": "'aivenv1 <token>'; create tokens on the API tokens page.",
            }
        },
        "parameters": {
            "project": _path_parameter("project", "demo"),
            "service": _path_parameter("service", "my-kafka"),
            "service_type": _path_parameter("service_type", "kafka"),
            "username": _path_parameter("username", "avnadmin"),
            "project_vpc_id": {
                **_path_parameter("project_vpc_id", "1"),
                "schema": {"type": "string", "pattern": "^[0-9]{1,9}$"},
            },
        },
        "schemas": SCHEMAS,
    },
}


@require_GET
def openapi_document(request: HttpRequest) -> JsonResponse:
    """Public, like the platform's own: it describes the API, not anyone's data."""
    return JsonResponse(DOCUMENT)
