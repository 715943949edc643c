"""The PrivateLink page of a service: create, status, principals, connections, delete.

One template, privatelink/privatelink.html, whose partials answer HTMX requests.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from console import catalog
from console.errors import ActionError, Conflict, InvalidInput
from console.http import AuthenticatedHttpRequest
from console.models import Membership, Service
from privatelink import actions, guidance
from privatelink.forms import (
    CreatePrivateLinkForm,
    DeletePrivateLinkForm,
    PrincipalForm,
    PrincipalRowForm,
)
from privatelink.hosts import connection_host
from privatelink.models import PrivateLink, PrivateLinkConnection
from privatelink.principals import broad_principals
from privatelink.views.rendering import (
    Poll,
    announce,
    answers_unchanged_polls,
    base_context,
    fragment,
    fresh_privatelink,
    is_fragment_request,
    poll_for,
    polled_fragment,
    privatelink_of,
    service_for,
)

TEMPLATE = "privatelink/privatelink.html"
# The event an answer sends when what it did changes the Connections section too.
CONNECTIONS_CHANGED = "connections-changed"
QUEUED_NOTICE = (
    "Your change is saved and queued: the task queue did not answer, so it will be "
    "carried out by the next periodic sweep, within a minute or two of the queue's return."
)


def _say_if_only_queued(request: AuthenticatedHttpRequest, saved: actions.Saved) -> None:
    if saved.queued is False:
        messages.warning(request, QUEUED_NOTICE)


STALE_EDIT = (
    "The allowed principals were changed meanwhile, so your change was not made. "
    "The list below is the current one: make your change again if it is still needed."
)


def _status_settled(privatelink: PrivateLink | None) -> bool:
    # Until the AWS names can be shown (connectable), keep looking for them.
    return privatelink is None or (privatelink.connectable and privatelink.converged)


def _connection_rows(service: Service, privatelink: PrivateLink) -> list[dict[str, Any]]:
    return [
        {
            "connection": connection,
            "host": connection_host(service, connection.number)
            if connection.state == PrivateLinkConnection.State.ACTIVE
            else "",
        }
        for connection in privatelink.connections.all()
    ]


def _connections_settled(privatelink: PrivateLink | None, rows: list[dict[str, Any]]) -> bool:
    # With no connection yet the customer is expected to create one: keep looking.
    if privatelink is None:
        return True
    if privatelink.state != PrivateLink.State.ACTIVE or not privatelink.converged or not rows:
        return False
    return not any(row["connection"].state in PrivateLinkConnection.SETTLING for row in rows)


def _status_context(
    service: Service, membership: Membership, privatelink: PrivateLink | None
) -> dict[str, Any]:
    context = base_context(service, membership)
    context.update(
        privatelink=privatelink,
        # What the create form tells before anyone decides: offered here, and at what price.
        price_usd=catalog.privatelink_price(service.cloud),
        status_settled=_status_settled(privatelink),
        page_shape=page_shape(privatelink),
    )
    if privatelink is not None:
        context.update(guidance.before_connecting(privatelink, service))
    return context


def _principals_context(
    service: Service,
    membership: Membership,
    privatelink: PrivateLink,
    form: PrincipalForm | None = None,
    error: str = "",
) -> dict[str, Any]:
    context = base_context(service, membership)
    context.update(
        privatelink=privatelink,
        principal_form=form or PrincipalForm(initial={"digest": privatelink.principals_digest}),
        broad=broad_principals(privatelink.principals),
        principals_error=error,
    )
    return context


def _connections_context(
    service: Service, membership: Membership, privatelink: PrivateLink | None
) -> dict[str, Any]:
    rows = _connection_rows(service, privatelink) if privatelink else []
    context = base_context(service, membership)
    context.update(
        privatelink=privatelink,
        rows=rows,
        connections_settled=_connections_settled(privatelink, rows),
    )
    return context


def _page_url(service: Service) -> str:
    return reverse("privatelink", args=[service.project.name, service.name])


@login_required
@require_GET
def privatelink_page(request: AuthenticatedHttpRequest, project: str, service: str) -> HttpResponse:
    svc, membership = service_for(request, project, service)
    privatelink = privatelink_of(svc)
    context = _status_context(svc, membership, privatelink)
    if privatelink is not None:
        context.update(_principals_context(svc, membership, privatelink))
        context.update(_connections_context(svc, membership, privatelink))
    else:
        context.update(create_form=CreatePrivateLinkForm(), row_form=PrincipalRowForm())
    return render(request, TEMPLATE, context)


@login_required
@require_POST
def create(request: AuthenticatedHttpRequest, project: str, service: str) -> HttpResponse:
    svc, membership = service_for(request, project, service, write=True)
    form = CreatePrivateLinkForm(request.POST)
    if form.is_valid():
        try:
            created = actions.create_privatelink(
                svc, form.cleaned_data["principals"], actor=request.user, request=request
            )
        except ActionError as exc:
            form.add_error("principals" if exc.field == "principals" else None, exc.message)
        else:
            _say_if_only_queued(request, created)
            if is_fragment_request(request):
                return HttpResponseClientRedirect(_page_url(svc))
            return redirect(_page_url(svc))
    context = _status_context(svc, membership, None)
    context.update(create_form=form, row_form=PrincipalRowForm())
    if is_fragment_request(request):
        return fragment(request, TEMPLATE, "summary", context)
    return render(request, TEMPLATE, context, status=400)


@login_required
@require_POST
def add_row(request: AuthenticatedHttpRequest, project: str, service: str) -> HttpResponse:
    """The create form's "Add to list": check one principal and append it to the list,
    keeping everything typed so far; nothing is created yet."""
    svc, membership = service_for(request, project, service, write=True)
    text = request.POST.get("principals", "")
    row = PrincipalRowForm(request.POST)
    added = ""
    if row.is_valid():
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        added = row.cleaned_data["new_principal"]
        if added not in lines:
            lines.append(added)
        text = "\n".join(lines)
        row = PrincipalRowForm()
    context = _status_context(svc, membership, None)
    context.update(create_form=CreatePrivateLinkForm(initial={"principals": text}), row_form=row)
    if is_fragment_request(request):
        response = fragment(request, TEMPLATE, "summary", context)
        if added:
            announce(response, f"Added {added} to the list of allowed principals.")
        return response
    return render(request, TEMPLATE, context)


def page_shape(privatelink: PrivateLink | None) -> str:
    """Which sections the page was drawn with. A PrivateLink created or deleted elsewhere,
    or one being deleted, changes them: the summary's poll then asks for the page afresh."""
    if privatelink is None:
        return "none"
    deleting = privatelink.state == PrivateLink.State.DELETING
    return f"{privatelink.pk}-{'deleting' if deleting else 'live'}"


@answers_unchanged_polls
@login_required
@require_GET
def summary(request: AuthenticatedHttpRequest, project: str, service: str) -> HttpResponse:
    """The state badge and AWS names; polled for as long as the page is open."""
    poll = poll_for(request, project, service)
    svc, privatelink = poll.service, poll.privatelink
    shown = request.GET.get("shape")
    if shown and shown != page_shape(privatelink) and is_fragment_request(request):
        # Sections came or went (a teardown finished, a link was made through the API):
        # show the page afresh rather than one up-to-date section among stale ones.
        return HttpResponseClientRedirect(_page_url(svc))
    if (unchanged := poll.not_modified(request)) is not None:
        return unchanged
    context = _status_context(svc, poll.membership, privatelink)
    if privatelink is None:
        context.update(create_form=CreatePrivateLinkForm(), row_form=PrincipalRowForm())
    return poll.mark(fragment(request, TEMPLATE, "summary", context))


@polled_fragment
def principals(request: AuthenticatedHttpRequest, poll: Poll) -> HttpResponse:
    """The allowed principals, polled: an edit through the API or by a colleague shows."""
    if poll.privatelink is None:
        # The summary's poll redraws the page; until then the section stays as it was.
        return HttpResponse(status=204)
    context = _principals_context(poll.service, poll.membership, poll.privatelink)
    return fragment(request, TEMPLATE, "principals", context)


@polled_fragment
def connections(request: AuthenticatedHttpRequest, poll: Poll) -> HttpResponse:
    context = _connections_context(poll.service, poll.membership, poll.privatelink)
    return fragment(request, TEMPLATE, "connections", context)


@login_required
@require_POST
def refresh(request: AuthenticatedHttpRequest, project: str, service: str) -> HttpResponse:
    svc, membership = service_for(request, project, service, write=True)
    privatelink = privatelink_of(svc)
    context = _connections_context(svc, membership, privatelink)
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
        response = fragment(request, TEMPLATE, "connections", context)
        if context.get("refreshed"):
            announce(response, "Looking at AWS again for connections.")
        return response
    return redirect(_page_url(svc))


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
        if privatelink is None:
            return redirect(_page_url(svc))
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
    context = _principals_context(svc, membership, privatelink, form, error)
    context["confirm_removal"] = confirm_removal
    if not is_fragment_request(request):
        context.update(_status_context(svc, membership, privatelink))
        context.update(_connections_context(svc, membership, privatelink))
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
        return redirect(_page_url(svc))
    count = len(privatelink.principals)
    now = "1 principal is" if count == 1 else f"{count} principals are"
    response = _principals_answer(
        request, svc, membership, privatelink, done=f"{what}; {now} allowed."
    )
    # A removal may disconnect endpoints: the Connections section redraws at once and then
    # polls at the settling pace until the worker has carried the change out.
    trigger_client_event(response, CONNECTIONS_CHANGED)
    return response


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


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: AuthenticatedHttpRequest, project: str, service: str) -> HttpResponse:
    """A confirmation page: the person types the service name, then the link is deleted."""
    svc, membership = service_for(request, project, service, write=True)
    privatelink = privatelink_of(svc)
    if privatelink is None or privatelink.state == PrivateLink.State.DELETING:
        return redirect(_page_url(svc))
    form = DeletePrivateLinkForm(request.POST or None, service=svc)
    if request.method == "POST" and form.is_valid():
        try:
            deleted = actions.delete_privatelink(privatelink, actor=request.user, request=request)
        except ActionError as exc:
            form.add_error(None, exc.message)
        else:
            _say_if_only_queued(request, deleted)
            return redirect(_page_url(svc))
    context = base_context(svc, membership)
    context.update(
        privatelink=privatelink,
        form=form,
        rows=_connection_rows(svc, privatelink),
        enabled=[
            c.label for c in svc.type.privatelink_components if svc.privatelink_access()[c.name]
        ],
    )
    return render(
        request,
        "privatelink/delete.html",
        context,
        status=400 if request.method == "POST" else 200,
    )
