"""The principals section of the PrivateLink page: add or remove one principal at a time,
refusing an edit made on a stale list, and the inline check of the principal being typed."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from console.errors import ActionError, Conflict, InvalidInput
from console.http import AuthenticatedHttpRequest
from console.models import Membership, Service
from privatelink import actions
from privatelink.forms import PrincipalForm
from privatelink.hosts import connection_host
from privatelink.models import PrivateLink
from privatelink.principals import broad_principals
from privatelink.views.azure_sections import AZURE_TEMPLATE, subscriptions_context
from privatelink.views.providers import is_azure, is_google
from privatelink.views.rendering import (
    Poll,
    announce,
    base_context,
    fragment,
    fresh_privatelink,
    is_fragment_request,
    polled_fragment,
    privatelink_of,
    service_for,
)
from privatelink.views.sections import (
    CONNECTIONS_CHANGED,
    TEMPLATE,
    connections_context,
    page_url,
    principals_context,
    status_context,
)

STALE_EDIT = (
    "The allowed principals were changed meanwhile, so your change was not made. "
    "The list below is the current one: make your change again if it is still needed."
)


@dataclass(frozen=True)
class PrincipalEdit:
    """What adding or removing one principal starts from."""

    service: Service
    membership: Membership
    privatelink: PrivateLink
    form: PrincipalForm


def principal_edit(
    view: Callable[[AuthenticatedHttpRequest, PrincipalEdit], HttpResponse],
) -> Callable[..., HttpResponse]:
    """A POST that changes one principal: the access check for writers, the PrivateLink
    (without one, back to the page, which offers to create it) and the form as posted."""

    @login_required
    @require_POST
    @wraps(view)
    def edit(request: AuthenticatedHttpRequest, project: str, service: str) -> HttpResponse:
        svc, membership = service_for(request, project, service, write=True)
        privatelink = privatelink_of(svc)
        if privatelink is None or is_azure(svc) or is_google(svc):
            # No link: the page offers to create one. An Azure link's list holds
            # subscriptions, which the page edits through views of its own; a Google
            # link's, projects, which only an approval adds.
            return redirect(page_url(svc))
        return view(
            request, PrincipalEdit(svc, membership, privatelink, PrincipalForm(request.POST))
        )

    return edit


def _principals_answer(
    request: AuthenticatedHttpRequest,
    svc: Service,
    membership: Membership,
    privatelink: PrivateLink,
    *,
    form: PrincipalForm | None = None,
    error: str = "",
    confirm_removal: dict[str, Any] | None = None,
    status: int = 200,
    done: str = "",
) -> HttpResponse:
    """The principals editor with the list as `privatelink` has it: the fragment for HTMX
    (announcing `done`), else the whole page."""
    context = principals_context(svc, membership, privatelink, form, error)
    context["confirm_removal"] = confirm_removal
    if not is_fragment_request(request):
        context.update(status_context(svc, membership, privatelink))
        context.update(connections_context(svc, membership, privatelink))
        return render(request, TEMPLATE, context, status=status)
    response = fragment(request, TEMPLATE, "principals", context, status=status)
    return announce(response, done) if done else response


def _principal_changed(
    request: AuthenticatedHttpRequest,
    svc: Service,
    membership: Membership,
    privatelink: PrivateLink,
    what: str,
) -> HttpResponse:
    if not is_fragment_request(request):
        return redirect(page_url(svc))
    count = len(privatelink.principals)
    now = "1 principal is" if count == 1 else f"{count} principals are"
    response = _principals_answer(
        request, svc, membership, privatelink, done=f"{what}; {now} allowed."
    )
    # A removal may disconnect endpoints: the Connections section redraws at once and then
    # polls at the settling pace until the worker has carried the change out.
    trigger_client_event(response, CONNECTIONS_CHANGED)
    return response


@polled_fragment()
def principals(request: AuthenticatedHttpRequest, poll: Poll) -> HttpResponse:
    """The allowed principals, polled: an edit through the API or by a colleague shows."""
    if poll.privatelink is None or is_google(poll.service):
        # The summary's poll redraws the page; until then the section stays as it was.
        # A Google page has no such section.
        return HttpResponse(status=204)
    if is_azure(poll.service):
        # An Azure link's allow-list is its subscriptions, in the same field.
        context = subscriptions_context(poll.service, poll.membership, poll.privatelink)
        return fragment(request, AZURE_TEMPLATE, "principals", context)
    context = principals_context(poll.service, poll.membership, poll.privatelink)
    return fragment(request, TEMPLATE, "principals", context)


def _principal_refused(
    request: AuthenticatedHttpRequest,
    svc: Service,
    membership: Membership,
    privatelink: PrivateLink,
    refusal: ActionError,
    typed: str = "",
) -> HttpResponse:
    """The editor after the action refused: the reason, against the list as it is now,
    keeping what was typed."""
    current = fresh_privatelink(svc) or privatelink
    stale = isinstance(refusal, Conflict) and refusal.field == "principals"
    return _principals_answer(
        request,
        svc,
        membership,
        current,
        form=PrincipalForm(initial={"principal": typed, "digest": current.principals_digest}),
        error=STALE_EDIT if stale else refusal.message,
        status=refusal.status,
    )


@principal_edit
def add_principal(request: AuthenticatedHttpRequest, edit: PrincipalEdit) -> HttpResponse:
    """Add one principal; the answer is the editor with the list as it now is."""
    svc, membership, privatelink, form = edit.service, edit.membership, edit.privatelink, edit.form
    if not form.is_valid():
        return _principals_answer(request, svc, membership, privatelink, form=form, status=400)
    principal = form.cleaned_data["principal"]
    try:
        saved = actions.add_principal(
            privatelink,
            principal,
            actor=request.user,
            request=request,
            expected_digest=form.cleaned_data["digest"],
        )
    except InvalidInput as exc:
        # The action speaks of the list ("principals"); here the one input is the principal.
        form.add_error("principal", exc.message)
        current = fresh_privatelink(svc) or privatelink
        return _principals_answer(request, svc, membership, current, form=form, status=exc.status)
    except ActionError as exc:
        return _principal_refused(request, svc, membership, privatelink, exc, typed=principal)
    return _principal_changed(request, svc, membership, saved.link, f"Added {principal}")


@principal_edit
def remove_principal(request: AuthenticatedHttpRequest, edit: PrincipalEdit) -> HttpResponse:
    """Remove one principal, asking first when that would disconnect live endpoints."""
    svc, membership, privatelink, form = edit.service, edit.membership, edit.privatelink, edit.form
    if not form.is_valid():
        reasons = " ".join(str(message) for errors in form.errors.values() for message in errors)
        error = "That principal cannot be removed: " + reasons
        return _principals_answer(request, svc, membership, privatelink, error=error, status=400)
    principal, digest = form.cleaned_data["principal"], form.cleaned_data["digest"]
    try:
        saved = actions.remove_principal(
            privatelink,
            principal,
            actor=request.user,
            request=request,
            expected_digest=digest,
            # The endpoints the person saw and agreed to disconnect, if asked.
            confirmed_disconnects=set(request.POST.getlist("disconnect")),
        )
    except actions.WouldDisconnect as exc:
        # Nothing changed: name what would be disconnected and ask to confirm.
        confirmation = _disconnect_confirmation(svc, digest, exc)
        return _principals_answer(
            request, svc, membership, privatelink, confirm_removal=confirmation
        )
    except ActionError as exc:
        return _principal_refused(request, svc, membership, privatelink, exc)
    return _principal_changed(request, svc, membership, saved.link, f"Removed {principal}")


def _disconnect_confirmation(
    service: Service, digest: str, refused: actions.WouldDisconnect
) -> dict[str, Any]:
    return {
        "principal": refused.principal,
        "digest": digest,
        "rows": [
            {"connection": c, "host": connection_host(service, c.number)}
            for c in refused.connections
        ],
    }


@login_required
@require_POST
def check_principal(request: AuthenticatedHttpRequest, project: str, service: str) -> HttpResponse:
    """Inline validation of the principal being typed, with the action's own validator."""
    svc, membership = service_for(request, project, service, write=True)
    form = PrincipalForm({"principal": request.POST.get("principal", ""), "digest": "-"})
    form.is_valid()
    principal = form.cleaned_data.get("principal", "")
    context = base_context(svc, membership)
    context.update(principal_form=form, broad=broad_principals([principal] if principal else []))
    return fragment(request, TEMPLATE, "principal-check", context)
