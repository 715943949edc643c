"""While an NLB provisions, the reconciler looks at it again on the NLB's own clock: every
NLB_POLL_SECONDS of its age, just after, however long the runs before waited in the queue."""

from datetime import UTC, datetime, timedelta

import pytest

from privatelink.clouds.aws import provision
from privatelink.clouds.aws.gateway import AwsLoadBalancer

NOW = datetime(2026, 12, 4, 21, 0, 0, tzinfo=UTC)


def _created(seconds_ago: float | None) -> AwsLoadBalancer:
    created = None if seconds_ago is None else NOW - timedelta(seconds=seconds_ago)
    return AwsLoadBalancer("arn", "pl-7", "provisioning", "dns", created=created)


@pytest.fixture
def frozen_now(monkeypatch):
    monkeypatch.setattr(provision.timezone, "now", lambda: NOW)


@pytest.mark.parametrize(
    ("age", "wait"),
    [
        (0.0, 5.5),  # just created: at 5.5 s
        (5.6, 4.9),  # looked at 5.6 s (queued 0.1 s): at 10.5 s
        (12.2, 3.3),  # looked late, at 12.2 s: back on the clock at 15.5 s, not 17.2 s
        (29.9, 0.6),  # the look due at 25.5 s ran at 29.9 s: the next is still at 30.5 s
    ],
)
@pytest.mark.usefixtures("frozen_now")
def test_the_next_look_is_on_the_nlbs_clock(age, wait):
    assert provision.next_look_at_load_balancer(_created(age)) == pytest.approx(wait)


@pytest.mark.usefixtures("frozen_now")
def test_without_a_creation_time_or_ahead_of_our_clock_the_look_is_a_poll_later():
    assert provision.next_look_at_load_balancer(_created(None)) == provision.NLB_POLL_SECONDS
    assert provision.next_look_at_load_balancer(_created(-3)) == provision.NLB_POLL_SECONDS


@pytest.mark.django_db
def test_a_look_at_a_provisioning_nlb_asks_its_state_alone_and_publishes_it_once_up(
    fake_aws, privatelink, service, monkeypatch
):
    from privatelink.clouds.aws import nlb_looks
    from privatelink.clouds.aws.gateway import Gateway
    from privatelink.engine import reconcile

    fake_aws.set_delays(nlb=600)
    reconcile.reconcile_service(service.pk)
    # The first look is due (before it, what the create saw stands for it).
    later = provision.timezone.now() + timedelta(seconds=provision.NLB_POLL_SECONDS + 1)
    monkeypatch.setattr(nlb_looks.timezone, "now", lambda: later)
    calls = []

    class Counting(Gateway):
        def _client(self, name):
            client = super()._client(name)
            client.meta.events.register(
                "before-call", lambda model, **_: calls.append(model.name), unique_id="count"
            )
            return client

    outcome = reconcile.reconcile_service(service.pk, Counting)

    assert calls == ["DescribeLoadBalancers"]
    assert 0 < outcome.requeue_after <= provision.NLB_POLL_SECONDS + 1
    fake_aws.set_delays(nlb=0)
    # At the next look (the answer of the one before no longer stands for it).
    next_look = later + timedelta(seconds=provision.NLB_POLL_SECONDS)
    monkeypatch.setattr(nlb_looks.timezone, "now", lambda: next_look)
    calls.clear()
    reconcile.reconcile_service(service.pk, Counting)
    # Active now: the look by name is the observation. The recorded NLB alone under its
    # name is ours (its tags are not asked), its cross-zone setting went on before it was
    # recorded, and nothing was set up on it or published while it provisioned: the run
    # goes straight to publishing it.
    assert calls[:2] == ["DescribeLoadBalancers", "CreateVpcEndpointServiceConfiguration"]
    assert {
        "DescribeTags",
        "DescribeLoadBalancerAttributes",
        "DescribeListeners",
        "DescribeVpcEndpointServiceConfigurations",
    }.isdisjoint(calls)
    privatelink.refresh_from_db()
    assert privatelink.aws.nlb_state == "active"
