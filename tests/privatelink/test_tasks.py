"""The Celery tasks and the queue: published by name, retried by Celery, and the sweep
task queueing what the sweep reports."""

import pytest
from kombu.exceptions import OperationalError

from console.celery import app
from privatelink import queue, sweep, tasks
from privatelink.clouds.aws.gateway import Retryable
from privatelink.engine import reconcile


@pytest.fixture
def sent(monkeypatch) -> list[tuple[str, tuple, float]]:
    """What the queue hands to Celery, recorded instead of sent to a broker."""
    calls: list[tuple[str, tuple, float]] = []

    def send_task(name, args, countdown):
        calls.append((name, args, countdown))

    monkeypatch.setattr(app, "send_task", send_task)
    return calls


def test_the_queue_publishes_by_the_names_the_tasks_are_registered_under(sent):
    assert queue.reconcile_service(7) is True
    assert queue.reconcile_project_vpc(8, countdown=2.5) is True

    assert sent == [
        ("privatelink.reconcile_service", (7,), 0),
        ("privatelink.reconcile_project_vpc", (8,), 2.5),
    ]
    for name in (queue.RECONCILE_SERVICE, queue.RECONCILE_PROJECT_VPC, queue.SWEEP):
        assert app.tasks[name].name == name
    assert tasks.run_sweep.name == queue.SWEEP


@pytest.mark.parametrize("error", [OperationalError("connection refused"), OSError("disk full")])
def test_a_refused_publish_is_reported_as_not_queued(monkeypatch, error):
    def refuse(*args, **kwargs):
        raise error

    monkeypatch.setattr(app, "send_task", refuse)

    assert queue.reconcile_service(7) is False
    assert queue.reconcile_project_vpc(8) is False


def test_a_programming_error_while_publishing_is_not_hidden(monkeypatch):
    def broken(*args, **kwargs):
        raise TypeError("not serialisable")

    monkeypatch.setattr(app, "send_task", broken)

    with pytest.raises(TypeError):
        queue.reconcile_service(7)


@pytest.mark.parametrize("task", [tasks.reconcile_service, tasks.reconcile_project_vpc])
def test_reconcile_tasks_ack_late_and_retry_only_transient_aws_errors_with_capped_backoff(task):
    assert task.autoretry_for == (Retryable,)
    assert task.max_retries == 8
    assert task.retry_backoff == 2
    assert task.retry_backoff_max == 300
    assert task.retry_jitter is True
    assert task.acks_late is True
    assert task.reject_on_worker_lost is True


def test_a_run_that_finds_aws_in_transition_queues_itself_again_with_its_countdown(
    monkeypatch, sent
):
    monkeypatch.setattr(
        reconcile, "reconcile_service", lambda service_id: reconcile.Outcome(requeue_after=10)
    )
    monkeypatch.setattr(reconcile, "reconcile_project_vpc", lambda vpc_id: reconcile.Outcome())

    tasks.reconcile_service(3)
    tasks.reconcile_project_vpc(4)

    assert sent == [("privatelink.reconcile_service", (3,), 10)]


def test_the_sweep_task_queues_every_service_and_project_vpc_the_sweep_reports(monkeypatch, queued):
    report = sweep.SweepReport(queued={5, 2}, project_vpcs={9}, drifted={5})
    monkeypatch.setattr(sweep, "sweep", lambda: report)

    tasks.run_sweep()

    assert queued == [("service", 2), ("service", 5), ("project_vpc", 9)]


class _Retried(Exception):
    pass


def test_a_refusal_naming_when_to_come_back_is_retried_then(monkeypatch):
    asked: list[float] = []

    def refuse(service_id):
        raise Retryable("TooManyRequests", "throttled", "get_load_balancer", retry_after=42)

    def retry(exc=None, countdown=None, **kwargs):
        asked.append(countdown)
        return _Retried()

    monkeypatch.setattr(reconcile, "reconcile_service", refuse)
    monkeypatch.setattr(tasks.reconcile_service, "retry", retry)

    with pytest.raises(_Retried):
        tasks.reconcile_service(3)

    assert asked == [42]


def test_a_refusal_without_a_time_is_left_to_the_backoff(monkeypatch):
    def refuse(service_id):
        raise Retryable("Throttling", "slow down", "describe_load_balancers")

    monkeypatch.setattr(reconcile, "reconcile_service", refuse)

    with pytest.raises(Retryable):
        tasks.reconcile_service(3)
