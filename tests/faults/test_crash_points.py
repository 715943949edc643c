"""A crash at every AWS-call boundary of create and of delete: the worker dies right after
AWS answered, before the database is saved. Reconciling again must leave exactly the
desired resources in AWS, nothing more, whichever call the crash followed.

FAULTS_CRASH_POINTS=all (as `make bench` runs it) crashes after every call; the default
crashes after every call that changes AWS, where a lost save could leak or duplicate.
"""

import os

import pytest

from console.models import Service
from privatelink import actions
from privatelink.engine import reconcile
from privatelink.models import PrivateLink
from tests.constants import CUSTOMER_ACCOUNT, CUSTOMER_ROLE
from tests.factories import ProjectFactory, ServiceFactory
from tests.faults.injection import Crash, Faults
from tests.privatelink.aws_state import aws_inventory
from tests.privatelink.engine import converge

_clients: dict[tuple[str, str], object] = {}


class _ReusedClients:
    """fake_aws with one client per service, so that listing AWS stays cheap."""

    def __init__(self, fake_aws) -> None:
        self.fake_aws = fake_aws

    def client(self, name: str):
        key = (self.fake_aws.endpoint_url, name)
        if key not in _clients:
            _clients[key] = self.fake_aws.client(name)
        return _clients[key]


EVERY_CALL = os.environ.get("FAULTS_CRASH_POINTS", "") == "all"


def crash_points(reference: Faults) -> list[int]:
    """1-based positions of the calls to crash after."""
    return [
        k
        for k, name in enumerate(reference.calls, start=1)
        if EVERY_CALL or name in reference.mutating_calls
    ]


def fingerprint(fake_aws) -> dict[str, object]:
    """What the platform account holds, in terms that do not depend on generated ids."""
    reused = _ReusedClients(fake_aws)
    inventory = aws_inventory(reused)
    ec2 = reused.client("ec2")
    live_services = [
        s
        for s in inventory["endpoint_services"]
        if s["ServiceState"].lower() not in ("deleting", "deleted")
    ]
    return {
        "vpcs": len(ec2.describe_vpcs()["Vpcs"]),
        "subnets": len(ec2.describe_subnets()["Subnets"]),
        "load_balancers": len(inventory["load_balancers"]),
        "target_groups": len(inventory["target_groups"]),
        "listener_ports": sorted(listener["Port"] for listener in inventory["listeners"]),
        "endpoint_services": len(live_services),
        "allowed_principals": sorted(
            p["Principal"]
            for s in live_services
            for p in ec2.describe_vpc_endpoint_service_permissions(ServiceId=s["ServiceId"])[
                "AllowedPrincipals"
            ]
        ),
        "dns_records": sorted(inventory["dns_records"]),
    }


def _new_service(index: int, developer) -> Service:
    """A service in a project and Project VPC of its own, so each round starts from nothing."""
    project = ProjectFactory(name=f"crash-{index}")
    developer.memberships.create(project=project, role="developer")
    service = ServiceFactory(project=project, name="my-kafka", service_type="kafka", nodes=2)
    actions.create_privatelink(service, [CUSTOMER_ROLE], actor=developer)
    actions.set_component_access(service, {"kafka": True, "schema_registry": True}, actor=developer)
    return service


def _connect(fake_aws, service: Service) -> None:
    link = PrivateLink.objects.get(service=service)
    fake_aws.customer(CUSTOMER_ACCOUNT, CUSTOMER_ROLE).create_endpoint(link.aws.service_name)


def _build_with_a_connection(fake_aws, service: Service) -> None:
    converge(service)
    _connect(fake_aws, service)
    converge(service)


def _crash_then_converge(service: Service, crash_after: int) -> Faults:
    faults = Faults(crash_after_call=crash_after)
    with pytest.raises(Crash):
        converge(service, faults.gateway())
    converge(service)
    return faults


def test_a_crash_after_any_aws_call_of_create_converges_to_exactly_the_desired_resources(
    fake_aws, developer, queued
):
    reference = Faults()
    service = _new_service(0, developer)
    converge(service, reference.gateway())
    desired = fingerprint(fake_aws)
    assert desired["load_balancers"] == 1
    assert desired["endpoint_services"] == 1
    assert desired["allowed_principals"] == [CUSTOMER_ROLE]

    points = crash_points(reference)
    crashed_after = []
    for k in points:
        fake_aws.reset()
        service = _new_service(k, developer)
        faults = _crash_then_converge(service, k)
        crashed_after.append(faults.crashed_at)
        link = PrivateLink.objects.get(service=service)
        assert link.state == PrivateLink.State.ACTIVE, f"crash after call {k}"
        assert link.observed_generation == link.generation
        assert link.last_error == ""
        assert fingerprint(fake_aws) == desired, f"crash after call {k} ({faults.crashed_at})"

    print(f"\ncreate: {len(points)} crash points covered: {', '.join(crashed_after)}")
    assert len(crashed_after) == len(points)
    assert set(reference.mutating_calls) <= set(crashed_after)


def test_a_crash_after_any_aws_call_of_delete_leaves_nothing_behind(fake_aws, developer, queued):
    service = _new_service(0, developer)
    _build_with_a_connection(fake_aws, service)
    nothing = fingerprint(fake_aws) | {
        "load_balancers": 0,
        "target_groups": 0,
        "listener_ports": [],
        "endpoint_services": 0,
        "allowed_principals": [],
        "dns_records": [],
    }
    assert fingerprint(fake_aws) != nothing
    reference = Faults()
    actions.delete_privatelink(PrivateLink.objects.get(service=service), actor=developer)
    converge(service, reference.gateway())
    assert not PrivateLink.objects.filter(service=service).exists()
    assert fingerprint(fake_aws) == nothing

    points = crash_points(reference)
    crashed_after = []
    for k in points:
        fake_aws.reset()
        service = _new_service(k, developer)
        _build_with_a_connection(fake_aws, service)
        actions.delete_privatelink(PrivateLink.objects.get(service=service), actor=developer)
        faults = _crash_then_converge(service, k)
        crashed_after.append(faults.crashed_at)
        assert not PrivateLink.objects.filter(service=service).exists(), f"crash after call {k}"
        assert fingerprint(fake_aws) == nothing, f"crash after call {k} ({faults.crashed_at})"

    print(f"\ndelete: {len(points)} crash points covered: {', '.join(crashed_after)}")
    assert len(crashed_after) == len(points)
    assert set(reference.mutating_calls) <= set(crashed_after)


def test_the_reference_runs_make_aws_calls_the_crash_tests_can_count(fake_aws, developer, queued):
    # Guards the two tests above against measuring nothing: hooks see every call.
    faults = Faults()
    service = _new_service(0, developer)
    converge(service, faults.gateway())
    assert "CreateLoadBalancer" in faults.mutating_calls
    assert "CreateVpcEndpointServiceConfiguration" in faults.mutating_calls
    assert reconcile.reconcile_service(service.pk).requeue_after is None
