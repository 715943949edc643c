"""/v1/ endpoints of Google Private Service Connect: create, get, delete, refresh, and the
connections' list and approval with the endpoint's address. As for AWS and Azure, every
object comes through console.access and every change through the actions."""

from django.http import HttpRequest, JsonResponse

from console.access import get_service_for
from console.api.body import json_object
from console.api.endpoint import endpoint, handles
from console.http import AuthenticatedHttpRequest
from privatelink import google_actions
from privatelink.api import links
from privatelink.api.parsers import GOOGLE_ADDRESS_WORDING, address_from, no_settings_from
from privatelink.api.serializers import google_connection_json, google_privatelink_json


def google_get(request: HttpRequest, project: str, service: str) -> JsonResponse:
    return links.shown(request, project, service, "google", google_privatelink_json)


def google_create(request: AuthenticatedHttpRequest, project: str, service: str) -> JsonResponse:
    found = get_service_for(request.user, project, service, write=True)
    no_settings_from(json_object(request, empty_allowed=True))
    link = google_actions.create_google_privatelink(found, actor=request.user, request=request).link
    return JsonResponse(google_privatelink_json(link))


def google_delete(request: AuthenticatedHttpRequest, project: str, service: str) -> JsonResponse:
    return links.deleted(request, project, service, "google", google_privatelink_json)


privatelink_google = endpoint(GET=google_get, POST=google_create, DELETE=google_delete)


@handles("POST")
def google_refresh(request: AuthenticatedHttpRequest, project: str, service: str) -> JsonResponse:
    return links.refreshed(request, project, service, "google")


@handles("GET")
def google_connections(request: HttpRequest, project: str, service: str) -> JsonResponse:
    return links.connections_listed(request, project, service, "google", google_connection_json)


@handles("POST")
def google_connection_approve(
    request: AuthenticatedHttpRequest, project: str, service: str, connection: str
) -> JsonResponse:
    found = get_service_for(request.user, project, service, write=True)
    address = address_from(json_object(request), GOOGLE_ADDRESS_WORDING)
    approved = google_actions.approve_connection(
        links.link_in(found, "google"), connection, address, actor=request.user, request=request
    )
    return JsonResponse(google_connection_json(approved))
