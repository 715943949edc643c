"""Checking a built Project VPC in AWS (before every NLB is created) writes nothing when
nothing changed: a save of the row replaces the change token of every service in it."""

import pytest
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
