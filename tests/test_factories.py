"""The factories build rows as the actions and the reconciler would leave them."""

import pytest

from privatelink.engine import planner
from privatelink.models import AwsPrivateLink, PrivateLink
from tests.constants import CUSTOMER_ROLE, SAME_ACCOUNT_ROLE
from tests.factories import ConnectionFactory, ListenerFactory, PrivateLinkFactory

pytestmark = pytest.mark.django_db


def test_a_privatelink_is_active_and_converged_with_its_principals_sorted():
    link = PrivateLinkFactory(principals=[SAME_ACCOUNT_ROLE, CUSTOMER_ROLE])
    assert link.principals == [CUSTOMER_ROLE, SAME_ACCOUNT_ROLE]
    assert link.state == PrivateLink.State.ACTIVE
    assert link.aws.service_name == f"com.amazonaws.vpce.eu-west-1.{link.aws.service_id}"
    assert link.observed_generation == link.generation


def test_a_creating_privatelink_has_no_endpoint_service_yet():
    link = PrivateLinkFactory(state=PrivateLink.State.CREATING, converged=False)
    assert not AwsPrivateLink.objects.filter(privatelink=link).exists()
    assert link.observed_generation == 0


def test_connections_of_one_link_differ_by_their_number():
    link = PrivateLinkFactory()
    first, second = (ConnectionFactory(privatelink=link, number=n) for n in (1, 2))
    assert first.privatelink_connection_id != second.privatelink_connection_id
    assert second.dns_name.startswith(second.endpoint_id)


def test_a_listener_takes_the_slot_the_planner_gives_it():
    connection = ConnectionFactory()
    node = connection.privatelink.service.nodes.order_by("name").first()
    listener = ListenerFactory(
        privatelink=connection.privatelink, connection=connection, node=node, port=10000
    )
    assert listener.slot == planner.slot_key(
        "kafka", connection.privatelink_connection_id, node.name
    )
    assert ListenerFactory(component="schema_registry").slot == "schema_registry"
