"""pytest fixture `fake_aws`: a fake AWS server for the session, reset before each test.

Register with `pytest_plugins = ["fakeaws.pytest_plugin"]`. The server runs in a thread of
the test process on a free port of 127.0.0.1; the fixture points the standard AWS
environment at it, so code under test and any process it starts (a Celery worker) reach
it exactly as they would reach real AWS.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from fakeaws.customer import Customer, platform_client
from fakeaws.server import FakeAwsServer

REGION = "eu-west-1"
PLATFORM_ACCOUNT = "123456789012"  # moto's default account: any unknown key lands here


class FakeAws:
    """Handle on a running fake AWS, whichever process serves it."""

    def __init__(self, endpoint_url: str, region: str = REGION) -> None:
        self.endpoint_url = endpoint_url
        self.region = region

    def reset(self) -> None:
        """Wipe all AWS state and restore the start-up delays."""
        self._post("/moto-api/reset", None)

    def set_delays(self, **delays: float) -> dict[str, float]:
        """Change delays (seconds: nlb, endpoint_service, health_check) until the next reset."""
        answer: dict[str, float] = json.loads(self._post("/fakeaws/delays", delays))
        return answer

    def set_quotas(self, **values: int) -> dict[str, int]:
        """Change ELB quotas (fakeaws.quotas.Quotas names) until the next reset."""
        answer: dict[str, int] = json.loads(self._post("/fakeaws/quotas", values))
        return answer

    def advance_clock(self, seconds: float) -> None:
        """Move the fake's clock forward: delays and drains that long are over."""
        self._post("/fakeaws/clock", {"advance": seconds})

    def client(self, service_name: str) -> Any:
        """A boto3 client of the platform account (dummy credentials)."""
        return platform_client(service_name, self.region, self.endpoint_url)

    def customer(self, account_id: str, principal_arn: str) -> Customer:
        """The customer side, acting as principal_arn in account_id."""
        return Customer(account_id, principal_arn, self.endpoint_url, self.region)

    def _post(self, path: str, body: object) -> bytes:
        data = b"" if body is None else json.dumps(body).encode()
        request = urllib.request.Request(  # noqa: S310 - always our own http://127.0.0.1 URL
            self.endpoint_url + path,
            data=data,
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            payload: bytes = response.read()
            return payload


@pytest.fixture(scope="session")
def fake_aws_server() -> Iterator[FakeAwsServer]:
    with pytest.MonkeyPatch.context() as monkeypatch:
        # See fakeaws.server.skip_default_amis: moto reads it at each account's first call.
        monkeypatch.setenv("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
        server = FakeAwsServer(quiet=True).start()
        yield server
        server.stop()


@pytest.fixture
def fake_aws(fake_aws_server: FakeAwsServer, monkeypatch: pytest.MonkeyPatch) -> FakeAws:
    fake = FakeAws(fake_aws_server.endpoint_url)
    fake.reset()
    monkeypatch.setenv("AWS_ENDPOINT_URL", fake.endpoint_url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", fake.region)
    # Anything that would steer requests to another account or real credentials.
    for name in ("MOTO_ACCOUNT_ID", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    return fake
