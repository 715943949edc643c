"""Checking the IP address a user gives for a customer's private endpoint: the address the
connection's privatelink-N host will resolve to."""

import ipaddress

from console.errors import InvalidInput, echo
from console.models.inventory import PRIVATE_RANGES

EXAMPLE = "10.1.0.5"


def clean_endpoint_ip(value: object) -> str:
    """An IPv4 address in RFC 1918's private ranges, or InvalidInput saying what to give.

    A private endpoint takes its address from the customer's own private network. A public
    address here would make a platform host name lead to somebody else's machine."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(
            f"Give the private endpoint's IP address, for example {EXAMPLE}.",
            field="user_ip_address",
        )
    text = value.strip()
    try:
        address = ipaddress.IPv4Address(text)
    except ValueError:
        raise InvalidInput(
            f"{echo(text)} is not an IPv4 address; give the private endpoint's address, "
            f"for example {EXAMPLE}.",
            field="user_ip_address",
        ) from None
    if not any(address in network for network in PRIVATE_RANGES):
        raise InvalidInput(
            f"{address} is not a private address; a private endpoint's address lies in "
            "10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16.",
            field="user_ip_address",
        )
    return str(address)
