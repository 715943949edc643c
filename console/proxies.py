"""Which requests came through a trusted proxy, and what only such a proxy may tell us.

The proxies are named by FORWARDED_ALLOW_IPS, the variable gunicorn itself reads for the
same purpose, with gunicorn's default. From any other peer the headers that only a proxy
may set are dropped before anything reads them, so neither Django (SECURE_PROXY_SSL_HEADER),
the login throttle nor the audit trail takes a client's word for its scheme, its address
or its request id.
"""

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

PROXY_ONLY_HEADERS = (
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_REQUEST_ID",
)


def parse_trusted(raw: str) -> list[Network] | None:
    """The networks of a comma-separated list; None for "*" (every peer is a proxy)."""
    entries = [entry.strip() for entry in raw.split(",") if entry.strip()]
    if "*" in entries:
        return None
    return [ipaddress.ip_network(entry, strict=False) for entry in entries]


def _is_trusted(address: str | None) -> bool:
    trusted: list[Network] | None = settings.TRUSTED_PROXIES
    if trusted is None:
        return True
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def from_trusted_proxy(request: HttpRequest) -> bool:
    return _is_trusted(request.META.get("REMOTE_ADDR"))


def client_address(request: HttpRequest) -> str | None:
    """The client's address: the peer's, or behind trusted proxies the nearest address in
    X-Forwarded-For that is not itself a trusted proxy."""
    peer = request.META.get("REMOTE_ADDR")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not forwarded or not _is_trusted(peer):
        return peer
    for hop in reversed(forwarded.split(",")):
        hop = hop.strip()
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            # A hop a proxy could not vouch for: stop at the last address known to be real.
            return peer
        if not _is_trusted(hop):
            return hop
        peer = hop
    return peer


class ProxyHeadersMiddleware:
    """Drops the proxy-only headers from requests of peers that are not trusted proxies."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not from_trusted_proxy(request):
            for name in PROXY_ONLY_HEADERS:
                request.META.pop(name, None)
        return self.get_response(request)
