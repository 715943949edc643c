"""The PrivateLink page of a service: the whole page, the create form, the polled status
summary and the delete confirmation.

One template, privatelink/privatelink.html, whose partials answer HTMX requests; the
principals and connections sections answer from modules of their own.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from console.errors import ActionError
from console.http import AuthenticatedHttpRequest
from privatelink import actions
from privatelink.forms import CreatePrivateLinkForm, DeletePrivateLinkForm, PrincipalRowForm
from privatelink.models import PrivateLink
from privatelink.views import azure, google
from privatelink.views.azure_sections import AZURE_TEMPLATE, azure_of
from privatelink.views.google_sections import GOOGLE_TEMPLATE, google_of
from privatelink.views.providers import is_azure, is_google
from privatelink.views.rendering import (
    announce,
    answers_unchanged_polls,
    base_context,
    fragment,
    is_fragment_request,
    poll_for,
    privatelink_of,
    service_for,
)
from privatelink.views.sections import (
    TEMPLATE,
    connection_rows,
    connections_context,
    page_shape,
    page_url,
    principals_context,
    say_if_only_queued,
    status_context,
)


@login_required
@require_GET
def privatelink_page(request: AuthenticatedHttpRequest, project: str, service: str) -> HttpResponse:
    svc, membership = service_for(request, project, service)
    privatelink = privatelink_of(svc)
    if is_azure(svc):
        return render(request, AZURE_TEMPLATE, azure.page_context(svc, membership, privatelink))
    if is_google(svc):
        return render(request, GOOGLE_TEMPLATE, google.page_context(svc, membership, privatelink))
    context = status_context(svc, membership, privatelink)
    if privatelink is not None:
        context.update(principals_context(svc, membership, privatelink))
        context.update(connections_context(svc, membership, privatelink))
    else:
        context.update(create_form=CreatePrivateLinkForm(), row_form=PrincipalRowForm())
    return render(request, TEMPLATE, context)


@login_required
@require_POST
def create(request: AuthenticatedHttpRequest, project: str, service: str) -> HttpResponse:
    svc, membership = service_for(request, project, service, write=True)
    if is_azure(svc):
        return azure.create(request, svc, membership)
    if is_google(svc):
        return google.create(request, svc, membership)
    form = CreatePrivateLinkForm(request.POST)
    if form.is_valid():
        try:
            created = actions.create_privatelink(
                svc, form.cleaned_data["principals"], actor=request.user, request=request
            )
        except ActionError as exc:
            form.add_error("principals" if exc.field == "principals" else None, exc.message)
        else:
            say_if_only_queued(request, created)
            if is_fragment_request(request):
                return HttpResponseClientRedirect(page_url(svc))
            return redirect(page_url(svc))
    context = status_context(svc, membership, None)
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
    context = status_context(svc, membership, None)
    context.update(create_form=CreatePrivateLinkForm(initial={"principals": text}), row_form=row)
    if is_fragment_request(request):
        response = fragment(request, TEMPLATE, "summary", context)
        if added:
            announce(response, f"Added {added} to the list of allowed principals.")
        return response
    return render(request, TEMPLATE, context)


@answers_unchanged_polls("shape")
@login_required
@require_GET
def summary(request: AuthenticatedHttpRequest, project: str, service: str) -> HttpResponse:
    """The state badge and what customers connect to; polled for as long as the page is open."""
    poll = poll_for(request, project, service)
    svc, privatelink = poll.service, poll.privatelink
    shown = request.GET.get("shape")
    if shown and shown != page_shape(privatelink) and is_fragment_request(request):
        # Sections came or went (a teardown finished, a link was made through the API):
        # show the page afresh rather than one up-to-date section among stale ones.
        return HttpResponseClientRedirect(page_url(svc))
    if (answer := poll.not_modified(request) or poll.shared_answer(request)) is not None:
        return answer
    if is_azure(svc):
        context = azure.page_context(svc, poll.membership, privatelink)
        return poll.mark(request, fragment(request, AZURE_TEMPLATE, "summary", context))
    if is_google(svc):
        context = google.page_context(svc, poll.membership, privatelink)
        return poll.mark(request, fragment(request, GOOGLE_TEMPLATE, "summary", context))
    context = status_context(svc, poll.membership, privatelink)
    if privatelink is None:
        context.update(create_form=CreatePrivateLinkForm(), row_form=PrincipalRowForm())
    return poll.mark(request, fragment(request, TEMPLATE, "summary", context))


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: AuthenticatedHttpRequest, project: str, service: str) -> HttpResponse:
    """A confirmation page: the person types the service name, then the link is deleted."""
    svc, membership = service_for(request, project, service, write=True)
    privatelink = privatelink_of(svc)
    if privatelink is None or privatelink.state == PrivateLink.State.DELETING:
        return redirect(page_url(svc))
    form = DeletePrivateLinkForm(request.POST or None, service=svc)
    if request.method == "POST" and form.is_valid():
        try:
            deleted = actions.delete_privatelink(privatelink, actor=request.user, request=request)
        except ActionError as exc:
            form.add_error(None, exc.message)
        else:
            say_if_only_queued(request, deleted)
            return redirect(page_url(svc))
    context = base_context(svc, membership)
    context.update(
        privatelink=privatelink,
        form=form,
        rows=connection_rows(svc, privatelink),
        # What an Azure or Google link removes is said in its cloud's words.
        azure=azure_of(privatelink) if is_azure(svc) else None,
        google=google_of(privatelink) if is_google(svc) else None,
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
