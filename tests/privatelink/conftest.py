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


CUSTOMER_ACCOUNT = "111122223333"
CUSTOMER_ROLE = f"arn:aws:iam::{CUSTOMER_ACCOUNT}:role/app"


@pytest.fixture
def kafka_over_privatelink(fake_aws, service, developer, queued):
    """my-kafka (business-4, 3 brokers) with an active connection and kafka enabled."""
    from privatelink import actions
    from privatelink.models import PrivateLinkConnection
    from tests.privatelink.engine import converge

    link = actions.create_privatelink(service, [CUSTOMER_ROLE], actor=developer).link
    converge(service)
    link.refresh_from_db()
    fake_aws.customer(CUSTOMER_ACCOUNT, CUSTOMER_ROLE).create_endpoint(link.aws_service_name)
    actions.set_component_access(service, {"kafka": True}, actor=developer)
    converge(service)
    assert PrivateLinkConnection.objects.get().state == PrivateLinkConnection.State.ACTIVE
    service.refresh_from_db()
    return link
