"""The control endpoints of the fake Azure and the fake Google (no token needed), beside the
cloud's own paths, under the fake's prefix (`/fakeazure`, `/fakegoogle`):

- `POST <prefix>/reset`: wipe every resource; restore the start-up delays and quotas.
- `GET`/`POST <prefix>/delays`, `GET`/`POST <prefix>/quotas` with a JSON object such as
  `{"provisioning": 3}`: read or change them until the next reset.
- `POST <prefix>/throttle` with `{"requests": 2, "retry_after": 1}`: the next requests of
  the cloud's API answer 429, with `Retry-After` when it is not 0.
- `POST <prefix>/fail` with `{"requests": 1, "status": 503, <failure key>: "..."}`
  (optional: `message`, and `path`, text the request's path must hold): the next requests
  answer that error, in the cloud's own shape.
- `GET <prefix>/state`: every resource, as the cloud would show it.
- `GET <prefix>/requests`: the cloud API's requests answered since start or reset, reads
  (`GET`) and writes (any other method) apart: what a benchmark counts.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from werkzeug.wrappers import Request, Response

from fakeaws.named_numbers import Adjustable


class ControlledStore(Protocol):
    def reset(self) -> None: ...
    def settle(self) -> None: ...
    def throttle(self, requests: int, retry_after: int) -> None: ...
    def fail(self, requests: int, error: Any, path: str = "") -> None: ...


class RequestCount:
    """The cloud API's requests answered, reads and writes apart (the server's threads
    count at once, hence the lock)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reads = self.writes = 0

    def add(self, method: str) -> None:
        with self._lock:
            if method == "GET":
                self.reads += 1
            else:
                self.writes += 1

    def reset(self) -> None:
        with self._lock:
            self.reads = self.writes = 0

    def as_dict(self) -> dict[str, int]:
        return {"reads": self.reads, "writes": self.writes}


def json_response(body: object, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


@dataclass(frozen=True)
class Controls:
    prefix: str
    store: ControlledStore
    delays: Adjustable[Any]
    quotas: Adjustable[Any]
    # Every resource as the cloud shows it, the store settled first.
    state: Callable[[], list[dict[str, Any]]]
    # The cloud's error of (status, failure, message), where the failure is what the cloud
    # names it by (`failure_key`: Azure's `code`, Google's `reason`).
    error: Callable[[int, str, str], Exception]
    failure_key: str
    default_failure: tuple[int, str]
    requests: RequestCount

    def answer(self, request: Request) -> Response:
        path, method = request.path.removeprefix(self.prefix), request.method
        if (path, method) == ("/reset", "POST"):
            self.store.reset()
            self.delays.reset()
            self.quotas.reset()
            self.requests.reset()
            return json_response({"reset": True})
        if (path, method) == ("/requests", "GET"):
            return json_response(self.requests.as_dict())
        if (path, method) == ("/state", "GET"):
            self.store.settle()
            return json_response({"resources": self.state()})
        if (path, method) == ("/throttle", "POST"):
            return self._throttle(request.get_json(silent=True) or {})
        if (path, method) == ("/fail", "POST"):
            return self._fail(request.get_json(silent=True) or {})
        numbers = {"/delays": self.delays, "/quotas": self.quotas}.get(path)
        if numbers is None:
            return json_response(
                {"error": f"no such control endpoint: {method} {request.path}"}, 404
            )
        if method == "GET":
            return json_response(numbers.current.as_dict())
        values = request.get_json(silent=True)
        if method != "POST" or not isinstance(values, dict):
            return json_response({"error": "GET, or POST a JSON object"}, 400)
        try:
            return json_response(numbers.set(values).as_dict())
        except ValueError as error:
            return json_response({"error": str(error)}, 400)

    def _throttle(self, values: dict[str, Any]) -> Response:
        try:
            requests = int(values.get("requests", 1))
            retry_after = int(values.get("retry_after", 0))
        except (TypeError, ValueError):
            requests = retry_after = -1
        if requests < 0 or retry_after < 0:
            return json_response(
                {"error": "requests and retry_after must be whole numbers, 0 or more"}, 400
            )
        self.store.throttle(requests, retry_after)
        return json_response({"requests": requests, "retry_after": retry_after})

    def _fail(self, values: dict[str, Any]) -> Response:
        default_status, default_failure = self.default_failure
        key = self.failure_key
        try:
            requests = int(values.get("requests", 1))
            status = int(values.get("status", default_status))
        except (TypeError, ValueError):
            requests = status = -1
        failure = values.get(key) or default_failure
        if requests < 0 or not 400 <= status <= 599 or not isinstance(failure, str):
            return json_response(
                {
                    "error": "requests is a whole number, status an error status (400-599), "
                    f"{key} text"
                },
                400,
            )
        message = str(values.get("message") or f"Injected by the fake: {failure}.")
        error = self.error(status, failure, message)
        self.store.fail(requests, error, str(values.get("path") or ""))
        return json_response({"requests": requests, "status": status, key: failure})
