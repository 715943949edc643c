"""How the PrivateLink pages answer: whole page, or one fragment for HTMX, and 304 for a
poll that finds nothing new. Polls never stop (`console.polling` sets their pace)."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django_htmx.http import trigger_client_event

from console import answer_marks as marks
from console import freshness
from console.access import get_service_and_membership_for
from console.http import AuthenticatedHttpRequest, HtmxHttpRequest
from console.models import Membership, Service
from privatelink.models import PrivateLink


def service_for(
    request: AuthenticatedHttpRequest, project: str, service: str, write: bool = False
) -> tuple[Service, Membership]:
    """The service (with its PrivateLink, see `privatelink_of`) and the user's membership,
    in one query, through the one access check (404 for outsiders, 403 for read-only
    members on writes)."""
    return get_service_and_membership_for(
        request.user, project, service, write, Service.objects.select_related("privatelink__aws")
    )


def base_context(service: Service, membership: Membership) -> dict[str, Any]:
    """What every PrivateLink page, panel and fragment names beside its own part."""
    return {"service": service, "project": service.project, "membership": membership}


def privatelink_of(service: Service) -> PrivateLink | None:
    """The service's PrivateLink as the access query loaded it (no query), or None."""
    try:
        return service.privatelink
    except PrivateLink.DoesNotExist:
        return None


def fresh_privatelink(service: Service) -> PrivateLink | None:
    """The PrivateLink as it is now, after an action that may have changed it."""
    return PrivateLink.objects.filter(service=service).select_related("aws").first()


@dataclass(frozen=True)
class Poll:
    """What a polled fragment reads through the access check, and its ETag."""

    service: Service
    membership: Membership
    privatelink: PrivateLink | None
    etag: str | None
    # The user's access token the ETag was vouched by: a kept answer is stored under both.
    access_token: str
    # What an answer shared by every viewer of the role is kept under (None: not shared).
    shared: freshness.Shared | None = None

    def not_modified(self, request: HttpRequest) -> HttpResponse | None:
        if self.etag is None:
            return None
        return freshness.not_modified(request, self.etag)

    def shared_answer(self, request: HttpRequest) -> HttpResponse | None:
        """The answer of this version rendered for another viewer of the role, if any."""
        if self.etag is None or self.shared is None:
            return None
        return freshness.shared_answer(request, self.etag, self.shared)

    def mark(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        """The validators on a full answer, which is also kept for this viewer's next
        request of the same version (`freshness.from_cache`), and for the other viewers of
        the role (`freshness.share`)."""
        freshness.share(request, response, self.etag, self.shared)
        freshness.mark(response, self.etag)
        freshness.keep(request, response, self.etag, self.access_token)
        return response


def poll_for(request: AuthenticatedHttpRequest, project: str, service: str) -> Poll:
    """The service, membership and PrivateLink for a GET of a fragment, in one query, and
    the ETag; check `poll.not_modified(request)` before any other work."""
    tokens = freshness.tokens_before_reading(request, project, service)
    svc, membership = service_for(request, project, service)
    tag = freshness.validators_after_check(request, tokens, project, svc.pk, membership.role)
    shared = tokens.shared(tag, svc.pk, membership.role)
    return Poll(svc, membership, privatelink_of(svc), tag, tokens.access, shared)


PolledView = Callable[[AuthenticatedHttpRequest, Poll], HttpResponse]


# Outermost on a polled view, naming the query parameters it reads: the answer rendered
# for one viewer of a version is given to the others of the role (see
# `freshness.answers_shared_by_role`).
answers_unchanged_polls = freshness.answers_shared_by_role


def polled_fragment(*reads: str) -> Callable[[PolledView], Callable[..., HttpResponse]]:
    """A fragment the page polls: a GET through the access check (`poll_for`), answered
    304 when nothing it shows has changed, else `view`'s answer with the validators.
    `reads`: the query parameters the view reads."""

    def decorate(view: PolledView) -> Callable[..., HttpResponse]:
        @answers_unchanged_polls(*reads)
        @login_required
        @require_GET
        @wraps(view)
        def polled(request: AuthenticatedHttpRequest, project: str, service: str) -> HttpResponse:
            poll = poll_for(request, project, service)
            if (answer := poll.not_modified(request) or poll.shared_answer(request)) is not None:
                return answer
            return poll.mark(request, view(request, poll))

        return polled

    return decorate


def is_fragment_request(request: HtmxHttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.boosted


ANNOUNCE = "announce"


def announce(response: HttpResponse, message: str) -> HttpResponse:
    """Have static/js/console.js say `message` in the page's one persistent live region:
    a region inside a swapped fragment would be replaced before it is read out."""
    trigger_client_event(response, ANNOUNCE, {"message": message})
    return response


def fragment(
    request: HtmxHttpRequest,
    template: str,
    name: str,
    context: dict[str, Any],
    *,
    status: int = 200,
) -> HttpResponse:
    """Render `template#name`. A settled fragment keeps polling, only more slowly: a change
    made elsewhere (the API, a colleague, the customer's endpoint) must reach the page.
    An answer shared by role carries a mark where the CSRF token goes (`Poll.mark` puts
    the request's own there)."""
    if freshness.shares_by_role(request):
        context = {**context, "csrf_token": marks.CSRF_MARK}
    return render(request, f"{template}#{name}", context, status=status)
