"""Request types that say what the middleware and decorators have already made true.

A view behind `login_required` (or an API handler behind token authentication) is only
ever called with a signed-in `User`; annotating its request as `AuthenticatedHttpRequest`
lets it pass `request.user` to actions as the actor with no isinstance check or cast.
`request.htmx` is set on every request by django-htmx's middleware.
"""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from console.models import User


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    user: User
