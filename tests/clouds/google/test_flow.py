"""A PrivateLink's whole life on Google through the gateway, with a customer using the real
SDK: built in order, connected, accepted, refused, taken down in Google's order."""

from privatelink.clouds.driver import Phase
from privatelink.clouds.google import connections, names
from privatelink.clouds.google.network import free_nat_range
from tests.clouds.google.conftest import CUSTOMER, NODES_GROUP, STRANGER

LINK = 7
OWNER = f"privatelink/{LINK}"


def test_a_link_is_built_connected_and_taken_down_leaving_only_the_network(gateway, fake_google):
    network = gateway.create_network("net", "project-vpc/1")
    nodes = gateway.create_subnet("nodes", network, "10.40.0.0/16", "project-vpc/1")
    nat_range = free_nat_range(s.ip_cidr_range for s in gateway.subnets_of(network))
    nat = gateway.create_subnet(
        names.nat_subnet_name(LINK), network, nat_range, OWNER, psc_nat=True
    )
    check = gateway.create_health_check(names.health_check_name(LINK), 9092, OWNER)
    service = gateway.create_backend_service(
        names.backend_service_name(LINK), check, [NODES_GROUP], OWNER
    )
    rule = gateway.create_forwarding_rule(
        names.forwarding_rule_name(LINK), service, nodes, [9092, 9093], OWNER
    )
    attachment = gateway.create_service_attachment(
        names.service_attachment_name(LINK), rule.self_link, nat.self_link, OWNER
    )

    fake_google.customer(CUSTOMER).create_endpoint(attachment.path, "mine")
    fake_google.customer(STRANGER).create_endpoint(attachment.path, "theirs")
    observed = {c.owner: c for c in connections.observe(gateway, [attachment.path])}
    connections.accept(gateway, attachment.path, [observed[CUSTOMER].endpoint_id])
    connections.reject(gateway, attachment.path, [observed[STRANGER].endpoint_id])
    settled = {c.owner: c.phase for c in connections.observe(gateway, [attachment.path])}

    for resource in gateway.our_resources():
        if resource.owned_by(OWNER):
            gateway.delete_resource(resource)

    assert nat_range == "172.24.0.0/26"
    assert {c.phase for c in observed.values()} == {Phase.PENDING}
    assert settled == {CUSTOMER: Phase.AVAILABLE, STRANGER: Phase.REJECTED}
    left = sorted((r["kind"], r["name"]) for r in fake_google.resources())
    assert left == [
        ("compute#forwardingRule", "mine"),
        ("compute#forwardingRule", "theirs"),
        ("compute#network", "customer-network"),
        ("compute#network", "customer-network"),
        ("compute#network", "net"),
        ("compute#subnetwork", "endpoints"),
        ("compute#subnetwork", "endpoints"),
        ("compute#subnetwork", "nodes"),
    ]
    assert fake_google.customer(CUSTOMER).endpoint("europe-west1", "mine").status == "CLOSED"
