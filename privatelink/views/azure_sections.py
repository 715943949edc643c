"""What each section of an Azure service's PrivateLink page shows: the template context of
its status, allowed subscriptions and connections, shared by the page and its fragments."""

from typing import Any

from console import catalog
from console.models import Membership, Service
from privatelink.forms import (
    CreateAzurePrivateLinkForm,
    EndpointAddressForm,
    SubscriptionForm,
)
from privatelink.hosts import connection_host
from privatelink.models import AzurePrivateLink, PrivateLink, PrivateLinkConnection
from privatelink.views.rendering import base_context
from privatelink.views.sections import cloud_connections_context, cloud_status_context

AZURE_TEMPLATE = "privatelink/azure.html"

State = PrivateLinkConnection.State
# What the person does next with a connection in each state, in one short line.
NEXT_STEP: dict[str, str] = {
    State.PENDING_USER_APPROVAL: "Approve to let it connect.",
    State.USER_APPROVED: "Give the endpoint's IP address: its privatelink host will resolve to it.",
    State.CONNECTED: "Give the endpoint's IP address: its privatelink host will resolve to it.",
    State.ACTIVE: "Active.",
}
ADDRESSABLE = (State.USER_APPROVED, State.CONNECTED, State.ACTIVE)


def azure_of(privatelink: PrivateLink | None) -> AzurePrivateLink | None:
    """The link's Azure details, or None (no link, or none recorded yet)."""
    if privatelink is None:
        return None
    try:
        return privatelink.azure
    except AzurePrivateLink.DoesNotExist:
        return None


def endpoint_command(azure: AzurePrivateLink, service: Service) -> str:
    """The `az` command that creates the customer's private endpoint to this service, asking
    for the approval the page then gives."""
    region = catalog.region_of(service.cloud)
    return (
        "az network private-endpoint create --name PE_NAME --resource-group RESOURCE_GROUP "
        "--vnet-name VNET_NAME --subnet SUBNET_NAME "
        f"--private-connection-resource-id {azure.service_id or 'SERVICE_ID'} "
        f"--connection-name {service.name} --manual-request true --location {region}"
    )


def azure_status_context(
    service: Service, membership: Membership, privatelink: PrivateLink | None
) -> dict[str, Any]:
    azure = azure_of(privatelink)
    context = cloud_status_context(service, membership, privatelink, azure)
    context["azure"] = azure
    if azure is not None and context["connectable"]:
        context["command"] = endpoint_command(azure, service)
    return context


def azure_create_context(
    service: Service, membership: Membership, form: CreateAzurePrivateLinkForm | None = None
) -> dict[str, Any]:
    context = azure_status_context(service, membership, None)
    context["create_form"] = form or CreateAzurePrivateLinkForm()
    return context


def subscriptions_context(
    service: Service,
    membership: Membership,
    privatelink: PrivateLink,
    form: SubscriptionForm | None = None,
    error: str = "",
) -> dict[str, Any]:
    context = base_context(service, membership)
    context.update(
        privatelink=privatelink,
        subscription_form=form
        or SubscriptionForm(initial={"digest": privatelink.principals_digest}),
        subscriptions_error=error,
    )
    return context


def azure_connection_rows(service: Service, privatelink: PrivateLink) -> list[dict[str, Any]]:
    return [
        {
            "connection": connection,
            "host": connection_host(service, connection.number)
            if connection.state in ADDRESSABLE
            else "",
            "next_step": NEXT_STEP.get(connection.state, ""),
            "approvable": connection.state == State.PENDING_USER_APPROVAL,
            "addressable": connection.state in ADDRESSABLE,
        }
        for connection in privatelink.connections.all()
    ]


def azure_connections_context(
    service: Service,
    membership: Membership,
    privatelink: PrivateLink | None,
    *,
    failed: str = "",
    address_form: EndpointAddressForm | None = None,
    error: str = "",
) -> dict[str, Any]:
    """The connections table; `failed` names the connection whose action was refused, with
    the address form as posted (its errors at the field) or the refusal's words."""
    rows = azure_connection_rows(service, privatelink) if privatelink else []
    return cloud_connections_context(
        service,
        membership,
        privatelink,
        rows,
        failed=failed,
        error=error,
        address_form=address_form,
    )
