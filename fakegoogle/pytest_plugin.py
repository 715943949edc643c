"""pytest fixture `fake_google`: a fake Google server for the session, reset before each test.

Register with `pytest_plugins = ["fakegoogle.pytest_plugin"]`. The server runs in a thread
of the test process on a free port of 127.0.0.1. The SDK is imported only when a test asks
for a client, so other tests start as fast as before.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from fakegoogle.server import FakeGoogleServer

if TYPE_CHECKING:
    from fakegoogle.customer import Customer
    from fakegoogle.sdk import Compute

PLATFORM_PROJECT = "privatelink-platform"


class FakeGoogle:
    """Handle on a running fake Google, whichever process serves it."""

    def __init__(self, endpoint_url: str) -> None:
        self.endpoint_url = endpoint_url

    def reset(self) -> None:
        """Wipe every resource and restore the start-up delays and quotas."""
        self._request("/fakegoogle/reset", {})

    def set_delays(self, **delays: float) -> dict[str, float]:
        """Change delays (provisioning, deletion, api_call seconds) until the next reset."""
        answer: dict[str, float] = self._request("/fakegoogle/delays", delays)
        return answer

    def set_quotas(self, **values: int) -> dict[str, int]:
        """Change quotas (fakegoogle.quotas.Quotas names) until the next reset."""
        answer: dict[str, int] = self._request("/fakegoogle/quotas", values)
        return answer

    def throttle(self, requests: int, retry_after: int = 0) -> None:
        """The next `requests` Compute requests answer 429 rateLimitExceeded."""
        self._request("/fakegoogle/throttle", {"requests": requests, "retry_after": retry_after})

    def fail(
        self, requests: int, status: int, reason: str, message: str = "", path: str = ""
    ) -> None:
        """The next `requests` Compute requests (whose path holds `path`) answer `status`
        with Google's error `reason`."""
        body = {
            "requests": requests,
            "status": status,
            "reason": reason,
            "message": message,
            "path": path,
        }
        self._request("/fakegoogle/fail", body)

    def resources(self) -> list[dict[str, Any]]:
        """Every resource in the fake, as Compute shows it: what is left behind."""
        answer: list[dict[str, Any]] = self._request("/fakegoogle/state", None)["resources"]
        return answer

    def requests(self) -> dict[str, int]:
        """Compute requests answered since start or reset: `reads` (GET) and `writes`."""
        answer: dict[str, int] = self._request("/fakegoogle/requests", None)
        return answer

    def compute(self) -> Compute:
        """The real SDK clients against the fake (`fakegoogle.sdk.Compute`)."""
        from fakegoogle.sdk import Compute  # the SDK loads only for tests that use it

        return Compute(self.endpoint_url)

    def customer(self, project: str) -> Customer:
        from fakegoogle.customer import Customer

        return Customer(project, self.endpoint_url)

    def _request(self, path: str, body: object | None) -> Any:
        request = urllib.request.Request(  # noqa: S310 - always our own http://127.0.0.1 URL
            self.endpoint_url + path,
            data=None if body is None else json.dumps(body).encode(),
            method="GET" if body is None else "POST",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return json.loads(response.read())


@pytest.fixture(scope="session")
def fake_google_server() -> Iterator[FakeGoogleServer]:
    server = FakeGoogleServer(quiet=True).start()
    yield server
    server.stop()


@pytest.fixture
def fake_google(fake_google_server: FakeGoogleServer) -> FakeGoogle:
    fake = FakeGoogle(fake_google_server.endpoint_url)
    fake.reset()
    return fake
