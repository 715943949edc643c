"""Checking a built Project VPC in AWS (before every NLB is created) writes nothing when
nothing changed: a save of the row replaces the change token of every service in it; and
one check vouches for the VPC to the NLB creations of its other links for a few seconds."""

import pytest
from django.core.cache import cache
from django.db.models.signals import post_save

from console.models import ProjectVPC
from privatelink.clouds.aws import project_vpc
from privatelink.clouds.aws.gateway import Gateway
from privatelink.engine import reconcile

pytestmark = pytest.mark.django_db


def test_checking_an_unchanged_vpc_saves_nothing_and_a_changed_one_is_saved(fake_aws, service):
    vpc = service.project_vpc
    reconcile.reconcile_project_vpc(vpc.pk)
    vpc.refresh_from_db()
    built = (vpc.aws_vpc_id, vpc.subnets, vpc.updated)
    saved = []

    def record(sender, instance, **kwargs):
        saved.append(instance.pk)

    post_save.connect(record, sender=ProjectVPC)
    try:
        checked = project_vpc.ensure_project_vpc(vpc, Gateway(fake_aws.region))
        assert saved == []
        assert (checked.aws_vpc_id, checked.subnets) == built[:2]
        vpc.refresh_from_db()
        assert vpc.updated == built[2]

        # A subnet lost in AWS is made again, and the row records it.
        gone = vpc.subnets[0]["subnet_id"]
        fake_aws.client("ec2").delete_subnet(SubnetId=gone)
        project_vpc.ensure_project_vpc(vpc, Gateway(fake_aws.region))
    finally:
        post_save.disconnect(record, sender=ProjectVPC)
    assert saved == [vpc.pk]
    vpc.refresh_from_db()
    assert gone not in [s["subnet_id"] for s in vpc.subnets]
    assert vpc.state == ProjectVPC.State.ACTIVE


class _Counting(Gateway):
    """The gateway, counting the AWS operations it calls."""

    calls: list[str] = []

    def _client(self, name):
        client = super()._client(name)
        client.meta.events.register(
            "before-call",
            lambda model, **_: _Counting.calls.append(model.name),
            unique_id="count-vpc-check",
        )
        return client


VPC_CHECK = ["DescribeVpcs", "DescribeSubnets", "DescribeAvailabilityZones"]


def _forget_check(vpc: ProjectVPC) -> None:
    # As when CHECK_VOUCHES_SECONDS have passed since the last check (building the VPC is one).
    cache.delete(project_vpc._checked_key(vpc))


def _vpc_checks(calls: list[str]) -> int:
    return calls.count("DescribeVpcs")


def test_nlbs_created_in_one_vpc_within_moments_check_it_in_aws_once(
    fake_aws, service, project, developer, queued
):
    from privatelink import actions
    from tests.factories import ServiceFactory

    vpc = service.project_vpc
    reconcile.reconcile_project_vpc(vpc.pk)
    _forget_check(vpc)
    other = ServiceFactory(project=project, name="other-kafka", project_vpc=vpc, nodes=3)
    for svc in (service, other):
        actions.create_privatelink(svc, ["*"], actor=developer)
    fake_aws.set_delays(nlb=600)
    _Counting.calls = []

    reconcile.reconcile_service(service.pk, _Counting)
    assert _vpc_checks(_Counting.calls) == 1
    assert "CreateLoadBalancer" in _Counting.calls
    _Counting.calls = []
    reconcile.reconcile_service(other.pk, _Counting)
    # The first creation's check vouches for the VPC: the second NLB is made without one.
    assert [c for c in _Counting.calls if c in VPC_CHECK] == []
    assert "CreateLoadBalancer" in _Counting.calls


def test_a_vpc_check_vouches_only_for_what_the_row_still_records_and_not_for_long(
    fake_aws, service
):
    vpc = service.project_vpc
    reconcile.reconcile_project_vpc(vpc.pk)
    vpc.refresh_from_db()
    _forget_check(vpc)
    gateway = _Counting(fake_aws.region)
    _Counting.calls = []
    project_vpc.checked_for_new_load_balancer(vpc, gateway)
    project_vpc.checked_for_new_load_balancer(vpc, gateway)
    assert _vpc_checks(_Counting.calls) == 1

    # Another run recorded other subnets: what was checked no longer vouches for the row.
    vpc.subnets = [{**vpc.subnets[0], "subnet_id": "subnet-0other"}, *vpc.subnets[1:]]
    project_vpc.checked_for_new_load_balancer(vpc, gateway)
    assert _vpc_checks(_Counting.calls) == 2

    # Once the check has lapsed, the next creation checks again.
    _forget_check(vpc)
    project_vpc.checked_for_new_load_balancer(vpc, gateway)
    assert _vpc_checks(_Counting.calls) == 3
