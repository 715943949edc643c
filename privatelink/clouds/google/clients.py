"""The platform project's Compute Engine clients (`google-cloud-compute`, REST), configured
only from settings: real Google with Application Default Credentials, or the fake Compute
at GOOGLE_ENDPOINT_URL with anonymous credentials."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from google.api_core.client_options import ClientOptions
from google.auth.credentials import AnonymousCredentials, Credentials
from google.auth.transport.requests import AuthorizedSession
from google.cloud import compute_v1

from privatelink.clouds.sdk_clients import PerThread, Shared

_COMPUTE_SCOPE = "https://www.googleapis.com/auth/compute"
GOOGLE_ENDPOINT = "https://compute.googleapis.com"
# The credential all threads share, each thread's session and clients (`sdk_clients` says why).
_credentials: Shared[Credentials] = Shared()
_sessions: PerThread[AuthorizedSession] = PerThread()


@dataclass(frozen=True)
class GoogleTarget:
    """Where the gateway's calls go: a project, and the region it creates in."""

    project: str
    region: str


def target() -> GoogleTarget:
    if not settings.GOOGLE_PROJECT:
        raise ImproperlyConfigured(
            "Google Cloud needs GOOGLE_PROJECT: the platform project that holds the networks, "
            "load balancers and service attachments."
        )
    return GoogleTarget(settings.GOOGLE_PROJECT, settings.GOOGLE_REGION)


def mode() -> str:
    return "fake" if settings.GOOGLE_ENDPOINT_URL else "google"


def _credential() -> Credentials:
    return _credentials.get(mode(), _new_credential)


def _new_credential() -> Credentials:
    if mode() == "fake":
        return AnonymousCredentials()
    # Imported here: only real Google needs it (a service account's key file, workload
    # identity, the metadata server, or gcloud's login).
    import google.auth

    credential, _ = google.auth.default(scopes=[_COMPUTE_SCOPE])
    return credential


def endpoint_url() -> str:
    return settings.GOOGLE_ENDPOINT_URL or GOOGLE_ENDPOINT


def session() -> AuthorizedSession:
    """This thread's HTTP session with the clients' credential, for the one request the SDK
    cannot make: a JSON merge patch that empties a list (the SDK's proto JSON leaves empty
    lists out, and Google keeps what a patch leaves out)."""
    return _sessions.get(_endpoint_key(), lambda: AuthorizedSession(_credential()))


@dataclass(frozen=True)
class ComputeClients:
    """The Compute clients the gateway calls, all against one endpoint."""

    networks: compute_v1.NetworksClient
    subnetworks: compute_v1.SubnetworksClient
    health_checks: compute_v1.RegionHealthChecksClient
    backend_services: compute_v1.RegionBackendServicesClient
    forwarding_rules: compute_v1.ForwardingRulesClient
    service_attachments: compute_v1.ServiceAttachmentsClient
    endpoint_groups: compute_v1.RegionNetworkEndpointGroupsClient
    # The region itself: its quotas.
    regions: compute_v1.RegionsClient
    # The console looks at operations with these, never with the SDK's ExtendedOperation:
    # its polling client is built without the endpoint override (it would poll Google,
    # whatever GOOGLE_ENDPOINT_URL says).
    region_operations: compute_v1.RegionOperationsClient
    global_operations: compute_v1.GlobalOperationsClient


_clients: PerThread[ComputeClients] = PerThread()


def _make(cls: Any, credential: Credentials) -> Any:
    options = ClientOptions(api_endpoint=settings.GOOGLE_ENDPOINT_URL or None)
    return cls(credentials=credential, client_options=options, transport="rest")


def compute() -> ComputeClients:
    """This thread's clients, made on first use and again when the endpoint they were made
    for changes (a test pointing elsewhere)."""
    return _clients.get(_endpoint_key(), _new_clients)


def _new_clients() -> ComputeClients:
    credential = _credential()
    return ComputeClients(
        networks=_make(compute_v1.NetworksClient, credential),
        subnetworks=_make(compute_v1.SubnetworksClient, credential),
        health_checks=_make(compute_v1.RegionHealthChecksClient, credential),
        backend_services=_make(compute_v1.RegionBackendServicesClient, credential),
        forwarding_rules=_make(compute_v1.ForwardingRulesClient, credential),
        service_attachments=_make(compute_v1.ServiceAttachmentsClient, credential),
        endpoint_groups=_make(compute_v1.RegionNetworkEndpointGroupsClient, credential),
        regions=_make(compute_v1.RegionsClient, credential),
        region_operations=_make(compute_v1.RegionOperationsClient, credential),
        global_operations=_make(compute_v1.GlobalOperationsClient, credential),
    )


def _endpoint_key() -> tuple[str, str]:
    return (mode(), settings.GOOGLE_ENDPOINT_URL)
