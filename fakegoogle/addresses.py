"""Where the fake Google listens: free of the server's imports so that the customer command
starts fast."""

from __future__ import annotations

from fakeaws.addresses import port_from

HOST = "127.0.0.1"
DEFAULT_PORT = 5057
PORT_ENV = "FAKEGOOGLE_PORT"
# What Google writes before a resource's path in its links; the fake writes the same, so
# that a client parses the fake's links as it parses Google's.
LINK_PREFIX = "https://www.googleapis.com/compute/v1/"


def port_from_environment() -> int:
    return port_from(PORT_ENV, DEFAULT_PORT)


def default_endpoint_url() -> str:
    # Plain HTTP: the SDK takes a scheme in its endpoint, and anonymous credentials send
    # no token that TLS would have to protect.
    return f"http://{HOST}:{port_from_environment()}"
