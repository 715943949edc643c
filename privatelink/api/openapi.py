"""The PrivateLink endpoints' part of /v1/openapi.json, registered from PrivateLinkConfig.ready().

The states are the models' own: a PrivateLink's, and of a connection's only those the
platform's API knows (PrivateLinkConnection.API_STATES); the page shows the rest.
"""

from typing import Any

from console.api import schemas
from privatelink.api.parsers import PRINCIPALS_BODY
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
}


def _principals_write(summary: str) -> dict[str, Any]:
    """Create and update take the same body and answer alike."""
    return schemas.operation(
        summary,
        schemas.ref("PrivateLink"),
        *schemas.WRITE_WITH_BODY,
        parameters=schemas.SERVICE_PARAMETERS,
        body=PRINCIPALS_BODY,
    )


_AWS = "/v1/project/{project}/service/{service}/privatelink/aws"

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
