"""Looks at provisioning NLBs are shared by the links of a Project VPC: one describe answers
for the looks that are due, and a run whose look another run's answer stands for asks AWS
nothing. An answer taken before a look fell due never stands for it."""

from datetime import timedelta

import pytest

from privatelink import actions
from privatelink.clouds.aws import nlb_looks
from privatelink.clouds.aws.gateway import Gateway
from privatelink.engine import naming, reconcile
from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db


class _Counting(Gateway):
    calls: list[str] = []

    def _client(self, name):
        client = super()._client(name)
        client.meta.events.register(
            "before-call",
            lambda model, **_: _Counting.calls.append(model.name),
            unique_id="count-shared-looks",
        )
        return client


@pytest.fixture
def two_provisioning(fake_aws, service, project, developer, queued):
    """Two links of one Project VPC whose NLBs provision (for ten minutes)."""
    other = ServiceFactory(project=project, name="other-kafka", project_vpc=service.project_vpc)
    for svc in (service, other):
        actions.create_privatelink(svc, ["*"], actor=developer)
    fake_aws.set_delays(nlb=600)
    for svc in (service, other):
        reconcile.reconcile_service(svc.pk)
    return service, other


def _at_age(monkeypatch, fake_aws, service, seconds):
    """The clock as it reads `seconds` after the service's NLB was created."""
    name = naming.load_balancer_name(service.privatelink.pk)
    created = Gateway(fake_aws.region).load_balancers_named(name)[0].created
    monkeypatch.setattr(nlb_looks.timezone, "now", lambda: created + timedelta(seconds=seconds))


def test_one_look_answers_for_the_due_looks_of_the_vpcs_other_links(
    two_provisioning, fake_aws, monkeypatch
):
    first, second = two_provisioning
    # Both first looks are due (5.5 s of age, give or take their creations' second).
    _at_age(monkeypatch, fake_aws, first, 7.0)
    _Counting.calls = []
    assert reconcile.reconcile_service(first.pk, _Counting).requeue_after is not None
    assert _Counting.calls == ["DescribeLoadBalancers"]
    _Counting.calls = []
    outcome = reconcile.reconcile_service(second.pk, _Counting)
    # The first look's answer stands for the second's: AWS is not asked again.
    assert _Counting.calls == []
    assert 0 < outcome.requeue_after <= 5.5


def test_an_answer_taken_before_a_look_fell_due_does_not_stand_for_it(
    two_provisioning, fake_aws, monkeypatch
):
    first, second = two_provisioning
    _at_age(monkeypatch, fake_aws, first, 7.0)
    reconcile.reconcile_service(first.pk, _Counting)
    # Five seconds on, the next looks are due: the answer of the look before is too old.
    _at_age(monkeypatch, fake_aws, first, 12.0)
    _Counting.calls = []
    reconcile.reconcile_service(second.pk, _Counting)
    assert _Counting.calls == ["DescribeLoadBalancers"]
