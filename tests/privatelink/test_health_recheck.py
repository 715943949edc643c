"""No self-made waiting: a reconcile looks at target health as soon as AWS can have checked
it, and backs off only while AWS is late."""

from datetime import UTC, datetime, timedelta

import pytest

from privatelink import actions
from privatelink.clouds.aws.listeners import HEALTH_BACKOFF_MAX_SECONDS, health_recheck_seconds
from privatelink.engine import reconcile
from privatelink.models import Listener
from tests.constants import CUSTOMER_ROLE

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _after(seconds: float) -> float:
    return health_recheck_seconds(T0, T0 + timedelta(seconds=seconds))


@pytest.mark.parametrize(
    ("age", "wait"),
    [
        (0, 10),  # the first health check is one interval (10 s) away
        (4, 6),  # ... aligned on AWS's checks, not on our last look
        (10, 10),  # the second (passing) check
        (19.5, 1),  # never sooner than a second
    ],
)
def test_until_two_checks_can_have_passed_it_looks_at_the_next_check(age, wait):
    assert _after(age) == pytest.approx(wait)


def test_once_overdue_it_backs_off_up_to_a_ceiling():
    waits = [_after(age) for age in (20, 35, 60, 100, 1000)]
    assert waits == sorted(waits)
    assert waits[0] == 10
    assert waits[-1] == HEALTH_BACKOFF_MAX_SECONDS


def test_with_instant_health_checks_enabling_needs_no_requeue(fake_aws, service, developer, queued):
    link = actions.create_privatelink(service, [CUSTOMER_ROLE], actor=developer).link
    for _ in range(5):
        if reconcile.reconcile_service(service.pk).requeue_after is None:
            break
    link.refresh_from_db()
    actions.set_component_access(service, {"schema_registry": True}, actor=developer)
    outcome = reconcile.reconcile_service(service.pk)
    assert outcome.requeue_after is None
    rows = Listener.objects.filter(privatelink=link, component="schema_registry")
    assert [row.health for row in rows] == [Listener.Health.HEALTHY]


def test_with_slow_health_checks_it_comes_back_at_the_next_check(
    fake_aws, service, developer, queued
):
    link = actions.create_privatelink(service, [CUSTOMER_ROLE], actor=developer).link
    for _ in range(5):
        if reconcile.reconcile_service(service.pk).requeue_after is None:
            break
    fake_aws.set_delays(health_check=30)
    actions.set_component_access(service, {"schema_registry": True}, actor=developer)
    outcome = reconcile.reconcile_service(service.pk)
    rows = Listener.objects.filter(privatelink=link, component="schema_registry")
    assert [row.health for row in rows] == [Listener.Health.INITIAL]
    assert outcome.requeue_after == pytest.approx(10, abs=1)
