"""The platform project's Compute Engine clients (`google-cloud-compute`, REST), configured
only from settings: real Google with Application Default Credentials, or the fake Compute
at GOOGLE_ENDPOINT_URL with anonymous credentials."""

import threading
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from google.api_core.client_options import ClientOptions
from google.auth.credentials import AnonymousCredentials, Credentials
from google.auth.transport.requests import AuthorizedSession
from google.cloud import compute_v1

_COMPUTE_SCOPE = "https://www.googleapis.com/auth/compute"
GOOGLE_ENDPOINT = "https://compute.googleapis.com"
# The SDK's clients hold a requests session, not meant to be shared between threads, and
# the worker runs reconciles in threads: each thread has its own clients. What threads
# share is the credential, which refreshes its token for all of them.
_per_thread = threading.local()
_credential_lock = threading.Lock()
_credentials: dict[str, Credentials] = {}


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
    key = mode()
    with _credential_lock:
        credential = _credentials.get(key)
        if credential is None:
            if key == "fake":
                credential = AnonymousCredentials()
            else:
                # Imported here: only real Google needs it (a service account's key file,
                # workload identity, the metadata server, or gcloud's login).
                import google.auth

                credential, _ = google.auth.default(scopes=[_COMPUTE_SCOPE])
            _credentials[key] = credential
    return credential


def endpoint_url() -> str:
    return settings.GOOGLE_ENDPOINT_URL or GOOGLE_ENDPOINT


def session() -> AuthorizedSession:
    """This thread's HTTP session with the clients' credential, for the one request the SDK
    cannot make: a JSON merge patch that empties a list (the SDK's proto JSON leaves empty
    lists out, and Google keeps what a patch leaves out)."""
    key = (mode(), settings.GOOGLE_ENDPOINT_URL)
    cached: tuple[Any, AuthorizedSession] | None = getattr(_per_thread, "session", None)
    if cached is not None and cached[0] == key:
        return cached[1]
    made = AuthorizedSession(_credential())
    _per_thread.session = (key, made)
    return made


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
    # The console waits for operations with these, never with the SDK's ExtendedOperation:
    # its polling client is built without the endpoint override (it would poll Google,
    # whatever GOOGLE_ENDPOINT_URL says).
    region_operations: compute_v1.RegionOperationsClient
    global_operations: compute_v1.GlobalOperationsClient


def _make(cls: Any, credential: Credentials) -> Any:
    options = ClientOptions(api_endpoint=settings.GOOGLE_ENDPOINT_URL or None)
    return cls(credentials=credential, client_options=options, transport="rest")


def compute() -> ComputeClients:
    """This thread's clients, made on first use and again when the endpoint they were made
    for changes (a test pointing elsewhere)."""
    key = (mode(), settings.GOOGLE_ENDPOINT_URL)
    cached: tuple[Any, ComputeClients] | None = getattr(_per_thread, "clients", None)
    if cached is not None and cached[0] == key:
        return cached[1]
    credential = _credential()
    clients = ComputeClients(
        networks=_make(compute_v1.NetworksClient, credential),
        subnetworks=_make(compute_v1.SubnetworksClient, credential),
        health_checks=_make(compute_v1.RegionHealthChecksClient, credential),
        backend_services=_make(compute_v1.RegionBackendServicesClient, credential),
        forwarding_rules=_make(compute_v1.ForwardingRulesClient, credential),
        service_attachments=_make(compute_v1.ServiceAttachmentsClient, credential),
        endpoint_groups=_make(compute_v1.RegionNetworkEndpointGroupsClient, credential),
        region_operations=_make(compute_v1.RegionOperationsClient, credential),
        global_operations=_make(compute_v1.GlobalOperationsClient, credential),
    )
    _per_thread.clients = (key, clients)
    return clients
