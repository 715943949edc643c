"""Which driver serves a cloud: picked by the catalog cloud's provider, imported on first use.

A provider's package, `privatelink.clouds.<provider>`, exposes `make_driver(region,
account, client_factory)`. Importing it lazily keeps the engine free of every cloud SDK: a
worker that serves only AWS never loads Azure's, and the engine names no cloud package.
"""

import importlib
from collections.abc import Callable
from typing import Any, Protocol, cast

from django.conf import settings

from console import catalog
from privatelink.clouds.dns import DnsZone
from privatelink.clouds.driver import CloudDriver

# The platform's DNS zone is Route 53's, in the deployment's own AWS account, whichever
# cloud holds a link.
PLATFORM_DNS_PROVIDER = "aws"

# A driver's client factory, for tests that make a cloud misbehave: for AWS the Gateway
# class or a subclass, called as factory(region, role_arn=...). None: the real one.
ClientFactory = Callable[..., Any]


class UnknownProvider(LookupError):
    """No driver package serves the provider."""


class _DriverPackage(Protocol):
    def make_driver(
        self, region: str, account: str | None, client_factory: ClientFactory | None
    ) -> CloudDriver: ...


def _package(provider: str) -> _DriverPackage:
    if not provider.isidentifier() or not provider.islower():
        raise UnknownProvider(f"No cloud driver for provider {provider!r}.")
    name = f"{__package__}.{provider}"
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise  # the driver exists but lacks a dependency: a real error, not "unknown"
        raise UnknownProvider(f"No cloud driver for provider {provider!r}.") from exc
    if not callable(getattr(module, "make_driver", None)):
        raise UnknownProvider(f"{name} is not a cloud driver (it has no make_driver).")
    return cast(_DriverPackage, module)


def driver_for(
    provider: str,
    region: str,
    account: str | None = None,
    client_factory: ClientFactory | None = None,
) -> CloudDriver:
    """The driver of `provider` ("aws") for one account in one region.

    `account` is the account in the cloud's own terms (AWS: the role ARN to assume; None:
    the platform's configured role, "": its own credentials).
    """
    return _package(provider).make_driver(region, account, client_factory)


def driver_for_cloud(
    cloud: str, account: str | None = None, client_factory: ClientFactory | None = None
) -> CloudDriver:
    """The driver of a catalog cloud ("aws-eu-west-1"), in that cloud's region."""
    entry = catalog.get_cloud(cloud)
    return driver_for(entry.provider, entry.region, account, client_factory)


def platform_dns() -> DnsZone:
    """The platform's DNS zone, for a driver of another cloud: it reaches the zone through
    the registry, so no driver package imports another."""
    return driver_for(PLATFORM_DNS_PROVIDER, settings.AWS_REGION).dns
