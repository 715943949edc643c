"""pytest fixture `fake_azure`: a fake Azure server for the session, reset before each test.

Register with `pytest_plugins = ["fakeazure.pytest_plugin"]`. The server runs in a thread of
the test process on a free port of 127.0.0.1 with a certificate made for the session. The
SDK is imported only when a test asks for a client, so other tests start as fast as before.
"""

from __future__ import annotations

import json
import ssl
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from fakeazure.server import FakeAzureServer
from fakeazure.tls import ensure_certificate

if TYPE_CHECKING:
    from azure.mgmt.network import NetworkManagementClient

    from fakeazure.customer import Customer

PLATFORM_SUBSCRIPTION = "00000000-0000-0000-0000-0000000000aa"


class FakeAzure:
    """Handle on a running fake Azure, whichever process serves it."""

    def __init__(self, endpoint_url: str, certificate: Path) -> None:
        self.endpoint_url = endpoint_url
        self.certificate = certificate

    def reset(self) -> None:
        """Wipe every resource and restore the start-up delays and quotas."""
        self._post("/fakeazure/reset", {})

    def set_delays(self, **delays: float) -> dict[str, float]:
        """Change delays (provisioning, deletion, api_call seconds) until the next reset."""
        answer: dict[str, float] = self._post("/fakeazure/delays", delays)
        return answer

    def delays(self) -> dict[str, float]:
        """The delays in force."""
        answer: dict[str, float] = self._request("/fakeazure/delays", None)
        return answer

    def set_quotas(self, **values: int) -> dict[str, int]:
        """Change quotas (fakeazure.quotas.Quotas names) until the next reset."""
        answer: dict[str, int] = self._post("/fakeazure/quotas", values)
        return answer

    def throttle(self, requests: int, retry_after: int = 0) -> None:
        """The next `requests` ARM requests answer 429 with this Retry-After."""
        self._post("/fakeazure/throttle", {"requests": requests, "retry_after": retry_after})

    def fail(
        self, requests: int, status: int, code: str, message: str = "", path: str = ""
    ) -> None:
        """The next `requests` ARM requests (whose path holds `path`) answer `status` with
        ARM's error `code`."""
        body = {
            "requests": requests,
            "status": status,
            "code": code,
            "message": message,
            "path": path,
        }
        self._post("/fakeazure/fail", body)

    def resources(self) -> list[dict[str, Any]]:
        """Every resource in the fake, as ARM shows it."""
        answer: list[dict[str, Any]] = self._request("/fakeazure/state", None)["resources"]
        return answer

    def requests(self) -> dict[str, int]:
        """ARM requests answered since the last reset: {"reads": GETs, "writes": the rest}."""
        answer: dict[str, int] = self._request("/fakeazure/requests", None)
        return answer

    def client(
        self, subscription_id: str = PLATFORM_SUBSCRIPTION, **kwargs: Any
    ) -> NetworkManagementClient:
        """The real SDK client of a subscription (`fakeazure.sdk.network_client`)."""
        from fakeazure.sdk import network_client  # the SDK loads only for tests that use it

        return network_client(subscription_id, self.endpoint_url, self.certificate, **kwargs)

    def customer(self, subscription_id: str) -> Customer:
        from fakeazure.customer import Customer

        return Customer(subscription_id, self.endpoint_url, self.certificate)

    def _post(self, path: str, body: object) -> Any:
        return self._request(path, body)

    def _request(self, path: str, body: object | None) -> Any:
        request = urllib.request.Request(  # noqa: S310 - always our own https://127.0.0.1 URL
            self.endpoint_url + path,
            data=None if body is None else json.dumps(body).encode(),
            method="GET" if body is None else "POST",
            headers={"Content-Type": "application/json"},
        )
        context = ssl.create_default_context(cafile=str(self.certificate))
        with urllib.request.urlopen(request, timeout=30, context=context) as response:  # noqa: S310
            return json.loads(response.read())


@pytest.fixture(scope="session")
def fake_azure_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeAzureServer]:
    certificate = ensure_certificate(tmp_path_factory.mktemp("fakeazure-tls"))
    server = FakeAzureServer(certificate=certificate, quiet=True).start()
    yield server
    server.stop()


@pytest.fixture
def fake_azure(fake_azure_server: FakeAzureServer) -> FakeAzure:
    fake = FakeAzure(fake_azure_server.endpoint_url, fake_azure_server.certificate.cert_path)
    fake.reset()
    return fake
