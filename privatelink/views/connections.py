"""The connections section of the PrivateLink page: polled while connections settle, and
the Refresh that asks the reconciler to look at the cloud again."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from console.errors import ActionError
from console.http import AuthenticatedHttpRequest
from privatelink import actions
from privatelink.views.azure_sections import (
    AZURE_TEMPLATE,
    azure_connections_context,
    is_azure,
)
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


@polled_fragment()
def connections(request: AuthenticatedHttpRequest, poll: Poll) -> HttpResponse:
    if is_azure(poll.service):
        context = azure_connections_context(poll.service, poll.membership, poll.privatelink)
        return fragment(request, AZURE_TEMPLATE, "connections", context)
    context = connections_context(poll.service, poll.membership, poll.privatelink)
    return fragment(request, TEMPLATE, "connections", context)


@login_required
@require_POST
def refresh(request: AuthenticatedHttpRequest, project: str, service: str) -> HttpResponse:
    svc, membership = service_for(request, project, service, write=True)
    privatelink = privatelink_of(svc)
    azure = is_azure(svc)
    if azure:
        context = azure_connections_context(svc, membership, privatelink)
    else:
        context = connections_context(svc, membership, privatelink)
    if privatelink is not None:
        try:
            actions.refresh_connections(privatelink, actor=request.user, request=request)
        except ActionError as exc:
            context["connections_error"] = exc.message
        else:
            context["refreshed"] = True
            # Poll until the worker has looked at AWS again.
            context["connections_settled"] = False
    if is_fragment_request(request):
        response = fragment(request, AZURE_TEMPLATE if azure else TEMPLATE, "connections", context)
        if context.get("refreshed"):
            cloud = "Azure" if azure else "AWS"
            announce(response, f"Looking at {cloud} again for connections.")
        return response
    return redirect(page_url(svc))
