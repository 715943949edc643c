"""The factories build rows as the actions and the reconciler would leave them."""

import ipaddress

import pytest

from console import zones
from privatelink.engine import planner
from privatelink.models import AwsPrivateLink, PrivateLink
from tests.constants import CUSTOMER_ROLE, SAME_ACCOUNT_ROLE
from tests.factories import (
    ConnectionFactory,
    ListenerFactory,
    PrivateLinkFactory,
    ServiceFactory,
)

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


@pytest.mark.parametrize("service_id", [1, 1638, 5000])
def test_each_node_lies_in_its_own_zones_subnet_whatever_the_services_id(service_id):
    # PostgreSQL never reuses ids after a rollback: a long run's services have large ones.
    service = ServiceFactory(id=service_id, nodes=6)
    subnets = zip("abc", zones.subnet_cidrs(service.project_vpc.cidr), strict=True)
    zone_of = {f"eu-west-1{letter}": ipaddress.IPv4Network(cidr) for letter, cidr in subnets}
    nodes = list(service.nodes.order_by("name"))

    assert [
        next((z for z, net in zone_of.items() if ipaddress.IPv4Address(n.private_ip) in net), "")
        for n in nodes
    ] == [n.availability_zone for n in nodes]
    assert len({n.private_ip for n in nodes}) == 6
