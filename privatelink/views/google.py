"""The Google side of the PrivateLink page: creating the link (Private Service Connect
takes no allow-list then) and approving a customer's PSC endpoint with its IP address,
which puts that endpoint alone on the service attachment's accept list.

Every view goes through the one access check for writers; the audit events come from
`privatelink.google_actions`."""

from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django_htmx.http import HttpResponseClientRedirect

from console.errors import ActionError
from console.http import AuthenticatedHttpRequest
from console.models import Membership, Service
from privatelink import google_actions
from privatelink.forms import EndpointAddressForm
from privatelink.models import PrivateLink
from privatelink.views.connection_answers import connections_answer
from privatelink.views.google_sections import (
    GOOGLE_TEMPLATE,
    google_connections_context,
    google_status_context,
)
from privatelink.views.rendering import fragment, is_fragment_request
from privatelink.views.sections import page_url, say_if_only_queued


def page_context(
    service: Service, membership: Membership, privatelink: PrivateLink | None
) -> dict[str, Any]:
    """Everything the whole page shows."""
    context = google_status_context(service, membership, privatelink)
    if privatelink is not None:
        context.update(google_connections_context(service, membership, privatelink))
    return context


def create(request: AuthenticatedHttpRequest, svc: Service, membership: Membership) -> HttpResponse:
    """The create button's POST for a service in Google Cloud (page.create hands it over)."""
    try:
        created = google_actions.create_google_privatelink(svc, actor=request.user, request=request)
    except ActionError as exc:
        context = google_status_context(svc, membership, None)
        context["create_error"] = exc.message
        if is_fragment_request(request):
            return fragment(request, GOOGLE_TEMPLATE, "summary", context, status=exc.status)
        return render(request, GOOGLE_TEMPLATE, context, status=exc.status)
    say_if_only_queued(request, created)
    if is_fragment_request(request):
        return HttpResponseClientRedirect(page_url(svc))
    return redirect(page_url(svc))


def _connections_answer(
    request: AuthenticatedHttpRequest, svc: Service, membership: Membership, **answer: Any
) -> HttpResponse:
    return connections_answer(
        request,
        svc,
        membership,
        GOOGLE_TEMPLATE,
        google_connections_context,
        page_context,
        **answer,
    )


def approve(
    request: AuthenticatedHttpRequest,
    svc: Service,
    membership: Membership,
    privatelink: PrivateLink,
    connection: str,
) -> HttpResponse:
    """Approve a waiting PSC endpoint at the IP address posted (the approve view of
    `privatelink.views.connections` hands it over once the writer is checked)."""
    form = EndpointAddressForm(request.POST)
    if not form.is_valid():
        return _connections_answer(
            request, svc, membership, status=400, failed=connection, address_form=form
        )
    try:
        approved = google_actions.approve_connection(
            privatelink,
            connection,
            form.cleaned_data["address"],
            actor=request.user,
            request=request,
        )
    except ActionError as exc:
        at_field = exc.field == "user_ip_address"
        if at_field:
            form.add_error("address", exc.message)
        return _connections_answer(
            request,
            svc,
            membership,
            status=exc.status,
            failed=connection,
            address_form=form,
            error="" if at_field else exc.message,
        )
    return _connections_answer(
        request,
        svc,
        membership,
        done=f"Approved {approved.privatelink_connection_id} at {approved.user_ip_address}: "
        "Google accepts this endpoint alone.",
    )
