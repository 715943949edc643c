"""What the API paths of a cloud with its own details row (Azure, Google) do alike: find
the PrivateLink they name, the service's when the service runs in that cloud (404
otherwise, as for a service without one), and answer a get, a delete, a refresh and the
connections' list in that cloud's shapes."""

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, JsonResponse

from console import catalog
from console.access import get_service_for
from console.http import AuthenticatedHttpRequest
from console.models import Service
from privatelink import actions
from privatelink.models import PrivateLink, PrivateLinkConnection

# How the 404 names each cloud's PrivateLink.
_NAMES = {"azure": "Azure", "google": "Google"}

type LinkJson = Callable[[PrivateLink], dict[str, Any]]
type ConnectionJson = Callable[[PrivateLinkConnection], dict[str, Any]]


def link_in(service: Service, provider: str) -> PrivateLink:
    """The service's link with its cloud's details loaded (`link.azure`, `link.google`)."""
    link = None
    if catalog.get_cloud(service.cloud).provider == provider:
        link = (
            PrivateLink.objects.filter(service=service).select_related("service", provider).first()
        )
    if link is None:
        raise Http404(f"Service {service.name} has no {_NAMES[provider]} PrivateLink.")
    return link


def shown(
    request: HttpRequest, project: str, service: str, provider: str, as_json: LinkJson
) -> JsonResponse:
    """The service's link of `provider`, to anyone who may see the service."""
    found = get_service_for(request.user, project, service)
    return JsonResponse(as_json(link_in(found, provider)))


def deleted(
    request: AuthenticatedHttpRequest, project: str, service: str, provider: str, as_json: LinkJson
) -> JsonResponse:
    """The link marked for deletion, by a writer of the service."""
    found = get_service_for(request.user, project, service, write=True)
    link = actions.delete_privatelink(
        link_in(found, provider), actor=request.user, request=request
    ).link
    return JsonResponse(as_json(link))


def refreshed(
    request: AuthenticatedHttpRequest, project: str, service: str, provider: str
) -> JsonResponse:
    """The link's connections asked to be read again from the cloud, by a writer."""
    found = get_service_for(request.user, project, service, write=True)
    actions.refresh_connections(link_in(found, provider), actor=request.user, request=request)
    return JsonResponse({"message": "refreshed"})


def connections_listed(
    request: HttpRequest, project: str, service: str, provider: str, as_json: ConnectionJson
) -> JsonResponse:
    """The link's connections the API shows, to anyone who may see the service."""
    link = link_in(get_service_for(request.user, project, service), provider)
    connections = link.connections.filter(state__in=PrivateLinkConnection.API_STATES)
    return JsonResponse({"connections": [as_json(c) for c in connections]})
