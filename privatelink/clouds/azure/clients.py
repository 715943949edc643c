"""The platform subscription's `NetworkManagementClient`, configured only from settings: real
Azure with DefaultAzureCredential, or the fake ARM at AZURE_ENDPOINT_URL with a stub token
over HTTPS that trusts the fake's certificate (AZURE_CERTIFICATE)."""

import threading
import time
from dataclasses import dataclass
from typing import Any

from azure.core.credentials import AccessToken, TokenCredential
from azure.mgmt.network import NetworkManagementClient
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_TOKEN_LIFETIME_SECONDS = 3600
# The SDK's pipeline (its requests session) is not meant to be shared between threads, and
# the worker runs reconciles in threads: each thread has its own clients. What threads
# share is the credential, which caches its token for all of them.
_per_thread = threading.local()
_credential_lock = threading.Lock()
_credentials: dict[str, TokenCredential] = {}


@dataclass(frozen=True)
class AzureTarget:
    """Where the gateway's calls go: a subscription's resource group in one location."""

    subscription_id: str
    resource_group: str
    location: str


def target() -> AzureTarget:
    if not settings.AZURE_SUBSCRIPTION_ID:
        raise ImproperlyConfigured(
            "Azure needs AZURE_SUBSCRIPTION_ID: the platform subscription that holds the load "
            "balancers and private link services."
        )
    return AzureTarget(
        settings.AZURE_SUBSCRIPTION_ID, settings.AZURE_RESOURCE_GROUP, settings.AZURE_LOCATION
    )


def mode() -> str:
    return "fake" if settings.AZURE_ENDPOINT_URL else "azure"


class StubCredential:
    """A token the fake ARM accepts and Azure would not."""

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        return AccessToken("privatelink-console", int(time.time()) + _TOKEN_LIFETIME_SECONDS)


def _credential() -> TokenCredential:
    key = mode()
    with _credential_lock:
        credential = _credentials.get(key)
        if credential is None:
            if key == "fake":
                credential = StubCredential()
            else:
                # Imported here: only real Azure needs it (environment, workload or managed
                # identity, or the Azure CLI's login on a developer's machine).
                from azure.identity import DefaultAzureCredential

                credential = DefaultAzureCredential()
            _credentials[key] = credential
    return credential


def _options() -> dict[str, Any]:
    options: dict[str, Any] = {
        # The SDK polls a long-running operation every 30 s by default: a load balancer
        # ready in two seconds would hold a worker thread for thirty.
        "polling_interval": settings.AZURE_POLLING_INTERVAL,
        # azure-core retries throttling (honouring Retry-After) and 5xx itself; past these
        # the call fails Retryable and the task retries with its own backoff.
        "retry_total": settings.AZURE_MAX_RETRIES,
        "connection_timeout": settings.AZURE_CONNECT_TIMEOUT,
        "read_timeout": settings.AZURE_READ_TIMEOUT,
    }
    if settings.AZURE_ENDPOINT_URL:
        options["base_url"] = settings.AZURE_ENDPOINT_URL
        if settings.AZURE_CERTIFICATE:
            options["connection_verify"] = settings.AZURE_CERTIFICATE
    return options


def network_client() -> NetworkManagementClient:
    """This thread's client of the platform subscription, made on first use and again when
    the settings it was made from change (a test pointing elsewhere)."""
    options = _options()
    subscription = target().subscription_id
    key = (subscription, tuple(sorted(options.items())))
    cached: tuple[Any, NetworkManagementClient] | None = getattr(_per_thread, "client", None)
    if cached is not None and cached[0] == key:
        return cached[1]
    client = NetworkManagementClient(_credential(), subscription, **options)
    _per_thread.client = (key, client)
    return client
