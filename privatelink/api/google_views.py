"""/v1/ endpoints of Google Private Service Connect: create, get, delete, refresh, and the
connections' list and approval with the endpoint's address. As for AWS and Azure, every
object comes through console.access and every change through the actions."""

from django.http import HttpRequest, JsonResponse

from console.access import get_service_for
from console.api.body import json_object
from console.api.endpoint import endpoint, handles
from console.http import AuthenticatedHttpRequest
from console.models import Service
from privatelink import actions, google_actions
from privatelink.api.links import link_in
from privatelink.api.parsers import GOOGLE_ADDRESS_WORDING, address_from, no_settings_from
from privatelink.api.serializers import google_connection_json, google_privatelink_json
from privatelink.models import PrivateLink, PrivateLinkConnection


def _google_link_of(service: Service) -> PrivateLink:
    return link_in(service, "google")


def google_get(request: HttpRequest, project: str, service: str) -> JsonResponse:
    found = get_service_for(request.user, project, service)
    return JsonResponse(google_privatelink_json(_google_link_of(found)))


def google_create(request: AuthenticatedHttpRequest, project: str, service: str) -> JsonResponse:
    found = get_service_for(request.user, project, service, write=True)
    no_settings_from(json_object(request, empty_allowed=True))
    link = google_actions.create_google_privatelink(found, actor=request.user, request=request).link
    return JsonResponse(google_privatelink_json(link))


def google_delete(request: AuthenticatedHttpRequest, project: str, service: str) -> JsonResponse:
    found = get_service_for(request.user, project, service, write=True)
    link = actions.delete_privatelink(
        _google_link_of(found), actor=request.user, request=request
    ).link
    return JsonResponse(google_privatelink_json(link))


privatelink_google = endpoint(GET=google_get, POST=google_create, DELETE=google_delete)


@handles("POST")
def google_refresh(request: AuthenticatedHttpRequest, project: str, service: str) -> JsonResponse:
    found = get_service_for(request.user, project, service, write=True)
    actions.refresh_connections(_google_link_of(found), actor=request.user, request=request)
    return JsonResponse({"message": "refreshed"})


@handles("GET")
def google_connections(request: HttpRequest, project: str, service: str) -> JsonResponse:
    link = _google_link_of(get_service_for(request.user, project, service))
    connections = link.connections.filter(state__in=PrivateLinkConnection.API_STATES)
    return JsonResponse({"connections": [google_connection_json(c) for c in connections]})


@handles("POST")
def google_connection_approve(
    request: AuthenticatedHttpRequest, project: str, service: str, connection: str
) -> JsonResponse:
    found = get_service_for(request.user, project, service, write=True)
    address = address_from(json_object(request), GOOGLE_ADDRESS_WORDING)
    approved = google_actions.approve_connection(
        _google_link_of(found), connection, address, actor=request.user, request=request
    )
    return JsonResponse(google_connection_json(approved))
