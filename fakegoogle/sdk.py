"""The real `google-cloud-compute` clients, pointed at the fake.

The SDK takes the endpoint with its scheme (`api_endpoint="http://127.0.0.1:5057"`), and
`google.auth`'s anonymous credentials send no token, so plain HTTP is enough. One pitfall:
an insert's or delete's `ExtendedOperation` polls a RUNNING operation through a
`RegionOperationsClient` that the SDK builds itself, without the endpoint override, so on
its own it would poll Google. Wait for operations with `compute.wait(operation)` (or the
console's own polling), which asks this client's region or global operations.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from google.api_core.client_options import ClientOptions
from google.auth.credentials import AnonymousCredentials, Credentials
from google.cloud import compute_v1


@dataclass
class Compute:
    """The Compute clients a PSC producer or consumer uses, all against one endpoint."""

    endpoint_url: str
    credentials: Credentials = field(default_factory=AnonymousCredentials)

    def _client[C](self, cls: type[C]) -> C:
        return cls(  # type: ignore[call-arg]
            credentials=self.credentials,
            client_options=ClientOptions(api_endpoint=self.endpoint_url),
            transport="rest",
        )

    def __post_init__(self) -> None:
        self.networks = self._client(compute_v1.NetworksClient)
        self.subnetworks = self._client(compute_v1.SubnetworksClient)
        self.health_checks = self._client(compute_v1.RegionHealthChecksClient)
        self.backend_services = self._client(compute_v1.RegionBackendServicesClient)
        self.forwarding_rules = self._client(compute_v1.ForwardingRulesClient)
        self.service_attachments = self._client(compute_v1.ServiceAttachmentsClient)
        self.endpoint_groups = self._client(compute_v1.RegionNetworkEndpointGroupsClient)
        self.region_operations = self._client(compute_v1.RegionOperationsClient)
        self.global_operations = self._client(compute_v1.GlobalOperationsClient)
        self.regions = self._client(compute_v1.RegionsClient)

    def wait(self, operation: Any, project: str, timeout: float = 60) -> compute_v1.Operation:
        """Wait for an operation (an ExtendedOperation or an Operation) with these clients,
        never the SDK's own; the operation as it ends."""
        name = str(operation.name)
        region = str(operation.region).rsplit("/", 1)[-1] if operation.region else ""
        deadline = time.monotonic() + timeout
        while True:
            if region:
                current = self.region_operations.wait(
                    project=project, region=region, operation=name
                )
            else:
                current = self.global_operations.wait(project=project, operation=name)
            if current.status == compute_v1.Operation.Status.DONE:
                return current
            if time.monotonic() >= deadline:
                raise TimeoutError(f"operation {name} is not DONE after {timeout} seconds")
