"""The Celery tasks and the queue: published by name, retried by Celery, and the sweep
task queueing what the sweep reports."""

import pytest
from kombu.exceptions import OperationalError

from console.celery import app
from privatelink import queue, sweep, tasks
from privatelink.clouds.aws.gateway import Retryable
from privatelink.engine import reconcile


@pytest.fixture
def sent(monkeypatch) -> list[tuple[str, tuple, float, str]]:
    """What the queue hands to Celery, recorded instead of sent to a broker."""
    calls: list[tuple[str, tuple, float, str]] = []

    def send_task(name, args, countdown, queue):
        calls.append((name, args, countdown, queue))

    monkeypatch.setattr(app, "send_task", send_task)
    return calls


def test_the_queue_publishes_by_the_names_the_tasks_are_registered_under_on_the_clouds_queue(
    sent, settings
):
    assert queue.reconcile_service(7, "google") is True
    assert queue.reconcile_project_vpc(8, "aws", countdown=2.5) is True
    assert queue.sweep("azure") is True

    default = settings.CELERY_TASK_DEFAULT_QUEUE
    assert sent == [
        ("privatelink.reconcile_service", (7, "google"), 0, f"{default}.google"),
        ("privatelink.reconcile_project_vpc", (8, "aws"), 2.5, f"{default}.aws"),
        ("privatelink.sweep", ("azure",), 0, f"{default}.azure"),
    ]
    for name in (queue.RECONCILE_SERVICE, queue.RECONCILE_PROJECT_VPC, queue.SWEEP):
        assert app.tasks[name].name == name
    assert tasks.run_sweep.name == queue.SWEEP


@pytest.mark.parametrize("error", [OperationalError("connection refused"), OSError("disk full")])
def test_a_refused_publish_is_reported_as_not_queued(monkeypatch, error):
    def refuse(*args, **kwargs):
        raise error

    monkeypatch.setattr(app, "send_task", refuse)

    assert queue.reconcile_service(7, "aws") is False
    assert queue.reconcile_project_vpc(8, "aws") is False


def test_a_programming_error_while_publishing_is_not_hidden(monkeypatch):
    def broken(*args, **kwargs):
        raise TypeError("not serialisable")

    monkeypatch.setattr(app, "send_task", broken)

    with pytest.raises(TypeError):
        queue.reconcile_service(7, "aws")


@pytest.mark.parametrize("task", [tasks.reconcile_service, tasks.reconcile_project_vpc])
def test_reconcile_tasks_ack_late_and_retry_only_transient_aws_errors_with_capped_backoff(task):
    assert task.autoretry_for == (Retryable,)
    assert task.max_retries == 8
    assert task.retry_backoff == 2
    assert task.retry_backoff_max == 300
    assert task.retry_jitter is True
    assert task.acks_late is True
    assert task.reject_on_worker_lost is True


def test_a_run_that_finds_the_cloud_in_transition_queues_itself_again_on_its_clouds_queue(
    monkeypatch, sent, settings
):
    monkeypatch.setattr(
        reconcile, "reconcile_service", lambda service_id: reconcile.Outcome(requeue_after=10)
    )
    monkeypatch.setattr(reconcile, "reconcile_project_vpc", lambda vpc_id: reconcile.Outcome())

    tasks.reconcile_service(3, "azure")
    tasks.reconcile_project_vpc(4, "azure")

    queue_name = f"{settings.CELERY_TASK_DEFAULT_QUEUE}.azure"
    assert sent == [("privatelink.reconcile_service", (3, "azure"), 10, queue_name)]


def test_a_run_queued_before_the_queues_were_split_queues_its_next_on_the_default_queue(
    monkeypatch, sent, settings
):
    monkeypatch.setattr(
        reconcile, "reconcile_service", lambda service_id: reconcile.Outcome(requeue_after=10)
    )

    tasks.reconcile_service(3)

    default = settings.CELERY_TASK_DEFAULT_QUEUE
    assert sent == [("privatelink.reconcile_service", (3, None), 10, default)]


def test_the_sweep_task_queues_what_the_sweep_of_its_provider_reports_on_that_providers_queue(
    monkeypatch, sent, settings
):
    report = sweep.SweepReport(queued={5, 2}, project_vpcs={9}, drifted={5})
    swept: list[str | None] = []
    monkeypatch.setattr(sweep, "sweep", lambda provider: swept.append(provider) or report)

    tasks.run_sweep("google")

    queue_name = f"{settings.CELERY_TASK_DEFAULT_QUEUE}.google"
    assert swept == ["google"]
    assert sent == [
        ("privatelink.reconcile_service", (2, "google"), 0, queue_name),
        ("privatelink.reconcile_service", (5, "google"), 0, queue_name),
        ("privatelink.reconcile_project_vpc", (9, "google"), 0, queue_name),
    ]


def test_a_sweep_naming_no_provider_queues_the_sweep_of_each_configured_one_on_its_queue(
    sent, settings
):
    settings.CONFIGURED_PROVIDERS = ["aws", "google"]

    tasks.run_sweep()

    default = settings.CELERY_TASK_DEFAULT_QUEUE
    assert sent == [
        ("privatelink.sweep", ("aws",), 0, f"{default}.aws"),
        ("privatelink.sweep", ("google",), 0, f"{default}.google"),
    ]


def test_a_worker_without_q_consumes_the_default_queue_and_every_clouds(settings):
    default = settings.CELERY_TASK_DEFAULT_QUEUE
    assert [q.name for q in app.amqp.queues.consume_from.values()] == [
        default,
        f"{default}.aws",
        f"{default}.azure",
        f"{default}.google",
    ]


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


def test_a_task_sent_to_a_clouds_queue_reaches_that_queue_alone():
    from kombu import Connection

    with Connection("memory://") as connection:
        channel = connection.default_channel
        declared = [queue.bind(channel) for queue in app.amqp.queues.values()]
        for each in declared:
            each.declare()
        app.send_task(
            queue.RECONCILE_SERVICE, (7, "aws"), queue=queue.queue_of("aws"), connection=connection
        )

        waiting = {each.name: each.queue_declare(passive=True).message_count for each in declared}
        for each in declared:
            each.delete()
    assert waiting == {name: int(name == queue.queue_of("aws")) for name in waiting}
