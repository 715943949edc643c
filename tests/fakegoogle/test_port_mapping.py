"""Private Service Connect port mapping through the real SDK: a regional
GCE_VM_IP_PORTMAP network endpoint group, its endpoints attached, listed and detached as
Google validates them, behind a port mapping service (no health check) and an all-ports
forwarding rule."""

import pytest
from google.api_core import exceptions
from google.cloud import compute_v1

from fakegoogle.pytest_plugin import PLATFORM_PROJECT
from fakegoogle.sdk import Compute
from tests.fakegoogle.conftest import REGION, scope

ZONE = f"{REGION}-b"


def instance(name: str, zone: str = ZONE, project: str = PLATFORM_PROJECT) -> str:
    return f"projects/{project}/zones/{zone}/instances/{name}"


def endpoint(vm: str, port: int, client_port: int, zone: str = ZONE) -> compute_v1.NetworkEndpoint:
    return compute_v1.NetworkEndpoint(
        instance=instance(vm, zone), port=port, client_destination_port=client_port
    )


def _group(compute: Compute, name: str = "neg", **fields: object) -> None:
    resource = compute_v1.NetworkEndpointGroup(
        name=name,
        network_endpoint_type="GCE_VM_IP_PORTMAP",
        network=scope("networks", "net"),
        subnetwork=scope("subnetworks", "nodes"),
    )
    for key, value in fields.items():
        setattr(resource, key, value)
    compute.wait(
        compute.endpoint_groups.insert(
            project=PLATFORM_PROJECT, region=REGION, network_endpoint_group_resource=resource
        ),
        PLATFORM_PROJECT,
    )


def _attach(compute: Compute, *endpoints: compute_v1.NetworkEndpoint) -> None:
    compute.wait(
        compute.endpoint_groups.attach_network_endpoints(
            project=PLATFORM_PROJECT,
            region=REGION,
            network_endpoint_group="neg",
            region_network_endpoint_groups_attach_endpoints_request_resource=(
                compute_v1.RegionNetworkEndpointGroupsAttachEndpointsRequest(
                    network_endpoints=list(endpoints)
                )
            ),
        ),
        PLATFORM_PROJECT,
    )


def _detach(compute: Compute, *endpoints: compute_v1.NetworkEndpoint) -> None:
    compute.wait(
        compute.endpoint_groups.detach_network_endpoints(
            project=PLATFORM_PROJECT,
            region=REGION,
            network_endpoint_group="neg",
            region_network_endpoint_groups_detach_endpoints_request_resource=(
                compute_v1.RegionNetworkEndpointGroupsDetachEndpointsRequest(
                    network_endpoints=list(endpoints)
                )
            ),
        ),
        PLATFORM_PROJECT,
    )


def _mapped(compute: Compute) -> list[tuple[str, int, int]]:
    return sorted(
        (
            item.network_endpoint.instance,
            item.network_endpoint.port,
            item.network_endpoint.client_destination_port,
        )
        for item in compute.endpoint_groups.list_network_endpoints(
            project=PLATFORM_PROJECT, region=REGION, network_endpoint_group="neg"
        )
    )


def test_a_port_mapping_group_maps_each_client_port_to_one_vms_port(producer):
    compute = producer.compute
    _group(compute)

    _attach(compute, endpoint("kafka-1", 9092, 10001), endpoint("kafka-2", 9092, 10002))
    _detach(compute, endpoint("kafka-1", 9092, 10001))

    group = compute.endpoint_groups.get(
        project=PLATFORM_PROJECT, region=REGION, network_endpoint_group="neg"
    )
    assert group.network_endpoint_type == "GCE_VM_IP_PORTMAP"
    assert group.size == 1
    assert _mapped(compute) == [(instance("kafka-2"), 9092, 10002)]


@pytest.mark.parametrize(
    "bad",
    [
        endpoint("kafka-3", 9092, 10001),  # client port already mapped
        endpoint("kafka-3", 9092, 10003, zone="us-east1-b"),  # another region's zone
        endpoint("kafka-3", 0, 10003),  # no service port
        compute_v1.NetworkEndpoint(instance=instance("kafka-3"), port=9092),  # no client port
        compute_v1.NetworkEndpoint(ip_address="10.0.0.5", port=9092, client_destination_port=1),
    ],
)
def test_an_endpoint_google_would_refuse_is_refused(producer, bad):
    _group(producer.compute)
    _attach(producer.compute, endpoint("kafka-1", 9092, 10001))

    with pytest.raises(exceptions.BadRequest):
        _attach(producer.compute, bad)

    assert _mapped(producer.compute) == [(instance("kafka-1"), 9092, 10001)]


def test_detaching_an_endpoint_the_group_does_not_hold_is_refused(producer):
    _group(producer.compute)

    with pytest.raises(exceptions.BadRequest):
        _detach(producer.compute, endpoint("kafka-1", 9092, 10001))


def test_only_port_mapping_groups_are_served(producer):
    with pytest.raises(exceptions.BadRequest):
        _group(producer.compute, network_endpoint_type="GCE_VM_IP_PORT")


def test_a_port_mapping_service_has_no_health_check_and_an_all_ports_rule(producer):
    compute = producer.compute
    _group(compute)
    neg = scope("networkEndpointGroups", "neg")

    def service(name: str, **fields: object) -> None:
        compute.wait(
            compute.backend_services.insert(
                project=PLATFORM_PROJECT,
                region=REGION,
                backend_service_resource=compute_v1.BackendService(
                    name=name,
                    load_balancing_scheme="INTERNAL",
                    protocol="TCP",
                    backends=[compute_v1.Backend(group=neg)],
                    **fields,
                ),
            ),
            PLATFORM_PROJECT,
        )

    def rule(**fields: object) -> None:
        compute.wait(
            compute.forwarding_rules.insert(
                project=PLATFORM_PROJECT,
                region=REGION,
                forwarding_rule_resource=compute_v1.ForwardingRule(
                    name="pm-rule",
                    load_balancing_scheme="INTERNAL",
                    backend_service=scope("backendServices", "pm"),
                    subnetwork=scope("subnetworks", "nodes"),
                    I_p_protocol="TCP",
                    **fields,
                ),
            ),
            PLATFORM_PROJECT,
        )

    with pytest.raises(exceptions.BadRequest):
        service("checked", health_checks=[scope("healthChecks", "hc")])
    service("pm")
    with pytest.raises(exceptions.BadRequest):
        rule(ports=["10001"])
    rule(all_ports=True)

    # The group is held by its service: it goes once the service has gone.
    with pytest.raises(exceptions.BadRequest):
        compute.endpoint_groups.delete(
            project=PLATFORM_PROJECT, region=REGION, network_endpoint_group="neg"
        )
