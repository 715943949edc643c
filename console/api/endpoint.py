"""The plumbing every /v1/ endpoint shares: token auth, method dispatch, errors as JSON.

An endpoint is a set of plain typed functions, one per HTTP method, joined by
`endpoint(GET=..., PUT=...)`. They fetch objects through console.access and change
them through actions; this module turns what they raise into the platform's error shape.
A handler runs only once the token's owner is `request.user`, so it takes a
`console.http.AuthenticatedHttpRequest` and passes `request.user` to actions as the actor.
"""

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from console.api.auth import token_from_header, user_for_token
from console.api.errors import error_response
from console.errors import ActionError
from console.login_throttle import (
    TOKEN_CREDENTIALS,
    lockout_response,
    token_failed,
    token_guessing_locked_out,
)

ApiView = Callable[..., HttpResponse]
# The logger Django reports request failures to, so that unexpected errors in the API
# reach the same handlers (and alerts) as those of the pages.
logger = logging.getLogger("django.request")


def endpoint(**handlers: ApiView) -> ApiView:
    """One URL's view: authenticate by token, then call the handler of the request's method."""
    allowed = ", ".join(sorted(handlers))

    # CSRF protects requests a browser makes with its cookies. The API never reads the
    # session cookie: the caller is only ever the owner of the token in the Authorization
    # header, which a browser does not attach by itself to a cross-site request. Without
    # cookie authentication there is nothing for a forged request to ride on, so the
    # CSRF check (which would refuse every non-browser client) is skipped for /v1/ only.
    @csrf_exempt
    @never_cache
    @wraps(next(iter(handlers.values())))
    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token = token_from_header(request)
        user = user_for_token(token) if token else None
        if token and user is None:
            # Only guessing is throttled: a valid token is served even from an address
            # that guessed others (an office or CI egress shared by many people).
            if token_guessing_locked_out(request):
                return lockout_response(request, credentials=TOKEN_CREDENTIALS)
            # May lock the address out; AxesMiddleware then answers with lockout_response.
            token_failed(request)
        if user is None:
            response = error_response(
                "Authenticate with the header 'Authorization: aivenv1 <API token>' "
                "carrying a valid, unrevoked token.",
                401,
            )
            response["WWW-Authenticate"] = "aivenv1"
            return response
        # Replaces whatever the session middleware found: a cookie never authenticates here.
        request.user = user
        handler = handlers.get(request.method or "")
        if handler is None:
            response = error_response(f"Method {request.method} is not allowed here.", 405)
            response["Allow"] = allowed
            return response
        try:
            return handler(request, *args, **kwargs)
        except Http404 as exc:
            return error_response(str(exc) or "Not found.", 404)
        except PermissionDenied as exc:
            return error_response(str(exc) or "You may not change this.", 403)
        except ActionError as exc:
            return error_response(exc.message, exc.status, exc.field)
        except RequestDataTooBig:
            return error_response("The request body is too large.", 413)
        except Exception:
            # A client of the API cannot read Django's HTML error page; it gets the
            # platform's JSON shape and the request id to quote, the log gets the traceback.
            logger.exception("API error: %s %s", request.method, request.path)
            request_id = getattr(request, "request_id", "")
            return error_response(
                f"Internal error; quote request id {request_id} when reporting it.", 500
            )

    return view


def handles(*methods: str) -> Callable[[ApiView], ApiView]:
    """Shorthand for an endpoint with a single handler serving the given methods."""

    def decorate(handler: ApiView) -> ApiView:
        return endpoint(**dict.fromkeys(methods, handler))

    return decorate
