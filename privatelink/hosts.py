"""The privatelink host of a connection, built here and nowhere else, and who owns it.

As on the platform, the host of connection N is `privatelink-N-` followed by the service's
dynamic host, in the same domain: `privatelink-1-my-kafka-demo.example.test` beside
`my-kafka-demo.example.test`. Both start with the service's host label, which is unique
across the platform (`console.models.HostLabel`), so two services never share a host.
PRIVATELINK_DOMAIN, when set, puts these hosts (and their Route 53 zone) in a domain of
their own. The DNS records, the connection table, the Overview panel and the API all take
their host from `connection_host`; `ConnectionHost` records which PrivateLink owns each.
"""

from django.conf import settings

from console.host_names import ROUTE_PREFIX_MAX
from console.models import Service
from privatelink.models import ConnectionHost, PrivateLink

# The highest N: `privatelink-999-` fits the room host labels leave in one DNS label.
MAX_CONNECTION_NUMBER = 999
PREFIX = "privatelink-"
assert len(f"{PREFIX}{MAX_CONNECTION_NUMBER}-") <= ROUTE_PREFIX_MAX


def domain() -> str:
    """The domain (and Route 53 zone) of the privatelink hosts."""
    return str(settings.PRIVATELINK_DOMAIN or settings.PLATFORM_DOMAIN).rstrip(".")


def connection_host(service: Service, number: int) -> str:
    return f"{PREFIX}{number}-{service.host_label}.{domain()}"


def hosts_of(privatelink: PrivateLink) -> set[str]:
    """Every host the database says this PrivateLink owns, published or not: the only DNS
    names its reconciler may write or delete."""
    return set(
        ConnectionHost.objects.filter(privatelink=privatelink).values_list("host", flat=True)
    )
