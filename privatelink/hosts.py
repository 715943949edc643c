"""The privatelink host of a connection, built here and nowhere else.

As on the platform, the host of connection N is `privatelink-N-` followed by the service's
dynamic host, in the same domain: `privatelink-1-my-kafka-demo.example.test` beside
`my-kafka-demo.example.test`. PRIVATELINK_DOMAIN, when set, puts these hosts (and their
Route 53 zone) in a domain of their own. The DNS records, the connection table, the
Overview panel and the API all take their host from `connection_host`.
"""

import re
from collections.abc import Callable

from django.conf import settings

from console.models import Service


def domain() -> str:
    """The domain (and Route 53 zone) of the privatelink hosts."""
    return str(settings.PRIVATELINK_DOMAIN or settings.PLATFORM_DOMAIN).rstrip(".")


def _label(service: Service) -> str:
    # The first label of the dynamic host, <service>-<project>.
    return f"{service.name}-{service.project.name}"


def connection_host(service: Service, number: int) -> str:
    return f"privatelink-{number}-{_label(service)}.{domain()}"


def is_host_of(service: Service) -> Callable[[str], bool]:
    """Whether a DNS name is one of the service's privatelink hosts, whatever its N."""
    label, zone = re.escape(_label(service)), re.escape(domain())
    pattern = re.compile(rf"^privatelink-(\d+)-{label}\.{zone}$")
    return lambda name: pattern.match(name) is not None
