"""PrivateLinks and their connections as the platform's API shapes them for `avn`."""

from typing import Any

from privatelink.models import PrivateLink, PrivateLinkConnection


def privatelink_json(link: PrivateLink) -> dict[str, Any]:
    # The AWS fields are null, not "", until the endpoint service exists: clients test them.
    return {
        "aws_service_id": link.aws_service_id or None,
        "aws_service_name": link.aws_service_name or None,
        "principals": list(link.principals),
        "state": link.state,
    }


def connection_json(connection: PrivateLinkConnection) -> dict[str, Any]:
    return {
        "dns_name": connection.dns_name,
        "privatelink_connection_id": connection.privatelink_connection_id,
        "state": connection.state,
        "vpc_endpoint_id": connection.vpc_endpoint_id,
    }
