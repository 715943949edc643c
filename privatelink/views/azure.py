"""The Azure side of the PrivateLink page: creating the link with its allowed
subscriptions, adding or removing one subscription (a stale edit refused as the principals
editor refuses it), and approving a customer's private endpoint or giving its IP address.

Every view goes through the one access check for writers; the audit events come from
`privatelink.azure_actions`."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from console.errors import ActionError
from console.http import AuthenticatedHttpRequest
from console.models import Membership, Service
from privatelink import azure_actions
from privatelink.forms import CreateAzurePrivateLinkForm, EndpointAddressForm, SubscriptionForm
from privatelink.models import PrivateLink
from privatelink.views.azure_sections import (
    AZURE_TEMPLATE,
    azure_connections_context,
    azure_create_context,
    azure_status_context,
    subscriptions_context,
)
from privatelink.views.connection_answers import connections_answer
from privatelink.views.providers import is_azure
from privatelink.views.rendering import (
    announce,
    fragment,
    fresh_privatelink,
    is_fragment_request,
    privatelink_of,
    service_for,
)
from privatelink.views.sections import CONNECTIONS_CHANGED, page_url, say_if_only_queued

STALE_EDIT = (
    "The allowed subscriptions were changed meanwhile, so your change was not made. "
    "The list below is the current one: make your change again if it is still needed."
)


def page_context(
    service: Service, membership: Membership, privatelink: PrivateLink | None
) -> dict[str, Any]:
    """Everything the whole page shows."""
    if privatelink is None:
        return azure_create_context(service, membership)
    context = azure_status_context(service, membership, privatelink)
    context.update(subscriptions_context(service, membership, privatelink))
    context.update(azure_connections_context(service, membership, privatelink))
    return context


def _azure_write(
    request: AuthenticatedHttpRequest, project: str, service: str
) -> tuple[Service, Membership, PrivateLink | None]:
    """The access check for writers, then the service's link if it is an Azure one: these
    views never change an AWS link's principals or connections."""
    svc, membership = service_for(request, project, service, write=True)
    return svc, membership, privatelink_of(svc) if is_azure(svc) else None


def create(request: AuthenticatedHttpRequest, svc: Service, membership: Membership) -> HttpResponse:
    """The create form's POST for a service in Azure (page.create hands it over)."""
    form = CreateAzurePrivateLinkForm(request.POST)
    if form.is_valid():
        try:
            created = azure_actions.create_azure_privatelink(
                svc, form.cleaned_data["subscriptions"], actor=request.user, request=request
            )
        except ActionError as exc:
            form.add_error(
                "subscriptions" if exc.field == "user_subscription_ids" else None, exc.message
            )
        else:
            say_if_only_queued(request, created)
            if is_fragment_request(request):
                return HttpResponseClientRedirect(page_url(svc))
            return redirect(page_url(svc))
    context = azure_create_context(svc, membership, form)
    if is_fragment_request(request):
        return fragment(request, AZURE_TEMPLATE, "summary", context)
    return render(request, AZURE_TEMPLATE, context, status=400)


def _subscriptions_answer(
    request: AuthenticatedHttpRequest,
    svc: Service,
    membership: Membership,
    privatelink: PrivateLink,
    *,
    form: SubscriptionForm | None = None,
    error: str = "",
    status: int = 200,
    done: str = "",
) -> HttpResponse:
    """The subscriptions editor as `privatelink` has it: the fragment for HTMX (announcing
    `done`, and redrawing Connections, which a removal may end), else the page."""
    if not is_fragment_request(request):
        if done:
            return redirect(page_url(svc))
        context = page_context(svc, membership, privatelink)
        context.update(subscriptions_context(svc, membership, privatelink, form, error))
        return render(request, AZURE_TEMPLATE, context, status=status)
    context = subscriptions_context(svc, membership, privatelink, form, error)
    response = fragment(request, AZURE_TEMPLATE, "principals", context, status=status)
    if done:
        announce(response, done)
        trigger_client_event(response, CONNECTIONS_CHANGED)
    return response


def _edit_subscriptions(
    request: AuthenticatedHttpRequest, project: str, service: str, *, add: bool
) -> HttpResponse:
    """Add or remove one subscription, refusing an edit made on a stale copy of the list."""
    svc, membership, privatelink = _azure_write(request, project, service)
    if privatelink is None:
        return redirect(page_url(svc))
    form = SubscriptionForm(request.POST)
    if not form.is_valid():
        if add:
            return _subscriptions_answer(
                request, svc, membership, privatelink, form=form, status=400
            )
        reasons = " ".join(str(m) for errors in form.errors.values() for m in errors)
        return _subscriptions_answer(
            request,
            svc,
            membership,
            privatelink,
            error="That subscription cannot be removed: " + reasons,
            status=400,
        )
    subscription, digest = form.cleaned_data["subscription"], form.cleaned_data["digest"]
    try:
        saved = azure_actions.edit_subscriptions(
            privatelink,
            lambda current: {*current, subscription} if add else set(current) - {subscription},
            actor=request.user,
            request=request,
            expected_digest=digest,
        )
    except ActionError as exc:
        stale = isinstance(exc, azure_actions.StaleEdit)
        now = fresh_privatelink(svc) or privatelink
        typed = subscription if add else ""
        retry = SubscriptionForm(initial={"subscription": typed, "digest": now.principals_digest})
        if add and not stale and exc.field == "user_subscription_ids":
            # The list would break a rule (too many): said at the field.
            form.add_error("subscription", exc.message)
            return _subscriptions_answer(
                request, svc, membership, now, form=form, status=exc.status
            )
        error = STALE_EDIT if stale else exc.message
        return _subscriptions_answer(
            request, svc, membership, now, form=retry, error=error, status=exc.status
        )
    link = saved.link
    count = len(link.principals)
    what = f"Added {subscription}" if add else f"Removed {subscription}"
    now_allowed = "1 subscription is" if count == 1 else f"{count} subscriptions are"
    return _subscriptions_answer(
        request, svc, membership, link, done=f"{what}; {now_allowed} allowed."
    )


@login_required
@require_POST
def add_subscription(request: AuthenticatedHttpRequest, project: str, service: str) -> HttpResponse:
    return _edit_subscriptions(request, project, service, add=True)


@login_required
@require_POST
def remove_subscription(
    request: AuthenticatedHttpRequest, project: str, service: str
) -> HttpResponse:
    return _edit_subscriptions(request, project, service, add=False)


def _connections_answer(
    request: AuthenticatedHttpRequest, svc: Service, membership: Membership, **answer: Any
) -> HttpResponse:
    return connections_answer(
        request, svc, membership, AZURE_TEMPLATE, azure_connections_context, page_context, **answer
    )


def approve(
    request: AuthenticatedHttpRequest,
    svc: Service,
    membership: Membership,
    privatelink: PrivateLink,
    connection: str,
) -> HttpResponse:
    """Approve a waiting private endpoint (the approve view of
    `privatelink.views.connections` hands it over once the writer is checked)."""
    try:
        approved = azure_actions.approve_connection(
            privatelink, connection, actor=request.user, request=request
        )
    except ActionError as exc:
        return _connections_answer(
            request, svc, membership, status=exc.status, failed=connection, error=exc.message
        )
    return _connections_answer(
        request, svc, membership, done=f"Approved {approved.endpoint_id.rsplit('/', 1)[-1]}."
    )


@login_required
@require_POST
def set_address(
    request: AuthenticatedHttpRequest, project: str, service: str, connection: str
) -> HttpResponse:
    svc, membership, privatelink = _azure_write(request, project, service)
    if privatelink is None:
        return redirect(page_url(svc))
    form = EndpointAddressForm(request.POST)
    if not form.is_valid():
        return _connections_answer(
            request, svc, membership, status=400, failed=connection, address_form=form
        )
    try:
        changed = azure_actions.set_connection_address(
            privatelink,
            connection,
            form.cleaned_data["address"],
            actor=request.user,
            request=request,
        )
    except ActionError as exc:
        if exc.field == "user_ip_address":
            form.add_error("address", exc.message)
            return _connections_answer(
                request, svc, membership, status=exc.status, failed=connection, address_form=form
            )
        return _connections_answer(
            request,
            svc,
            membership,
            status=exc.status,
            failed=connection,
            address_form=form,
            error=exc.message,
        )
    return _connections_answer(
        request,
        svc,
        membership,
        done=f"{changed.user_ip_address} is the address of "
        f"{changed.endpoint_id.rsplit('/', 1)[-1]}; its host resolves to it once published.",
    )
