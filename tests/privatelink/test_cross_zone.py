"""Cross-zone load balancing on every PrivateLink NLB: set when the NLB is created, found
off by the sweep's deep check, and switched on again by the reconcile."""

import pytest

from console.models import AuditEvent
from privatelink import sweep
from privatelink.clouds.aws.gateway import Gateway
from privatelink.engine import reconcile
from tests.faults.injection import Crash
from tests.privatelink.engine import converge

CROSS_ZONE = "load_balancing.cross_zone.enabled"


def cross_zone(fake_aws, arn: str) -> str:
    answer = fake_aws.client("elbv2").describe_load_balancer_attributes(LoadBalancerArn=arn)
    return {a["Key"]: a["Value"] for a in answer["Attributes"]}[CROSS_ZONE]


def switch_off(fake_aws, arn: str) -> None:
    fake_aws.client("elbv2").modify_load_balancer_attributes(
        LoadBalancerArn=arn, Attributes=[{"Key": CROSS_ZONE, "Value": "false"}]
    )


def test_a_new_nlb_has_cross_zone_load_balancing_on(fake_aws, privatelink, service):
    converge(service)
    privatelink.refresh_from_db()

    assert cross_zone(fake_aws, privatelink.aws.nlb_arn) == "true"
    assert not AuditEvent.objects.filter(action="privatelink.drift_repaired").exists()


def test_the_sweep_finds_cross_zone_switched_off_and_the_reconcile_repairs_it(
    fake_aws, privatelink, service, queued
):
    converge(service)
    privatelink.refresh_from_db()
    switch_off(fake_aws, privatelink.aws.nlb_arn)
    queued.clear()

    # Compared on the link's turn of the deep-check rotation only.
    assert sweep.sweep(turn=privatelink.pk + 1).drifted == set()
    assert sweep.sweep(turn=privatelink.pk).drifted == {service.pk}
    converge(service)

    assert cross_zone(fake_aws, privatelink.aws.nlb_arn) == "true"
    repaired = AuditEvent.objects.get(action="privatelink.drift_repaired")
    assert (repaired.after["resource"], repaired.actor_label) == (
        "cross-zone load balancing",
        "system",
    )
    assert sweep.sweep(turn=privatelink.pk).drifted == set()


def test_a_run_stopped_right_after_creating_the_nlb_switches_it_on_without_drift(
    fake_aws, privatelink, service
):
    class CrashAfterCreate(Gateway):
        def create_load_balancer(self, *args, **kwargs):
            super().create_load_balancer(*args, **kwargs)
            raise Crash

    with pytest.raises(Crash):
        reconcile.reconcile_service(service.pk, CrashAfterCreate)
    converge(service)
    privatelink.refresh_from_db()

    assert cross_zone(fake_aws, privatelink.aws.nlb_arn) == "true"
    assert not AuditEvent.objects.filter(action="privatelink.drift_repaired").exists()
