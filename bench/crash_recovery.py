"""Crash recovery: SIGKILL the worker that holds a service's reconcile lease mid-run, and
time until that service's next completed reconcile.

Two workers (concurrency 2 each) share a queue of their own on RabbitMQ, Celery's
recommended broker: the broker hands the killed worker's unacknowledged task (acks_late)
to the other worker as soon as the connection drops, and that run backs off until the dead
holder's lease runs out. Every AWS call of the fake AWS takes API_CALL_SECONDS here, as
real AWS calls take a fraction of a second, so that a run is caught while it works.
"""

import os
import signal
import subprocess
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from unittest import mock

from django.utils import timezone
from kombu import Connection

from bench import fake_aws, processes
from bench.table import Table
from privatelink import actions, queue
from privatelink.engine import lease
from privatelink.models import PrivateLink, ReconcileLease
from tests.constants import CUSTOMER_ROLE
from tests.factories import MembershipFactory, ProjectFactory, ServiceFactory, UserFactory
from tests.processes import celery_worker, stop, tree

RABBITMQ = os.environ.get("BENCH_RABBITMQ", "amqp://guest:guest@127.0.0.1:5672//")
QUEUE = f"bench-crash-{os.getpid()}"
API_CALL_SECONDS = 0.2
LINKS = 4
TIMEOUT_SECONDS = 120


@dataclass(frozen=True)
class RecoveryFigures:
    service: str
    seconds: float  # SIGKILL -> the service's next completed reconcile


def _start_worker(name: str) -> subprocess.Popen[bytes]:
    return processes.start(
        celery_worker("--concurrency", "2", "--hostname", f"{name}@%h", "--loglevel", "WARNING"),
        name,
        {**fake_aws.AWS_ENVIRONMENT, "CELERY_BROKER_URL": RABBITMQ, "CELERY_QUEUE": QUEUE},
    )


def _publish(service_ids: list[int]) -> None:
    """Queue the reconciles on the workers' broker and queue, as the web process would."""
    from privatelink.tasks import reconcile_service

    with Connection(RABBITMQ) as connection:
        for service_id in service_ids:
            reconcile_service.apply_async(
                (service_id, "aws"), connection=connection, queue=f"{QUEUE}.aws"
            )


def measure() -> RecoveryFigures:
    fake_aws.reset()
    # AWS starts empty: earlier measurements' links would only fill the account's quota.
    PrivateLink.objects.all().delete()
    fake_aws.post("/fakeaws/delays", {"api_call": API_CALL_SECONDS})
    project = ProjectFactory(name="crash")
    user = UserFactory(email="crash@bench.example.com")
    MembershipFactory(user=user, project=project, role="developer")
    services = [ServiceFactory(project=project, name=f"c-{i}", nodes=3) for i in range(LINKS)]
    # The actions save desired state; the reconciles go to RabbitMQ below, not to Redis.
    with mock.patch.object(queue, "reconcile_service", return_value=True):
        for service in services:
            actions.create_privatelink(service, [CUSTOMER_ROLE], actor=user)
    workers = {name: _start_worker(name) for name in ("crash-a", "crash-b")}
    try:
        _publish([s.pk for s in services])
        key, killed_at = _kill_a_holder(workers)
        service_id = int(key.removeprefix("service:"))
        done = PrivateLink.objects.filter(service_id=service_id, last_reconciled__gte=killed_at)
        started = time.monotonic()
        while not done.exists():
            if time.monotonic() - started > TIMEOUT_SECONDS:
                raise TimeoutError(f"{key} not reconciled {TIMEOUT_SECONDS} s after the kill")
            time.sleep(0.1)
        reconciled = done.values_list("last_reconciled", flat=True).get()
        name = next(s.name for s in services if s.pk == service_id)
        return RecoveryFigures(name, (reconciled - killed_at).total_seconds())
    finally:
        for worker in workers.values():
            stop(worker)
        fake_aws.post("/fakeaws/delays", {"api_call": 0})
        with Connection(RABBITMQ) as connection:
            connection.default_channel.queue_delete(QUEUE)


def _kill_a_holder(workers: dict[str, subprocess.Popen[bytes]]) -> tuple[str, datetime]:
    """SIGKILL (with its pool) the first worker seen holding a service's lease."""
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        trees = {name: tree(worker.pid) for name, worker in workers.items()}
        # Claimed or renewed within the last second: the run is at work, not about to end.
        fresh = timezone.now() + timedelta(seconds=lease.SECONDS - 1)
        held = ReconcileLease.objects.filter(expires__gt=fresh, key__startswith="service:")
        for key, holder in held.exclude(holder="").values_list("key", "holder"):
            pid = int(holder.split(":")[1])
            for name, pids in trees.items():
                if pid in pids:
                    killed_at = timezone.now()
                    os.killpg(workers[name].pid, signal.SIGKILL)
                    workers[name].wait()
                    return key, killed_at
        time.sleep(0.02)
    raise TimeoutError("no worker held a lease")


GOAL_SECONDS = 30.0


def report(table: Table) -> None:
    """Measure and add the figure to `make bench`'s table (the fake AWS must be running)."""
    figures = measure()
    table.add(
        "SIGKILL of the worker holding a lease -> that service's next completed reconcile "
        "(RabbitMQ, 2 workers of concurrency 2)",
        f"{figures.seconds:.1f} s ({figures.service})",
        f"<= {GOAL_SECONDS:g} s",
        figures.seconds <= GOAL_SECONDS,
    )
