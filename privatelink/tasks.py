"""Celery tasks: thin wrappers that hand ids to the reconciler.

Only classified transient AWS errors are retried, with exponential backoff and jitter;
AWS still in transition re-queues the run with a countdown instead of sleeping.
"""

import random

from celery import Task, shared_task

from privatelink import queue, sweep
from privatelink.engine import reconcile
from privatelink.gateway import Retryable

MAX_RETRIES = 8
MAX_BACKOFF_SECONDS = 300


def backoff(retries: int) -> float:
    """Exponential backoff with full jitter, so throttled runs spread out instead of colliding."""
    ceiling = min(MAX_BACKOFF_SECONDS, 2 ** (retries + 1))
    return random.uniform(ceiling / 2, ceiling)  # noqa: S311 - jitter, not a secret


@shared_task(
    bind=True,
    name="privatelink.reconcile_service",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
)
def reconcile_service(self: Task, service_id: int) -> None:
    try:
        outcome = reconcile.reconcile_service(service_id)
    except Retryable as exc:
        raise self.retry(exc=exc, countdown=backoff(self.request.retries)) from exc
    if outcome.requeue_after is not None:
        queue.reconcile_service(service_id, countdown=outcome.requeue_after)


@shared_task(
    bind=True,
    name="privatelink.reconcile_project_vpc",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
)
def reconcile_project_vpc(self: Task, project_vpc_id: int) -> None:
    try:
        outcome = reconcile.reconcile_project_vpc(project_vpc_id)
    except Retryable as exc:
        raise self.retry(exc=exc, countdown=backoff(self.request.retries)) from exc
    if outcome.requeue_after is not None:
        queue.reconcile_project_vpc(project_vpc_id, countdown=outcome.requeue_after)


@shared_task(name="privatelink.sweep", acks_late=True, reject_on_worker_lost=True)
def run_sweep() -> None:
    sweep.sweep()
