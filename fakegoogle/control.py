"""The fake Google's control endpoints (no token needed), beside Compute's own paths.

- `POST /fakegoogle/reset`: wipe every resource; restore the start-up delays and quotas.
- `GET`/`POST /fakegoogle/delays`, `GET`/`POST /fakegoogle/quotas` with a JSON object such
  as `{"provisioning": 3}`: read or change them until the next reset.
- `POST /fakegoogle/throttle` with `{"requests": 2, "retry_after": 1}`: the next Compute
  requests answer 429 `rateLimitExceeded` (with `Retry-After` when it is not 0).
- `POST /fakegoogle/fail` with `{"requests": 1, "status": 503, "reason": "backendError"}`
  (optional: `message`, and `path`, text the request's path must hold): the next Compute
  requests answer that error.
- `GET /fakegoogle/state`: every resource, as Compute would show it: what a test finds
  left behind.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from werkzeug.wrappers import Request, Response

from fakegoogle import timing
from fakegoogle.errors import GoogleError
from fakegoogle.quotas import quotas
from fakegoogle.resources import Kind
from fakegoogle.store import store


def json_response(body: object, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


def control(request: Request, kinds: Iterable[Kind]) -> Response:
    if request.path == "/fakegoogle/reset" and request.method == "POST":
        store.reset()
        timing.delays.reset()
        quotas.reset()
        return json_response({"reset": True})
    if request.path == "/fakegoogle/state" and request.method == "GET":
        store.settle()
        return json_response({"resources": _state(kinds)})
    if request.path == "/fakegoogle/throttle" and request.method == "POST":
        values = request.get_json(silent=True) or {}
        try:
            requests = int(values.get("requests", 1))
            retry_after = int(values.get("retry_after", 0))
        except (TypeError, ValueError):
            requests = retry_after = -1
        if requests < 0 or retry_after < 0:
            return json_response(
                {"error": "requests and retry_after must be whole numbers, 0 or more"}, 400
            )
        store.throttle(requests, retry_after)
        return json_response({"requests": requests, "retry_after": retry_after})
    if request.path == "/fakegoogle/fail" and request.method == "POST":
        return _fail(request.get_json(silent=True) or {})
    settings: dict[str, Any] = {"/fakegoogle/delays": timing.delays, "/fakegoogle/quotas": quotas}
    numbers = settings.get(request.path)
    if numbers is None:
        return json_response(
            {"error": f"no such control endpoint: {request.method} {request.path}"}, 404
        )
    if request.method == "GET":
        return json_response(numbers.current.as_dict())
    values = request.get_json(silent=True)
    if request.method != "POST" or not isinstance(values, dict):
        return json_response({"error": "GET, or POST a JSON object"}, 400)
    try:
        return json_response(numbers.set(values).as_dict())
    except ValueError as error:
        return json_response({"error": str(error)}, 400)


def _fail(values: dict[str, Any]) -> Response:
    try:
        requests = int(values.get("requests", 1))
        status = int(values.get("status", 503))
    except (TypeError, ValueError):
        requests = status = -1
    reason = values.get("reason") or "backendError"
    if requests < 0 or not 400 <= status <= 599 or not isinstance(reason, str):
        return json_response(
            {"error": "requests is a whole number, status an error status (400-599), reason text"},
            400,
        )
    message = str(values.get("message") or f"Injected by the fake: {reason}.")
    store.fail(requests, GoogleError(status, reason, message), str(values.get("path") or ""))
    return json_response({"requests": requests, "status": status, "reason": reason})


def _state(kinds: Iterable[Kind]) -> list[dict[str, Any]]:
    answer: list[dict[str, Any]] = []
    for kind in kinds:
        answer.extend(kind.render(r) for _, r in store.items(kind.collection))
    return answer
