"""Celery tasks: thin wrappers that hand ids to the reconciler.

Only classified transient cloud errors are retried, by Celery, with exponential backoff and
jitter; a cloud still in transition re-queues the run with a countdown instead of sleeping.
"""

from collections.abc import Callable
from typing import Any

from celery import Task, shared_task
from django.conf import settings

from privatelink import queue, sweep
from privatelink.clouds.errors import Retryable
from privatelink.engine import reconcile

# Options of both reconcile tasks. Acknowledged only after the run, so that a worker's
# death hands the task to another. A retry waits a random time up to 2 ** (retries + 1)
# seconds, never more than five minutes, so throttled runs spread out instead of
# colliding; the eighth retry is the last.
RECONCILE_TASK_OPTIONS: dict[str, Any] = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (Retryable,),
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}


# The longest wait a cloud's Retry-After may impose on a retry (the backoff's own cap).
RETRY_AFTER_MAX_SECONDS = 300


def _run(task: Task, work: Callable[[], reconcile.Outcome]) -> reconcile.Outcome:
    """The run's outcome; a refusal that names when to come back (Azure's Retry-After) is
    retried then, not after a guessed backoff. Other transient refusals take the backoff."""
    try:
        return work()
    except Retryable as exc:
        if exc.retry_after is None:
            raise
        raise task.retry(exc=exc, countdown=min(exc.retry_after, RETRY_AFTER_MAX_SECONDS)) from exc


# `provider` names the queue a follow-up run goes to; a task queued before the queues were
# split carries none, and its follow-ups go to the default queue.
@shared_task(name=queue.RECONCILE_SERVICE, bind=True, **RECONCILE_TASK_OPTIONS)
def reconcile_service(self: Task, service_id: int, provider: str | None = None) -> None:
    outcome = _run(self, lambda: reconcile.reconcile_service(service_id))
    if outcome.requeue_after is not None:
        queue.reconcile_service(service_id, provider, countdown=outcome.requeue_after)


@shared_task(name=queue.RECONCILE_PROJECT_VPC, bind=True, **RECONCILE_TASK_OPTIONS)
def reconcile_project_vpc(self: Task, project_vpc_id: int, provider: str | None = None) -> None:
    outcome = _run(self, lambda: reconcile.reconcile_project_vpc(project_vpc_id))
    if outcome.requeue_after is not None:
        queue.reconcile_project_vpc(project_vpc_id, provider, countdown=outcome.requeue_after)


@shared_task(name=queue.SWEEP, acks_late=True, reject_on_worker_lost=True)
def run_sweep(provider: str | None = None) -> None:
    """Sweep one provider's PrivateLinks, then queue the reconciles of what it found
    unconverged or in transition. Without a provider (a sweep queued before the queues
    were split, or by hand), queue the sweep of each configured provider on its own queue."""
    if provider is None:
        for each in settings.CONFIGURED_PROVIDERS:
            queue.sweep(each)
        return
    report = sweep.sweep(provider=provider)
    for service_id in sorted(report.queued):
        queue.reconcile_service(service_id, provider)
    for project_vpc_id in sorted(report.project_vpcs):
        queue.reconcile_project_vpc(project_vpc_id, provider)
