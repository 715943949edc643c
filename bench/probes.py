"""Where a worker's time goes, for the burst's breakdown: loaded by the bench settings, so
only the benchmark's worker records anything.

For each task run, one JSON line in var/bench/tasks.jsonl: when it was due (published, plus
its countdown), when it started and ended, the AWS calls it made and the time they took
(answers of the fake AWS, retries included), and whether the service's
lease was refused (the run then re-queues itself BUSY_RETRY_SECONDS later).
"""

import json
import time
from typing import Any

from celery.signals import before_task_publish, task_postrun, task_prerun, worker_process_init

from bench import environment

LOG = environment.VAR / "tasks.jsonl"
_current: dict[str, Any] = {}


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
    _current.clear()
    _current.update(
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
    if not _current:
        return
    line = {**_current, "end": time.time(), "args": list(args or [])}
    with LOG.open("a") as log:
        log.write(json.dumps(line) + "\n")
    _current.clear()


@worker_process_init.connect
def _install(**kwargs: Any) -> None:
    """Count AWS calls and refused leases of the running task (worker processes only)."""
    from privatelink.clouds.aws.gateway import clients
    from privatelink.engine import lease

    build, claim = clients.client, lease.claim

    def counting_client(service_name: str, region: str, role_arn: str | None = None) -> Any:
        client = build(service_name, region, role_arn)

        def before(model: Any = None, **_: Any) -> None:
            if _current:
                _current["aws"] += 1
                _current["aws_started"] = time.time()

        def after(model: Any = None, **_: Any) -> None:
            if _current and "aws_started" in _current:
                took = time.time() - _current.pop("aws_started")
                _current["aws_seconds"] += took
                name = model.name if model is not None else "?"
                _current["ops"][name] = _current["ops"].get(name, 0.0) + took

        client.meta.events.register("before-call", before)
        client.meta.events.register("after-call", after)
        return client

    def counting_claim(key: str, holder: str, *args: Any, **kwargs: Any) -> bool:
        claimed = claim(key, holder, *args, **kwargs)
        if not claimed and _current and key.startswith("service"):
            _current["busy"] += 1
        return claimed

    clients.client = counting_client
    lease.claim = counting_claim
