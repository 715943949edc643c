"""The fake Google's state: resources by their path (`projects/p/regions/r/kind/name`), the
operations that wrote them, work held back until an operation is over, and the throttling
and failures to inject.

A resource is kept as Compute Engine's JSON, plus bookkeeping keys starting with `_`. An
inserted resource is found only once its operation is DONE (Compute answers notFound
before), and a deleted one lingers until its deletion is.
"""

from __future__ import annotations

import copy
import itertools
import random
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from fakegoogle import timing
from fakegoogle.errors import GoogleError

type Resource = dict[str, Any]


@dataclass
class Operation:
    """One operation: an insert's, a patch's or a delete's."""

    name: str
    id: str
    project: str
    region: str  # "" for a global operation
    operation_type: str  # "insert", "patch" or "delete"
    target_path: str
    target_id: str
    done_at: float
    inserted: float = field(default_factory=time.time)

    def done(self) -> bool:
        return time.monotonic() >= self.done_at


class Store:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._resources: dict[str, Resource] = {}
        self._ready_at: dict[str, float] = {}
        self._gone_at: dict[str, float] = {}
        # Work an operation does when it is over: (moment, order, work).
        self._later: list[tuple[float, int, Callable[[], None]]] = []
        self._order = itertools.count()
        self.operations: dict[str, Operation] = {}
        self.throttled_requests = 0
        self.throttle_retry_after = 0
        # Errors to answer instead, each for requests whose path holds its text.
        self.failures: list[tuple[str, GoogleError]] = []

    def reset(self) -> None:
        with self.lock:
            self._resources.clear()
            self._ready_at.clear()
            self._gone_at.clear()
            self._later.clear()
            self.operations.clear()
            self.throttled_requests = 0
            self.throttle_retry_after = 0
            self.failures.clear()

    # Time passing: what the delays hold back.
    def settle(self) -> None:
        now = time.monotonic()
        with self.lock:
            for path, moment in list(self._gone_at.items()):
                if moment <= now:
                    del self._gone_at[path]
                    self._resources.pop(path, None)
            for path, moment in list(self._ready_at.items()):
                if moment <= now:
                    del self._ready_at[path]
            due = sorted(item for item in self._later if item[0] <= now)
            self._later = [item for item in self._later if item[0] > now]
        for _, _, work in due:
            work()

    def later(self, seconds: float, work: Callable[[], None]) -> None:
        """Do `work` at the first request once `seconds` have passed."""
        with self.lock:
            self._later.append((time.monotonic() + seconds, next(self._order), work))

    def get(self, path: str) -> Resource | None:
        """The resource at `path` if it can be read: made, and not yet deleted."""
        with self.lock:
            if path in self._ready_at:
                return None
            return self._resources.get(path)

    def taken(self, path: str) -> bool:
        """Whether the name is in use, by a resource made, being made or being deleted."""
        with self.lock:
            return path in self._resources

    def is_deleting(self, path: str) -> bool:
        return path in self._gone_at

    def insert(self, path: str, resource: Resource, seconds: float) -> None:
        """Store `resource`, readable once `seconds` are over."""
        with self.lock:
            self._resources[path] = resource
            if seconds > 0:
                self._ready_at[path] = time.monotonic() + seconds

    def remove(self, path: str, seconds: float) -> None:
        """Start deleting: still readable until `seconds` are over, then gone."""
        with self.lock:
            if seconds <= 0:
                self._resources.pop(path, None)
                self._ready_at.pop(path, None)
                return
            self._gone_at[path] = time.monotonic() + seconds

    def items(self, collection: str) -> Iterator[tuple[str, Resource]]:
        """Readable resources of one collection ("serviceAttachments"), by path."""
        with self.lock:
            found = [
                (path, resource)
                for path, resource in self._resources.items()
                if path.split("/")[-2] == collection and path not in self._ready_at
            ]
        yield from sorted(found)

    def start_operation(
        self, project: str, region: str, operation_type: str, target_path: str, target_id: str
    ) -> Operation:
        delays = timing.delays.current
        seconds = delays.deletion if operation_type == "delete" else delays.provisioning
        operation = Operation(
            name=f"operation-{int(time.time() * 1000)}-{uuid.uuid4().hex[:12]}",
            id=new_id(),
            project=project,
            region=region,
            operation_type=operation_type,
            target_path=target_path,
            target_id=target_id,
            done_at=time.monotonic() + seconds,
        )
        with self.lock:
            self.operations[operation.name] = operation
        return operation

    def throttle(self, requests: int, retry_after: int) -> None:
        """Answer the next `requests` Compute requests 429 with this Retry-After."""
        with self.lock:
            self.throttled_requests = requests
            self.throttle_retry_after = retry_after

    def take_throttled_request(self) -> int | None:
        """Retry-After seconds when this request is to be throttled, else None."""
        with self.lock:
            if self.throttled_requests <= 0:
                return None
            self.throttled_requests -= 1
            return self.throttle_retry_after

    def fail(self, requests: int, error: GoogleError, path: str = "") -> None:
        """Answer the next `requests` Compute requests whose path holds `path` with `error`."""
        with self.lock:
            self.failures = [(path, error)] * requests

    def take_failure(self, path: str) -> GoogleError | None:
        with self.lock:
            for index, (part, error) in enumerate(self.failures):
                if part in path:
                    del self.failures[index]
                    return error
            return None


def new_id() -> str:
    """A resource's numeric id, as Compute writes uint64s in JSON: a string."""
    return str(random.getrandbits(63))  # an id, not a secret


def public(resource: Resource) -> Resource:
    """The resource as Compute shows it: without the fake's bookkeeping keys."""
    return {k: copy.deepcopy(v) for k, v in resource.items() if not k.startswith("_")}


store = Store()
