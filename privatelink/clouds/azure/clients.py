"""The platform subscription's `NetworkManagementClient`, configured only from settings: real
Azure with DefaultAzureCredential, or the fake ARM at AZURE_ENDPOINT_URL with a stub token
over HTTPS that trusts the fake's certificate (AZURE_CERTIFICATE)."""

import time
from dataclasses import dataclass
from typing import Any

from azure.core.credentials import AccessToken, TokenCredential
from azure.core.pipeline import PipelineResponse
from azure.core.pipeline.policies import RetryPolicy
from azure.mgmt.network import NetworkManagementClient
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from privatelink.clouds.sdk_clients import PerThread, Shared

_TOKEN_LIFETIME_SECONDS = 3600
# Each thread's client and the credential all threads share (`sdk_clients` says why).
_clients: PerThread[NetworkManagementClient] = PerThread()
_credentials: Shared[TokenCredential] = Shared()


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
    return _credentials.get(mode(), _new_credential)


def _new_credential() -> TokenCredential:
    if mode() == "fake":
        return StubCredential()
    # Imported here: only real Azure needs it (environment, workload or managed identity,
    # or the Azure CLI's login on a developer's machine).
    from azure.identity import DefaultAzureCredential

    return DefaultAzureCredential()


class ShortWaitRetryPolicy(RetryPolicy):
    """azure-core's retries, except that a Retry-After longer than `max_wait` seconds is
    not slept in the worker's thread: the refusal reaches the caller, Retryable with ARM's
    retry_after, and the task comes back then."""

    def __init__(self, max_wait: float, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_wait = max_wait

    def is_retry(self, settings: dict[str, Any], response: PipelineResponse[Any, Any]) -> bool:
        retry_after = self.get_retry_after(response)
        if retry_after is not None and retry_after > self.max_wait:
            return False
        return bool(super().is_retry(settings, response))


def _options() -> dict[str, Any]:
    options: dict[str, Any] = {
        # The SDK polls a long-running operation every 30 s by default: a load balancer
        # ready in two seconds would hold a worker thread for thirty.
        "polling_interval": settings.AZURE_POLLING_INTERVAL,
        # azure-core retries throttling (honouring a short Retry-After) and 5xx itself; past
        # these the call fails Retryable and the task retries with its own backoff.
        "retry_total": settings.AZURE_MAX_RETRIES,
        "retry_wait": settings.AZURE_MAX_RETRY_WAIT_SECONDS,
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

    def make() -> NetworkManagementClient:
        rest = dict(options)
        retry_wait = rest.pop("retry_wait")
        return NetworkManagementClient(
            _credential(),
            subscription,
            retry_policy=ShortWaitRetryPolicy(retry_wait, retry_total=rest["retry_total"]),
            **rest,
        )

    return _clients.get((subscription, tuple(sorted(options.items()))), make)
