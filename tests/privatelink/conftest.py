"""Fixtures of the PrivateLink engine tests: a queue that records instead of publishing."""

import pytest


@pytest.fixture
def queued(monkeypatch):
    """Records reconciles queued by actions and receivers, without a broker."""
    from privatelink import queue

    calls: list[tuple[str, int]] = []
    monkeypatch.setattr(
        queue, "reconcile_service", lambda pk, countdown=None: calls.append(("service", pk)) or True
    )
    monkeypatch.setattr(
        queue,
        "reconcile_project_vpc",
        lambda pk, countdown=None: calls.append(("project_vpc", pk)) or True,
    )
    return calls
