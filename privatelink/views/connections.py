"""The connections section of the PrivateLink page: polled while connections settle, the
Refresh that asks the reconciler to look at the cloud again, and the approval of an Azure
or Google customer's endpoint (AWS customers' are accepted by their principal)."""

from collections.abc import Callable
from typing import Any, NamedTuple

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from console.errors import ActionError
from console.http import AuthenticatedHttpRequest
from console.models import Membership, Service
from privatelink import actions
from privatelink.models import PrivateLink
from privatelink.views import azure, google
from privatelink.views.azure_sections import AZURE_TEMPLATE, azure_connections_context
from privatelink.views.google_sections import GOOGLE_TEMPLATE, google_connections_context
from privatelink.views.providers import provider_of
from privatelink.views.rendering import (
    Poll,
    announce,
    fragment,
    is_fragment_request,
    polled_fragment,
    privatelink_of,
    service_for,
)
from privatelink.views.sections import TEMPLATE, connections_context, page_url


class Section(NamedTuple):
    """How a cloud's page draws its connections, and the cloud's name in what it says."""

    template: str
    context: Callable[[Service, Membership, PrivateLink | None], dict[str, Any]]
    cloud: str


SECTIONS = {
    "aws": Section(TEMPLATE, connections_context, "AWS"),
    "azure": Section(AZURE_TEMPLATE, azure_connections_context, "Azure"),
    "google": Section(GOOGLE_TEMPLATE, google_connections_context, "Google Cloud"),
}


@polled_fragment()
def connections(request: AuthenticatedHttpRequest, poll: Poll) -> HttpResponse:
    section = SECTIONS[provider_of(poll.service)]
    context = section.context(poll.service, poll.membership, poll.privatelink)
    return fragment(request, section.template, "connections", context)


@login_required
@require_POST
def refresh(request: AuthenticatedHttpRequest, project: str, service: str) -> HttpResponse:
    svc, membership = service_for(request, project, service, write=True)
    privatelink = privatelink_of(svc)
    section = SECTIONS[provider_of(svc)]
    context = section.context(svc, membership, privatelink)
    if privatelink is not None:
        try:
            actions.refresh_connections(privatelink, actor=request.user, request=request)
        except ActionError as exc:
            context["connections_error"] = exc.message
        else:
            context["refreshed"] = True
            # Poll until the worker has looked at the cloud again.
            context["connections_settled"] = False
    if is_fragment_request(request):
        response = fragment(request, section.template, "connections", context)
        if context.get("refreshed"):
            announce(response, f"Looking at {section.cloud} again for connections.")
        return response
    return redirect(page_url(svc))


@login_required
@require_POST
def approve(
    request: AuthenticatedHttpRequest, project: str, service: str, connection: str
) -> HttpResponse:
    """Approve an Azure or Google customer's endpoint, each as its cloud asks."""
    svc, membership = service_for(request, project, service, write=True)
    privatelink = privatelink_of(svc)
    provider = provider_of(svc)
    if privatelink is None or provider == "aws":
        return redirect(page_url(svc))
    cloud_approve = google.approve if provider == "google" else azure.approve
    return cloud_approve(request, svc, membership, privatelink, connection)
