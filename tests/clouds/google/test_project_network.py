"""A Project VPC's network on Google: built once, recorded on the row, removed with it."""

import pytest

from console.models import ProjectVPC
from privatelink.clouds.google import project_network
from privatelink.clouds.google.names import network_name, nodes_subnet_name
from tests.factories import ProjectVPCFactory

pytestmark = pytest.mark.django_db


def _kinds(fake_google):
    return sorted((r["kind"], r["name"]) for r in fake_google.resources())


def test_project_vpc_builds_its_network_and_records_the_nodes_subnet(gateway, fake_google):
    vpc = ProjectVPCFactory(cidr="10.30.0.0/16", state=ProjectVPC.State.CREATING)

    project_network.ensure_network(vpc, gateway)
    vpc.refresh_from_db()

    assert vpc.state == ProjectVPC.State.ACTIVE
    assert project_network.is_built(vpc)
    [recorded] = vpc.subnets
    assert recorded["name"] == "nodes"
    assert recorded["address_prefix"] == "10.30.0.0/16"
    assert recorded["subnet_id"].endswith(f"/subnetworks/{nodes_subnet_name(vpc.pk)}")
    assert project_network.network_link(vpc).endswith(f"/networks/{network_name(vpc.pk)}")
    # Run again: the same network, found by its name and marks.
    project_network.ensure_network(vpc, gateway)
    assert _kinds(fake_google) == [
        ("compute#network", network_name(vpc.pk)),
        ("compute#subnetwork", nodes_subnet_name(vpc.pk)),
    ]


def test_a_deleted_project_vpc_takes_its_network_with_it(gateway, fake_google):
    vpc = ProjectVPCFactory(cidr="10.30.0.0/16")
    project_network.ensure_network(vpc, gateway)

    project_network.remove_network(vpc, gateway)

    assert fake_google.resources() == []
    assert not ProjectVPC.objects.filter(pk=vpc.pk).exists()


def test_a_network_of_another_owner_under_the_name_is_left_alone(gateway, fake_google):
    vpc = ProjectVPCFactory(cidr="10.30.0.0/16")
    name = network_name(vpc.pk)
    gateway.create_network(name, "project-vpc/999999")

    project_network.remove_network(vpc, gateway)

    assert _kinds(fake_google) == [("compute#network", name)]
