"""The PrivateLink endpoints' part of /v1/openapi.json, registered from PrivateLinkConfig.ready().

The states are the models' own: a PrivateLink's, and of a connection's only those the
platform's API knows (PrivateLinkConnection.API_STATES); the page shows the rest.
"""

from typing import Any

from console.api.schemas import (
    SERVICE_PARAMETERS,
    STRINGS,
    WRITE,
    WRITE_WITH_BODY,
    enum,
    nullable,
    obj,
    operation,
    ref,
)
from privatelink.api.parsers import PRINCIPALS_BODY
from privatelink.models import PrivateLink, PrivateLinkConnection

SCHEMAS: dict[str, Any] = {
    "PrivateLink": obj(
        {
            "aws_service_id": nullable({"type": "string"}),
            "aws_service_name": nullable({"type": "string"}),
            "principals": STRINGS,
            "state": enum(PrivateLink.State.values),
        }
    ),
    "PrivateLinkConnection": obj(
        {
            "dns_name": {"type": "string"},
            "privatelink_connection_id": {"type": "string"},
            "state": enum(PrivateLinkConnection.API_STATES),
            "vpc_endpoint_id": {"type": "string"},
        }
    ),
}


def _principals_write(summary: str) -> dict[str, Any]:
    """Create and update take the same body and answer alike."""
    return operation(
        summary,
        ref("PrivateLink"),
        *WRITE_WITH_BODY,
        parameters=SERVICE_PARAMETERS,
        body=PRINCIPALS_BODY,
    )


_AWS = "/v1/project/{project}/service/{service}/privatelink/aws"

PATHS: dict[str, Any] = {
    _AWS: {
        "get": operation(
            "Get the service's AWS PrivateLink", ref("PrivateLink"), parameters=SERVICE_PARAMETERS
        ),
        "post": _principals_write("Create the service's AWS PrivateLink"),
        "put": _principals_write("Replace the allowed principals"),
        "delete": operation(
            "Delete the service's AWS PrivateLink",
            ref("PrivateLink"),
            *WRITE,
            parameters=SERVICE_PARAMETERS,
        ),
    },
    f"{_AWS}/refresh": {
        "post": operation(
            "Re-read the connections from AWS now",
            obj({"message": {"type": "string"}}),
            *WRITE,
            parameters=SERVICE_PARAMETERS,
        )
    },
    f"{_AWS}/connections": {
        "get": operation(
            "List the connections of the service's AWS PrivateLink",
            obj({"connections": {"type": "array", "items": ref("PrivateLinkConnection")}}),
            parameters=SERVICE_PARAMETERS,
        )
    },
    "/v1/project/{project}/privatelink-availability": {
        "get": operation(
            "The clouds that offer PrivateLink, with their hourly price",
            obj(
                {
                    "privatelink_availability": {
                        "type": "array",
                        "items": obj(
                            {"cloud_name": {"type": "string"}, "price_usd": {"type": "string"}}
                        ),
                    }
                }
            ),
        )
    },
}
