"""The reconcile lease is kept alive while a run works and runs out soon after a crash, so a
redelivered task finds it free within seconds instead of minutes."""

import os
import socket
from datetime import timedelta

import pytest
from django.utils import timezone

from privatelink.clouds.aws.gateway import Gateway
from privatelink.engine import lease, reconcile
from privatelink.models import PrivateLink, ReconcileLease
from tests.privatelink.aws_state import aws_inventory

CRASH_BUDGET_SECONDS = 30


@pytest.fixture
def renew_at_every_call(monkeypatch):
    """A run renews its lease at every AWS call, as it would if each call took seconds."""
    monkeypatch.setattr(lease, "RENEW_AFTER_SECONDS", 0)


def _lease_of(service) -> ReconcileLease:
    return ReconcileLease.objects.get(key=reconcile.service_lease_key(service.pk))


def test_a_claim_lasts_no_longer_than_a_crash_may_cost(db):
    before = timezone.now()
    assert lease.claim("service:1", "holder")
    expires = ReconcileLease.objects.get(key="service:1").expires
    assert expires - before <= timedelta(seconds=CRASH_BUDGET_SECONDS)
    assert lease.RENEW_AFTER_SECONDS < lease.SECONDS / 2


def test_a_holder_names_its_host_and_process(db):
    host, pid, tail = lease.holder_name().split(":")
    assert host == socket.gethostname()[:40]
    assert pid == str(os.getpid())
    assert len(tail) == 8


def test_a_run_keeps_its_lease_alive_while_it_works(
    fake_aws, privatelink, service, renew_at_every_call
):
    seen: list[tuple[str, object]] = []

    class Watching(Gateway):
        def _call(self, method, *args, **kwargs):
            answer = super()._call(method, *args, **kwargs)
            row = _lease_of(service)
            seen.append((row.holder, row.expires))
            return answer

    outcome = reconcile.reconcile_service(service.pk, Watching)

    assert outcome.error == ""
    holders = {holder for holder, _ in seen}
    assert len(holders) == 1
    assert holders != {""}
    expiries = [expires for _, expires in seen]
    assert expiries == sorted(expiries)
    assert expiries[-1] > expiries[0]  # renewed, not just claimed once
    assert _lease_of(service).holder == ""  # released at the end
    privatelink.refresh_from_db()
    assert privatelink.state == PrivateLink.State.ACTIVE


def test_a_run_that_lost_its_lease_stops_before_its_next_aws_call(
    fake_aws, privatelink, service, renew_at_every_call
):
    class Stalled(Gateway):
        def create_load_balancer(self, *args, **kwargs):
            created = super().create_load_balancer(*args, **kwargs)
            # The run stalled past its lease; another run took the lease over meanwhile.
            ReconcileLease.objects.filter(key=reconcile.service_lease_key(service.pk)).update(
                holder="other-host:1:abcdef01", expires=timezone.now() + timedelta(seconds=20)
            )
            return created

    outcome = reconcile.reconcile_service(service.pk, Stalled)

    assert outcome.requeue_after is None
    assert outcome.error == ""
    assert _lease_of(service).holder == "other-host:1:abcdef01"  # not released by the loser
    inventory = aws_inventory(fake_aws)
    assert len(inventory["load_balancers"]) == 1
    assert inventory["endpoint_services"] == []  # nothing more after the lease was lost
    privatelink.refresh_from_db()
    assert privatelink.last_error == ""  # not an error: the other run carries on


def test_a_crashed_holders_lease_is_found_free_once_it_runs_out(fake_aws, privatelink, service):
    key = reconcile.service_lease_key(service.pk)
    # A worker claimed the lease and was killed: nothing released or renewed it.
    assert lease.claim(key, "dead-host:4242:0123abcd")
    left = (ReconcileLease.objects.get(key=key).expires - timezone.now()).total_seconds()

    busy = reconcile.reconcile_service(service.pk)

    # The redelivered task backs off, at most BUSY_RETRY_SECONDS at a time (a live holder
    # finishes sooner) and never past the moment the dead holder's lease runs out.
    assert left <= lease.SECONDS <= CRASH_BUDGET_SECONDS
    assert busy.requeue_after == pytest.approx(
        min(reconcile.BUSY_RETRY_SECONDS, left + reconcile.BUSY_MARGIN_SECONDS), abs=0.2
    )
    ReconcileLease.objects.filter(key=key).update(expires=timezone.now() + timedelta(seconds=3))
    again = reconcile.reconcile_service(service.pk)
    assert again.requeue_after == pytest.approx(3 + reconcile.BUSY_MARGIN_SECONDS, abs=0.2)

    ReconcileLease.objects.filter(key=key).update(expires=timezone.now())  # that time passed
    done = reconcile.reconcile_service(service.pk)

    assert done.error == ""
    privatelink.refresh_from_db()
    assert privatelink.state == PrivateLink.State.ACTIVE
    assert _lease_of(service).holder == ""
