"""/v1/ endpoints of Azure Private Link: create, get, update, delete, refresh, and the
connections' list, approval and endpoint address. As for AWS, every object comes through
console.access and every change through the actions."""

from django.http import HttpRequest, JsonResponse

from console.access import get_service_for
from console.api.body import json_object
from console.api.endpoint import endpoint, handles
from console.http import AuthenticatedHttpRequest
from privatelink import azure_actions
from privatelink.api import links
from privatelink.api.parsers import address_from, subscriptions_from
from privatelink.api.serializers import azure_connection_json, azure_privatelink_json


def azure_get(request: HttpRequest, project: str, service: str) -> JsonResponse:
    return links.shown(request, project, service, "azure", azure_privatelink_json)


def azure_create(request: AuthenticatedHttpRequest, project: str, service: str) -> JsonResponse:
    found = get_service_for(request.user, project, service, write=True)
    subscriptions = subscriptions_from(json_object(request))
    link = azure_actions.create_azure_privatelink(
        found, subscriptions, actor=request.user, request=request
    ).link
    return JsonResponse(azure_privatelink_json(link))


def azure_update(request: AuthenticatedHttpRequest, project: str, service: str) -> JsonResponse:
    found = get_service_for(request.user, project, service, write=True)
    subscriptions = subscriptions_from(json_object(request))
    link = azure_actions.replace_subscriptions(
        links.link_in(found, "azure"), subscriptions, actor=request.user, request=request
    ).link
    return JsonResponse(azure_privatelink_json(link))


def azure_delete(request: AuthenticatedHttpRequest, project: str, service: str) -> JsonResponse:
    return links.deleted(request, project, service, "azure", azure_privatelink_json)


privatelink_azure = endpoint(
    GET=azure_get, POST=azure_create, PUT=azure_update, DELETE=azure_delete
)


@handles("POST")
def azure_refresh(request: AuthenticatedHttpRequest, project: str, service: str) -> JsonResponse:
    return links.refreshed(request, project, service, "azure")


@handles("GET")
def azure_connections(request: HttpRequest, project: str, service: str) -> JsonResponse:
    return links.connections_listed(request, project, service, "azure", azure_connection_json)


@handles("POST")
def azure_connection_approve(
    request: AuthenticatedHttpRequest, project: str, service: str, connection: str
) -> JsonResponse:
    found = get_service_for(request.user, project, service, write=True)
    approved = azure_actions.approve_connection(
        links.link_in(found, "azure"), connection, actor=request.user, request=request
    )
    return JsonResponse(azure_connection_json(approved))


@handles("PUT")
def azure_connection_update(
    request: AuthenticatedHttpRequest, project: str, service: str, connection: str
) -> JsonResponse:
    found = get_service_for(request.user, project, service, write=True)
    address = address_from(json_object(request))
    updated = azure_actions.set_connection_address(
        links.link_in(found, "azure"), connection, address, actor=request.user, request=request
    )
    return JsonResponse(azure_connection_json(updated))
