"""The fake Azure's state: resources by id (case-insensitive, as ARM ids are), their
long-running operations, and the throttling to inject.

A resource is kept as ARM's JSON. Its `provisioningState` is `Updating` until the operation
that wrote it is over, and a deleted resource lingers as `Deleting` until its deletion is.
"""

from __future__ import annotations

import copy
import ipaddress
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fakeazure import timing
from fakeazure.errors import ArmError

type Resource = dict[str, Any]


@dataclass
class Operation:
    """One long-running operation: a PUT's or a DELETE's."""

    id: str
    resource_id: str
    kind: str  # "put" or "delete"
    done_at: float
    location: str


class Store:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._resources: dict[str, Resource] = {}
        self._ready_at: dict[str, float] = {}
        self._gone_at: dict[str, float] = {}
        self.operations: dict[str, Operation] = {}
        self.throttled_requests = 0
        self.throttle_retry_after = 0
        # Errors to answer instead, each for requests whose path holds its text.
        self.failures: list[tuple[str, ArmError]] = []

    def reset(self) -> None:
        with self.lock:
            self._resources.clear()
            self._ready_at.clear()
            self._gone_at.clear()
            self.operations.clear()
            self.throttled_requests = 0
            self.throttle_retry_after = 0
            self.failures.clear()

    # Time passing: the states that the delays hold back.
    def settle(self) -> None:
        now = time.monotonic()
        with self.lock:
            for key, moment in list(self._gone_at.items()):
                if moment <= now:
                    del self._gone_at[key]
                    self._resources.pop(key, None)
                    self._ready_at.pop(key, None)
            for key, moment in list(self._ready_at.items()):
                if moment <= now and key in self._resources:
                    del self._ready_at[key]
                    self._resources[key]["properties"]["provisioningState"] = "Succeeded"

    def get(self, resource_id: str) -> Resource | None:
        with self.lock:
            return self._resources.get(resource_id.lower())

    def exists(self, resource_id: str) -> bool:
        """True for a resource that is there and not on its way out."""
        key = resource_id.lower()
        with self.lock:
            return key in self._resources and key not in self._gone_at

    def is_deleting(self, resource_id: str) -> bool:
        return resource_id.lower() in self._gone_at

    def is_updating(self, resource_id: str) -> bool:
        """True while a PUT of the resource is still being carried out."""
        key = resource_id.lower()
        with self.lock:
            return key in self._ready_at and key in self._resources

    def put(self, resource: Resource, *, settled: bool = False) -> Resource:
        """Store `resource` as written by a PUT: Updating until the provisioning delay ends."""
        key = resource["id"].lower()
        with self.lock:
            if settled:
                resource["properties"]["provisioningState"] = "Succeeded"
                self._ready_at.pop(key, None)
            else:
                resource["properties"]["provisioningState"] = "Updating"
                self._ready_at[key] = time.monotonic() + timing.delays.current.provisioning
            self._resources[key] = resource
            return resource

    def remove(self, resource_id: str, *, at_once: bool = False) -> None:
        """Start deleting: Deleting until the deletion delay ends, then gone."""
        key = resource_id.lower()
        with self.lock:
            if key not in self._resources:
                return
            delay = 0.0 if at_once else timing.delays.current.deletion
            if delay <= 0:
                self._resources.pop(key)
                self._ready_at.pop(key, None)
                self._gone_at.pop(key, None)
                return
            self._resources[key]["properties"]["provisioningState"] = "Deleting"
            self._gone_at[key] = time.monotonic() + delay

    def under(self, prefix: str, resource_type: str) -> Iterator[Resource]:
        """Resources of `resource_type` whose id starts with `prefix` (case-insensitive)."""
        low_prefix = prefix.lower().rstrip("/") + "/"
        low_type = resource_type.lower()
        with self.lock:
            items = list(self._resources.items())
        for key, resource in sorted(items):
            if key.startswith(low_prefix) and resource["type"].lower() == low_type:
                yield resource

    def all(self, resource_type: str) -> Iterator[Resource]:
        return self.under("/", resource_type)

    def start_operation(self, resource_id: str, kind: str, location: str) -> Operation:
        delays = timing.delays.current
        seconds = delays.provisioning if kind == "put" else delays.deletion
        operation = Operation(
            id=str(uuid.uuid4()),
            resource_id=resource_id,
            kind=kind,
            done_at=time.monotonic() + seconds,
            location=location,
        )
        with self.lock:
            self.operations[operation.id] = operation
        return operation

    def throttle(self, requests: int, retry_after: int) -> None:
        """Answer the next `requests` ARM requests 429 with this Retry-After."""
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

    def fail(self, requests: int, error: ArmError, path: str = "") -> None:
        """Answer the next `requests` ARM requests whose path holds `path` with `error`."""
        with self.lock:
            self.failures = [(path.lower(), error)] * requests

    def take_failure(self, path: str) -> ArmError | None:
        """The error to answer a request for `path` with, if one is injected."""
        with self.lock:
            for index, (part, error) in enumerate(self.failures):
                if part in path.lower():
                    del self.failures[index]
                    return error
            return None

    def used_addresses(self, subnet_id: str, *, besides: str = "") -> set[str]:
        """Private IPs taken in a subnet, by every resource but `besides`."""
        taken: set[str] = set()
        low_subnet = subnet_id.lower()
        with self.lock:
            resources = [r for k, r in self._resources.items() if k != besides.lower()]
        for resource in resources:
            for subnet, address in resource.get("_addresses", []):
                if subnet == low_subnet:
                    taken.add(address)
        return taken

    def allocate_address(self, subnet: Resource, taken: set[str]) -> str:
        """The subnet's first free address; Azure keeps the first four and the last."""
        network = ipaddress.ip_network(subnet["properties"]["addressPrefix"], strict=False)
        hosts = list(network.hosts())
        for address in hosts[3:-1]:
            if str(address) not in taken:
                taken.add(str(address))
                return str(address)
        raise ArmError(
            400,
            "SubnetIsFull",
            f"Subnet {subnet['id']} with address prefix {network} does not have enough "
            "capacity for the requested IP addresses.",
        )


def public(resource: Resource) -> Resource:
    """The resource as ARM shows it: without the fake's bookkeeping keys."""
    return {k: copy.deepcopy(v) for k, v in resource.items() if not k.startswith("_")}


store = Store()
