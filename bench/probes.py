"""Where a worker's time goes, for the burst's breakdown: loaded by the bench settings, so
only the benchmark's worker records anything.

For each task run, one JSON line in var/bench/tasks.jsonl: when it was due (published, plus
its countdown), when it started and ended, the AWS calls it made and the time they took
(answers of the fake AWS, retries included), and whether the service's
lease was refused (the run then re-queues itself BUSY_RETRY_SECONDS later).

The production pool runs tasks in threads: what a run records is the running thread's own
(a thread-local), and the counting is installed when the worker starts (`worker_init`,
sent by every pool; `worker_process_init` is sent only by prefork's children, which
inherit what their parent installed).
"""

import json
import threading
import time
from typing import Any

from celery.signals import before_task_publish, task_postrun, task_prerun, worker_init

from bench import environment

LOG = environment.VAR / "tasks.jsonl"
_runs = threading.local()
# Runs of every thread end in one file.
_log_lock = threading.Lock()


def _current() -> dict[str, Any]:
    """The running task's record in this thread ({} between tasks)."""
    current: dict[str, Any] | None = getattr(_runs, "current", None)
    if current is None:
        current = _runs.current = {}
    return current


@before_task_publish.connect
def _stamp(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    if headers is None:
        return
    countdown_eta = headers.get("eta")
    due = time.time()
    if countdown_eta:
        from datetime import datetime

        due = datetime.fromisoformat(countdown_eta).timestamp()
    headers["bench_due"] = due


@task_prerun.connect
def _started(task: Any = None, **kwargs: Any) -> None:
    request = task.request if task is not None else None
    due = getattr(request, "bench_due", None) or (getattr(request, "headers", None) or {}).get(
        "bench_due"
    )
    current = _current()
    current.clear()
    current.update(
        task=task.name if task else "",
        due=due,
        start=time.time(),
        aws=0,
        aws_seconds=0.0,
        busy=0,
        ops={},
    )


@task_postrun.connect
def _ended(task: Any = None, args: Any = None, **kwargs: Any) -> None:
    current = _current()
    if not current:
        return
    line = {**current, "end": time.time(), "args": list(args or [])}
    with _log_lock, LOG.open("a") as log:
        log.write(json.dumps(line) + "\n")
    current.clear()


@worker_init.connect
def _install(**kwargs: Any) -> None:
    """Count AWS calls and refused leases of the running task, in whichever thread it runs.

    The gateway keeps its clients and hands each out with the handlers it was built with,
    so the counting handlers are registered at every hand-out, once."""
    from privatelink.clouds.aws.gateway import clients
    from privatelink.engine import lease

    build, claim = clients.client, lease.claim

    def counting_client(service_name: str, region: str, role_arn: str | None = None) -> Any:
        client = build(service_name, region, role_arn)

        client.meta.events.register("before-call", _before_call, unique_id="bench-probe-before")
        client.meta.events.register("after-call", _after_call, unique_id="bench-probe-after")
        return client

    def counting_claim(key: str, holder: str, *args: Any, **kwargs: Any) -> bool:
        claimed = claim(key, holder, *args, **kwargs)
        current = _current()
        if not claimed and current and key.startswith("service"):
            current["busy"] += 1
        return claimed

    clients.client = counting_client
    lease.claim = counting_claim


def _before_call(model: Any = None, **_: Any) -> None:
    current = _current()
    if current:
        current["aws"] += 1
        current["aws_started"] = time.time()


def _after_call(model: Any = None, **_: Any) -> None:
    current = _current()
    if current and "aws_started" in current:
        took = time.time() - current.pop("aws_started")
        current["aws_seconds"] += took
        name = model.name if model is not None else "?"
        current["ops"][name] = current["ops"].get(name, 0.0) + took
