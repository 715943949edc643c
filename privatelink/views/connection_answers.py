"""The answer to an action on one connection of an Azure or Google link (approve, give an
address): the connections section redrawn for HTMX, saying what was done or showing the
refusal at its row; without HTMX, back to the page, or the page with the refusal."""

from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render

from console.http import AuthenticatedHttpRequest
from console.models import Membership, Service
from privatelink.models import PrivateLink
from privatelink.views.rendering import announce, fragment, fresh_privatelink, is_fragment_request
from privatelink.views.sections import page_url

SectionContext = Callable[..., dict[str, Any]]
PageContext = Callable[[Service, Membership, PrivateLink | None], dict[str, Any]]


def connections_answer(
    request: AuthenticatedHttpRequest,
    svc: Service,
    membership: Membership,
    template: str,
    section: SectionContext,
    page: PageContext,
    *,
    status: int = 200,
    done: str = "",
    **failure: Any,
) -> HttpResponse:
    """`section(svc, membership, privatelink, **failure)` is the connections' context,
    `page` the whole page's, both of the link as it is now."""
    privatelink = fresh_privatelink(svc)
    if not is_fragment_request(request):
        if status < 400:
            return redirect(page_url(svc))
        context = page(svc, membership, privatelink)
        context.update(section(svc, membership, privatelink, **failure))
        return render(request, template, context, status=status)
    context = section(svc, membership, privatelink, **failure)
    response = fragment(request, template, "connections", context, status=status)
    return announce(response, done) if done else response
