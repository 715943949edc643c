"""/v1/openapi.json: the OpenAPI 3 description of every /v1/ endpoint this console answers.

Written by hand from the serializers, and checked against the running API by
schemathesis in the test suite, so a response that drifts from it fails the build. The
request bodies' schemas are the ones the parsers validate with; the enums are the models'.
This module describes the console's own endpoints; other apps register theirs.
"""

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from console import catalog
from console.api.parsers import (
    PASSWORD_RESET_BODY,
    SERVICE_CREATE_BODY,
    SERVICE_UPDATE_BODY,
    SERVICE_USER_CREATE_BODY,
    VPC_CREATE_BODY,
)
from console.api.schemas import (
    BOOLEAN,
    INTEGER,
    NUMBER,
    OBJECT,
    OBJECTS,
    SERVICE_PARAMETERS,
    STRING,
    STRINGS,
    UUID,
    WRITE,
    WRITE_WITH_BODY,
    enum,
    nullable,
    obj,
    operation,
    ref,
)
from console.api.serializers import API_SERVICE_STATES, VPC_STATES
from console.models import ServiceUser

SCHEMAS: dict[str, Any] = {
    "Error": obj(
        {
            "message": STRING,
            "errors": {
                "type": "array",
                "items": obj(
                    {
                        "message": STRING,
                        "status": INTEGER,
                        "field": STRING,
                    },
                    required=["message", "status"],
                ),
            },
        }
    ),
    "Project": obj(
        {
            "project_name": STRING,
            "default_cloud": enum(catalog.CLOUDS),
            "account_id": STRING,
            "organization_id": STRING,
            "billing_group_id": STRING,
            "billing_group_name": STRING,
            "billing_currency": STRING,
            "billing_address": STRING,
            "billing_emails": OBJECTS,
            "billing_extra_text": nullable(STRING),
            "country": STRING,
            "country_code": STRING,
            "vat_id": STRING,
            "card_info": nullable(OBJECT),
            "estimated_balance": STRING,
            "payment_method": STRING,
        }
    ),
    "ServiceComponent": obj(
        {
            "component": STRING,
            "host": STRING,
            "port": INTEGER,
            "route": {"type": "string", "enum": ["dynamic", "privatelink"]},
            "usage": {"type": "string", "enum": ["primary", "replica"]},
            "ssl": BOOLEAN,
            "kafka_authentication_method": {
                "type": "string",
                "enum": [m.value for m in catalog.KafkaAuthenticationMethod],
            },
            "privatelink_connection_id": STRING,
        },
        required=["component", "host", "port", "route", "usage"],
    ),
    "Service": obj(
        {
            "service_name": STRING,
            "service_type": enum(catalog.SERVICE_TYPES),
            "service_type_description": STRING,
            "state": enum(dict.fromkeys(API_SERVICE_STATES.values())),
            "plan": STRING,
            "cloud_name": STRING,
            "project_vpc_id": nullable(UUID),
            "create_time": {"type": "string", "format": "date-time"},
            "update_time": {"type": "string", "format": "date-time"},
            "user_config": OBJECT,
            "node_count": INTEGER,
            "node_states": OBJECTS,
            "disk_space_mb": INTEGER,
            "group_list": STRINGS,
            "service_uri": STRING,
            "service_uri_params": OBJECT,
            "components": {"type": "array", "items": ref("ServiceComponent")},
            "connection_info": OBJECT,
            "users": {"type": "array", "items": ref("ServiceUser")},
            "databases": STRINGS,
            "termination_protection": BOOLEAN,
            "service_integrations": OBJECTS,
            "tags": OBJECT,
        }
    ),
    "ProjectVPC": obj(
        {
            "project_vpc_id": UUID,
            "cloud_name": enum(catalog.CLOUDS),
            "network_cidr": STRING,
            "state": enum(VPC_STATES.values()),
            "create_time": {"type": "string", "format": "date-time"},
            "update_time": {"type": "string", "format": "date-time"},
            "peering_connections": OBJECTS,
        }
    ),
    # An entry of the list: the platform's lists carry no peering connections.
    "ProjectVPCListed": obj(
        {
            "project_vpc_id": UUID,
            "cloud_name": enum(catalog.CLOUDS),
            "network_cidr": STRING,
            "state": enum(VPC_STATES.values()),
            "create_time": {"type": "string", "format": "date-time"},
            "update_time": {"type": "string", "format": "date-time"},
        }
    ),
    "Cloud": obj(
        {
            "cloud_name": enum(catalog.CLOUDS),
            "cloud_description": STRING,
            "geo_region": STRING,
            "geo_latitude": NUMBER,
            "geo_longitude": NUMBER,
            "provider": STRING,
            "provider_description": STRING,
        }
    ),
    "ServicePlan": obj(
        {
            "service_plan": enum(catalog.PLANS),
            "service_type": enum(catalog.SERVICE_TYPES),
            "node_count": INTEGER,
            "backup_config": OBJECT,
            "regions": {
                "type": "object",
                "additionalProperties": obj(
                    {
                        "price_usd": STRING,
                        "node_cpu_count": INTEGER,
                        "node_memory_mb": INTEGER,
                        "disk_space_mb": INTEGER,
                    }
                ),
            },
        }
    ),
    "ServiceUser": obj(
        {
            "username": STRING,
            "type": enum(ServiceUser.Type.values),
            "password": STRING,
            "access_cert": STRING,
            "access_key": STRING,
            "access_cert_not_valid_after_time": {"type": "string", "format": "date-time"},
        },
        required=["username", "type"],
    ),
    "ServiceType": obj(
        {
            "description": STRING,
            "service_plans": {"type": "array", "items": ref("ServicePlan")},
            "user_config_schema": OBJECT,
        }
    ),
    "ServiceTypeDetail": obj({"description": STRING, "user_config_schema": OBJECT}),
}

_SERVICE_TYPES = obj(
    {"service_types": {"type": "object", "additionalProperties": ref("ServiceType")}}
)
_CLOUDS = obj({"clouds": {"type": "array", "items": ref("Cloud")}})

PATHS: dict[str, Any] = {
    "/v1/clouds": {
        "get": operation("The clouds this console offers", _CLOUDS, parameters=()),
    },
    "/v1/project/{project}/clouds": {
        "get": operation("The clouds the project may use", _CLOUDS),
    },
    "/v1/service_types": {
        "get": operation(
            "The definitions of every service type, with each plan's price per cloud",
            _SERVICE_TYPES,
            parameters=(),
        )
    },
    "/v1/project": {
        "get": operation(
            "List the projects you belong to",
            obj(
                {
                    "projects": {"type": "array", "items": ref("Project")},
                    "project_membership": OBJECT,
                }
            ),
            parameters=(),
        )
    },
    "/v1/project/{project}": {"get": operation("Get a project", obj({"project": ref("Project")}))},
    "/v1/project/{project}/service": {
        "get": operation(
            "List a project's services",
            obj({"services": {"type": "array", "items": ref("Service")}}),
        ),
        "post": operation(
            "Create a service with as many nodes as its plan runs",
            obj({"service": ref("Service")}),
            *WRITE_WITH_BODY,
            body=SERVICE_CREATE_BODY,
        ),
    },
    "/v1/project/{project}/vpcs": {
        "get": operation(
            "List a project's VPCs",
            obj({"vpcs": {"type": "array", "items": ref("ProjectVPCListed")}}),
        ),
        "post": operation(
            "Create a Project VPC",
            ref("ProjectVPC"),
            *WRITE_WITH_BODY,
            body=VPC_CREATE_BODY,
        ),
    },
    "/v1/project/{project}/vpcs/{project_vpc_id}": {
        "get": operation(
            "Get a Project VPC", ref("ProjectVPC"), parameters=("project", "project_vpc_id")
        ),
        "delete": operation(
            "Delete a Project VPC without services",
            ref("ProjectVPC"),
            *WRITE,
            parameters=("project", "project_vpc_id"),
        ),
    },
    "/v1/project/{project}/service/{service}": {
        "get": operation(
            "Get a service with its components on every route",
            obj({"service": ref("Service")}),
            parameters=SERVICE_PARAMETERS,
        ),
        "put": operation(
            "Change the plan (nodes follow) and merge a change into the user config",
            obj({"service": ref("Service")}),
            *WRITE_WITH_BODY,
            parameters=SERVICE_PARAMETERS,
            body=SERVICE_UPDATE_BODY,
        ),
        "delete": operation(
            "Terminate the service: its PrivateLink is torn down first, the service last",
            obj({"message": STRING}),
            *WRITE,
            parameters=SERVICE_PARAMETERS,
        ),
    },
    "/v1/project/{project}/kms/ca": {
        "get": operation(
            "The project's CA certificate (PEM), which signs its Kafka users' certificates",
            obj({"certificate": STRING}, required=["certificate"]),
        )
    },
    "/v1/project/{project}/service/{service}/user": {
        "post": operation(
            "Create a service user with a generated password (and, on Kafka, a certificate)",
            obj({"user": ref("ServiceUser")}),
            *WRITE_WITH_BODY,
            parameters=SERVICE_PARAMETERS,
            body=SERVICE_USER_CREATE_BODY,
        )
    },
    "/v1/project/{project}/service/{service}/user/{username}": {
        "delete": operation(
            "Delete a service user (not the primary one)",
            obj({"message": STRING}),
            400,
            *WRITE,
            parameters=("project", "service", "username"),
        ),
        "get": operation(
            "A service user; the password only for members who may change the service",
            obj({"user": ref("ServiceUser")}),
            parameters=("project", "service", "username"),
        ),
        "put": operation(
            "Reset a service user's password (generated unless new_password is given); "
            "answers the whole service, as the platform does",
            obj({"service": ref("Service")}),
            400,
            403,
            413,
            parameters=("project", "service", "username"),
            body=PASSWORD_RESET_BODY,
        ),
    },
    "/v1/project/{project}/service_types": {
        "get": operation(
            "The definitions of every service type, with each plan's price per cloud",
            _SERVICE_TYPES,
        )
    },
    "/v1/project/{project}/service-types/{service_type}": {
        "get": operation(
            "A service type's definition with its user config schema",
            ref("ServiceTypeDetail"),
            parameters=("project", "service_type"),
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


_DOCUMENT: dict[str, Any] = {
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
    "paths": {},
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
            "privatelink_connection_id": _path_parameter(
                "privatelink_connection_id", "plc1a2b3c4d5e6f7a8b"
            ),
            "project_vpc_id": {
                **_path_parameter("project_vpc_id", "3f1c2a7e-9b0d-4e5f-8a6b-1c2d3e4f5a6b"),
                "schema": UUID,
            },
        },
        "schemas": {},
    },
}


# Other apps describe their own endpoints (privatelink from its AppConfig.ready()), so the
# console publishes them without importing them.
_paths: dict[str, Any] = {}
_schemas: dict[str, Any] = {}


def register_endpoints(paths: dict[str, Any], schemas: dict[str, Any]) -> None:
    """Add an app's paths and the schemas they refer to (again: no change)."""
    _paths.update(paths)
    _schemas.update(schemas)


register_endpoints(PATHS, SCHEMAS)


def document() -> dict[str, Any]:
    """The whole document: the console's endpoints, then those other apps registered."""
    components = {**_DOCUMENT["components"], "schemas": _schemas}
    return {**_DOCUMENT, "paths": _paths, "components": components}


@require_GET
def openapi_document(request: HttpRequest) -> JsonResponse:
    """Public, like the platform's own: it describes the API, not anyone's data."""
    return JsonResponse(document())
