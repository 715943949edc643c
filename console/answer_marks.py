"""What of a viewer a kept or shared answer leaves out: marks stand where the request's CSP
nonce, CSRF token and the viewer's name were or would go, and each request that is given
the answer puts its own there (console.freshness)."""

from django.http import HttpRequest
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.utils.html import escape

# Where a kept answer had the CSP nonce of the request that rendered it (the policy header
# names only the answering request's nonce).
NONCE_MARK = "\x00csp-nonce\x00"
# Where a shared answer's forms carry the CSRF token: not a token (those are 64 letters and
# digits); the token put there is one of the answering request's own secret.
CSRF_MARK = "csrf-token-of-the-request"
# Where a page shared by role names its viewer (`MarkedViewer`).
VIEWER_MARK = "name-of-the-viewer-of-this-answer"


class MarkedViewer:
    """Who a page shared by role names as its viewer (`user` in its templates)."""

    is_authenticated = True
    email = VIEWER_MARK


def put_in(request: HttpRequest, body: str) -> str:
    """`body` as rendered for `request`, with the nonce marked (the other marks were
    rendered in place of the token and the name)."""
    nonce = get_nonce(request)
    return body.replace(str(nonce), NONCE_MARK) if nonce else body


def taken_out(request: HttpRequest, body: str, viewer_name: str | None = None) -> str | None:
    """A kept or shared body with this request's nonce, CSRF token and viewer's name in
    place of the marks; None when it names the viewer and the name is not known."""
    if VIEWER_MARK in body:
        if viewer_name is None:
            return None
        body = body.replace(VIEWER_MARK, escape(viewer_name))
    if NONCE_MARK in body:
        body = body.replace(NONCE_MARK, str(get_nonce(request)))
    if CSRF_MARK in body:
        body = body.replace(CSRF_MARK, get_token(request))
    return body
