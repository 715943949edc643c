"""Fixtures of the fault tests: boto3 clients reused across the gateways of one test."""

from typing import Any

import pytest

from privatelink.clouds.aws.gateway import clients
from tests.faults.injection import fresh_client


@pytest.fixture(autouse=True)
def reused_clients(monkeypatch):
    """Plain gateways share one client per service, region and endpoint for the test."""
    made: dict[tuple[str, str, str, str | None], Any] = {}

    def client(service_name: str, region: str, role_arn: str | None = None) -> Any:
        key = (service_name, region, clients.endpoint_url(), role_arn)
        if key not in made:
            made[key] = fresh_client(service_name, region, role_arn)
        return made[key]

    monkeypatch.setattr(clients, "client", client)
