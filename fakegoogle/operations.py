"""Compute's operations: what an insert, a patch or a delete answers, and what
`regionOperations.get` / `wait` (or the global ones, for networks) read until it is DONE."""

from __future__ import annotations

import datetime
import time
from typing import Any

from fakegoogle.resources import link, region_link
from fakegoogle.store import Operation

# Google's `wait` answers when the operation is over or after two minutes, and may answer
# sooner; the fake answers after at most this many seconds, so that a caller's own
# deadline is kept to within a poll.
WAIT_LIMIT_SECONDS = 2.0


def _timestamp(moment: float) -> str:
    return datetime.datetime.fromtimestamp(moment, datetime.UTC).isoformat(timespec="milliseconds")


def operation_path(operation: Operation) -> str:
    scope = f"regions/{operation.region}" if operation.region else "global"
    return f"projects/{operation.project}/{scope}/operations/{operation.name}"


def render(operation: Operation) -> dict[str, Any]:
    done = operation.done()
    answer: dict[str, Any] = {
        "kind": "compute#operation",
        "id": operation.id,
        "name": operation.name,
        "operationType": operation.operation_type,
        "targetLink": link(operation.target_path),
        "targetId": operation.target_id,
        "status": "DONE" if done else "RUNNING",
        "user": "fakegoogle",
        "progress": 100 if done else 0,
        "insertTime": _timestamp(operation.inserted),
        "startTime": _timestamp(operation.inserted),
        "selfLink": link(operation_path(operation)),
    }
    if operation.region:
        answer["region"] = region_link(operation.project, operation.region)
    if done:
        answer["endTime"] = _timestamp(time.time())
    return answer


def wait(operation: Operation) -> None:
    """Hold the answer until the operation is over, or at most WAIT_LIMIT_SECONDS."""
    remaining = operation.done_at - time.monotonic()
    if remaining > 0:
        time.sleep(min(remaining, WAIT_LIMIT_SECONDS))
