"""Fixtures of the PrivateLink engine tests: a PrivateLink as a customer asks for it, and
one carried out to an active connection with Kafka over privatelink."""

import pytest

from privatelink import actions
from privatelink.models import PrivateLinkConnection
from tests.constants import CUSTOMER_ACCOUNT, CUSTOMER_ROLE
from tests.privatelink.engine import converge


@pytest.fixture
def privatelink(service, developer, queued):
    """my-kafka's PrivateLink allowing CUSTOMER_ROLE, created and not yet reconciled."""
    return actions.create_privatelink(service, [CUSTOMER_ROLE], actor=developer).link


@pytest.fixture
def kafka_over_privatelink(fake_aws, service, developer, queued):
    """my-kafka (business-4, 3 brokers) with an active connection and kafka enabled."""
    link = actions.create_privatelink(service, [CUSTOMER_ROLE], actor=developer).link
    converge(service)
    link.refresh_from_db()
    fake_aws.customer(CUSTOMER_ACCOUNT, CUSTOMER_ROLE).create_endpoint(link.aws.service_name)
    actions.set_component_access(service, {"kafka": True}, actor=developer)
    converge(service)
    assert PrivateLinkConnection.objects.get().state == PrivateLinkConnection.State.ACTIVE
    service.refresh_from_db()
    return link
