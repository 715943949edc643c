"""The PrivateLink endpoints' part of /v1/openapi.json, registered from PrivateLinkConfig.ready().

The states are the models' own: a PrivateLink's, and of a connection's only those the
platform's API knows (PrivateLinkConnection.API_STATES); the page shows the rest.
"""

from typing import Any

from console.api import schemas
from privatelink.api.parsers import ADDRESS_BODY, PRINCIPALS_BODY, SUBSCRIPTIONS_BODY
from privatelink.models import PrivateLink, PrivateLinkConnection

SCHEMAS: dict[str, Any] = {
    "PrivateLink": schemas.obj(
        {
            "aws_service_id": schemas.nullable(schemas.STRING),
            "aws_service_name": schemas.nullable(schemas.STRING),
            "principals": schemas.STRINGS,
            "state": schemas.enum(PrivateLink.State.values),
        }
    ),
    "PrivateLinkConnection": schemas.obj(
        {
            "dns_name": schemas.STRING,
            "privatelink_connection_id": schemas.STRING,
            "state": schemas.enum(PrivateLinkConnection.API_STATES),
            "vpc_endpoint_id": schemas.STRING,
        }
    ),
    "AzurePrivateLink": schemas.obj(
        {
            "azure_service_alias": schemas.nullable(schemas.STRING),
            "azure_service_id": schemas.nullable(schemas.STRING),
            "state": schemas.enum(PrivateLink.State.values),
            "user_subscription_ids": schemas.STRINGS,
        }
    ),
    "AzurePrivateLinkConnection": schemas.obj(
        {
            "private_endpoint_id": schemas.STRING,
            "privatelink_connection_id": schemas.STRING,
            "state": schemas.enum(PrivateLinkConnection.API_STATES),
            "user_ip_address": schemas.STRING,
        }
    ),
    "GooglePrivateLink": schemas.obj(
        {
            "google_service_attachment": schemas.nullable(schemas.STRING),
            "state": schemas.enum(PrivateLink.State.values),
        }
    ),
    "GooglePrivateLinkConnection": schemas.obj(
        {
            "privatelink_connection_id": schemas.STRING,
            "psc_connection_id": schemas.STRING,
            "state": schemas.enum(PrivateLinkConnection.API_STATES),
            "user_ip_address": schemas.STRING,
        }
    ),
}

# A Google create takes no settings; the platform's clients send `{}`.
NO_SETTINGS_BODY = schemas.body({})


def _principals_write(summary: str) -> dict[str, Any]:
    """Create and update take the same body and answer alike."""
    return schemas.operation(
        summary,
        schemas.ref("PrivateLink"),
        *schemas.WRITE_WITH_BODY,
        parameters=schemas.SERVICE_PARAMETERS,
        body=PRINCIPALS_BODY,
    )


def _subscriptions_write(summary: str) -> dict[str, Any]:
    return schemas.operation(
        summary,
        schemas.ref("AzurePrivateLink"),
        *schemas.WRITE_WITH_BODY,
        parameters=schemas.SERVICE_PARAMETERS,
        body=SUBSCRIPTIONS_BODY,
    )


_AWS = "/v1/project/{project}/service/{service}/privatelink/aws"
_AZURE = "/v1/project/{project}/service/{service}/privatelink/azure"
_GOOGLE = "/v1/project/{project}/service/{service}/privatelink/google"
_CONNECTION_PARAMETERS = (*schemas.SERVICE_PARAMETERS, "privatelink_connection_id")

PATHS: dict[str, Any] = {
    _AWS: {
        "get": schemas.operation(
            "Get the service's AWS PrivateLink",
            schemas.ref("PrivateLink"),
            parameters=schemas.SERVICE_PARAMETERS,
        ),
        "post": _principals_write("Create the service's AWS PrivateLink"),
        "put": _principals_write("Replace the allowed principals"),
        "delete": schemas.operation(
            "Delete the service's AWS PrivateLink",
            schemas.ref("PrivateLink"),
            *schemas.WRITE,
            parameters=schemas.SERVICE_PARAMETERS,
        ),
    },
    f"{_AWS}/refresh": {
        "post": schemas.operation(
            "Re-read the connections from AWS now",
            schemas.obj({"message": schemas.STRING}),
            *schemas.WRITE,
            parameters=schemas.SERVICE_PARAMETERS,
        )
    },
    f"{_AWS}/connections": {
        "get": schemas.operation(
            "List the connections of the service's AWS PrivateLink",
            schemas.obj(
                {"connections": {"type": "array", "items": schemas.ref("PrivateLinkConnection")}}
            ),
            parameters=schemas.SERVICE_PARAMETERS,
        )
    },
    _AZURE: {
        "get": schemas.operation(
            "Get the service's Azure PrivateLink",
            schemas.ref("AzurePrivateLink"),
            parameters=schemas.SERVICE_PARAMETERS,
        ),
        "post": _subscriptions_write("Create the service's Azure PrivateLink"),
        "put": _subscriptions_write("Replace the allowed subscriptions"),
        "delete": schemas.operation(
            "Delete the service's Azure PrivateLink",
            schemas.ref("AzurePrivateLink"),
            *schemas.WRITE,
            parameters=schemas.SERVICE_PARAMETERS,
        ),
    },
    f"{_AZURE}/refresh": {
        "post": schemas.operation(
            "Look for new private endpoints in Azure now",
            schemas.obj({"message": schemas.STRING}),
            *schemas.WRITE,
            parameters=schemas.SERVICE_PARAMETERS,
        )
    },
    f"{_AZURE}/connections": {
        "get": schemas.operation(
            "List the connections of the service's Azure PrivateLink",
            schemas.obj(
                {
                    "connections": {
                        "type": "array",
                        "items": schemas.ref("AzurePrivateLinkConnection"),
                    }
                }
            ),
            parameters=schemas.SERVICE_PARAMETERS,
        )
    },
    f"{_AZURE}/connections/{{privatelink_connection_id}}": {
        "put": schemas.operation(
            "Set the private endpoint's IP address, which the connection's host resolves to",
            schemas.ref("AzurePrivateLinkConnection"),
            *schemas.WRITE_WITH_BODY,
            parameters=_CONNECTION_PARAMETERS,
            body=ADDRESS_BODY,
        )
    },
    f"{_AZURE}/connections/{{privatelink_connection_id}}/approve": {
        "post": schemas.operation(
            "Approve a customer's private endpoint",
            schemas.ref("AzurePrivateLinkConnection"),
            *schemas.WRITE,
            parameters=_CONNECTION_PARAMETERS,
        )
    },
    _GOOGLE: {
        "get": schemas.operation(
            "Get the service's Google PrivateLink",
            schemas.ref("GooglePrivateLink"),
            parameters=schemas.SERVICE_PARAMETERS,
        ),
        "post": schemas.operation(
            "Create the service's Google PrivateLink",
            schemas.ref("GooglePrivateLink"),
            *schemas.WRITE_WITH_BODY,
            parameters=schemas.SERVICE_PARAMETERS,
            body=NO_SETTINGS_BODY,
        ),
        "delete": schemas.operation(
            "Delete the service's Google PrivateLink",
            schemas.ref("GooglePrivateLink"),
            *schemas.WRITE,
            parameters=schemas.SERVICE_PARAMETERS,
        ),
    },
    f"{_GOOGLE}/refresh": {
        "post": schemas.operation(
            "Look for new PSC endpoints in Google Cloud now",
            schemas.obj({"message": schemas.STRING}),
            *schemas.WRITE,
            parameters=schemas.SERVICE_PARAMETERS,
        )
    },
    f"{_GOOGLE}/connections": {
        "get": schemas.operation(
            "List the connections of the service's Google PrivateLink",
            schemas.obj(
                {
                    "connections": {
                        "type": "array",
                        "items": schemas.ref("GooglePrivateLinkConnection"),
                    }
                }
            ),
            parameters=schemas.SERVICE_PARAMETERS,
        )
    },
    f"{_GOOGLE}/connections/{{privatelink_connection_id}}/approve": {
        "post": schemas.operation(
            "Approve a customer's PSC endpoint at its IP address, accepting its project",
            schemas.ref("GooglePrivateLinkConnection"),
            *schemas.WRITE_WITH_BODY,
            parameters=_CONNECTION_PARAMETERS,
            body=ADDRESS_BODY,
        )
    },
    "/v1/project/{project}/privatelink-availability": {
        "get": schemas.operation(
            "The clouds that offer PrivateLink, with their hourly price",
            schemas.obj(
                {
                    "privatelink_availability": {
                        "type": "array",
                        "items": schemas.obj(
                            {"cloud_name": schemas.STRING, "price_usd": schemas.STRING}
                        ),
                    }
                }
            ),
        )
    },
}
