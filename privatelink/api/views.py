"""/v1/ endpoints of AWS PrivateLink: create, get, update, delete, refresh, connections, and
which clouds offer PrivateLink. Every object comes through console.access; every change
goes through privatelink.actions."""

from django.http import Http404, HttpRequest, JsonResponse

from console import catalog
from console.access import get_project_for, get_service_for
from console.api.body import json_object
from console.api.endpoint import endpoint, handles
from console.http import AuthenticatedHttpRequest
from console.models import Service
from privatelink import actions
from privatelink.api.parsers import principals_from
from privatelink.api.serializers import connection_json, privatelink_json
from privatelink.models import PrivateLink, PrivateLinkConnection


def _privatelink_of(service: Service) -> PrivateLink:
    link = None
    if catalog.get_cloud(service.cloud).provider == "aws":
        link = PrivateLink.objects.filter(service=service).select_related("service", "aws").first()
    if link is None:
        raise Http404(f"Service {service.name} has no AWS PrivateLink.")
    return link


def privatelink_get(request: HttpRequest, project: str, service: str) -> JsonResponse:
    found = get_service_for(request.user, project, service)
    return JsonResponse(privatelink_json(_privatelink_of(found)))


def privatelink_create(
    request: AuthenticatedHttpRequest, project: str, service: str
) -> JsonResponse:
    found = get_service_for(request.user, project, service, write=True)
    principals = principals_from(json_object(request))
    link = actions.create_privatelink(found, principals, actor=request.user, request=request).link
    return JsonResponse(privatelink_json(link))


def privatelink_update(
    request: AuthenticatedHttpRequest, project: str, service: str
) -> JsonResponse:
    found = get_service_for(request.user, project, service, write=True)
    principals = principals_from(json_object(request))
    link = actions.replace_principals(
        _privatelink_of(found), principals, actor=request.user, request=request
    ).link
    return JsonResponse(privatelink_json(link))


def privatelink_delete(
    request: AuthenticatedHttpRequest, project: str, service: str
) -> JsonResponse:
    found = get_service_for(request.user, project, service, write=True)
    link = actions.delete_privatelink(
        _privatelink_of(found), actor=request.user, request=request
    ).link
    return JsonResponse(privatelink_json(link))


privatelink_aws = endpoint(
    GET=privatelink_get, POST=privatelink_create, PUT=privatelink_update, DELETE=privatelink_delete
)


@handles("POST")
def privatelink_refresh(
    request: AuthenticatedHttpRequest, project: str, service: str
) -> JsonResponse:
    found = get_service_for(request.user, project, service, write=True)
    actions.refresh_connections(_privatelink_of(found), actor=request.user, request=request)
    return JsonResponse({"message": "refreshed"})


@handles("GET")
def privatelink_connections(request: HttpRequest, project: str, service: str) -> JsonResponse:
    link = _privatelink_of(get_service_for(request.user, project, service))
    # Only the states of the platform's enum: avn users see what the platform shows; the
    # page keeps showing rejected endpoints with their reason.
    connections = link.connections.filter(state__in=PrivateLinkConnection.API_STATES)
    return JsonResponse({"connections": [connection_json(c) for c in connections]})


@handles("GET")
def privatelink_availability(request: HttpRequest, project: str) -> JsonResponse:
    get_project_for(request.user, project)
    # The catalog's prices, as the PrivateLink create form shows them.
    offered = [
        {"cloud_name": cloud.name, "price_usd": cloud.privatelink_price_usd}
        for cloud in catalog.CLOUD_CATALOG.values()
        if cloud.privatelink_price_usd is not None
    ]
    return JsonResponse({"privatelink_availability": offered})
