"""PrivateLinks and their connections as the platform's API shapes them for `avn`."""

from typing import Any

from privatelink.models import PrivateLink, PrivateLinkConnection


def privatelink_json(link: PrivateLink) -> dict[str, Any]:
    # As on the platform, the AWS names are null until the endpoint service is available
    # and the link active: clients wait for them, and a name given earlier would be refused
    # by create-vpc-endpoint. While the link is deleting they stay known (the platform's
    # guide shows `vpce-svc-... deleting`), so the delete's reply names what goes.
    published = link.connectable or link.state == PrivateLink.State.DELETING
    aws = link.aws_details
    return {
        "aws_service_id": (aws.service_id or None) if published else None,
        "aws_service_name": (aws.service_name or None) if published else None,
        "principals": list(link.principals),
        "state": link.state,
    }


def connection_json(connection: PrivateLinkConnection) -> dict[str, Any]:
    return {
        "dns_name": connection.dns_name,
        "privatelink_connection_id": connection.privatelink_connection_id,
        "state": connection.state,
        "vpc_endpoint_id": connection.endpoint_id,
    }


def azure_privatelink_json(link: PrivateLink) -> dict[str, Any]:
    # As for AWS: the alias and id once a customer can use them, and while deleting.
    details = link.azure
    published = details.connectable or link.state == PrivateLink.State.DELETING
    return {
        "azure_service_alias": (details.service_alias or None) if published else None,
        "azure_service_id": (details.service_id or None) if published else None,
        "state": link.state,
        "user_subscription_ids": list(link.principals),
    }


def azure_connection_json(connection: PrivateLinkConnection) -> dict[str, Any]:
    return {
        "private_endpoint_id": connection.endpoint_id,
        "privatelink_connection_id": connection.privatelink_connection_id,
        "state": connection.state,
        # A string in the platform's types: empty until the user gives the address.
        "user_ip_address": connection.user_ip_address or "",
    }


def google_privatelink_json(link: PrivateLink) -> dict[str, Any]:
    # As for AWS and Azure: the attachment once a customer can connect to it, and while
    # deleting.
    details = link.google
    published = details.connectable or link.state == PrivateLink.State.DELETING
    return {
        "google_service_attachment": (details.service_attachment or None) if published else None,
        "state": link.state,
    }


def google_connection_json(connection: PrivateLinkConnection) -> dict[str, Any]:
    return {
        "privatelink_connection_id": connection.privatelink_connection_id,
        "psc_connection_id": connection.endpoint_id,
        "state": connection.state,
        # Empty until the user approves the endpoint with its address.
        "user_ip_address": connection.user_ip_address or "",
    }
