"""The fake Azure's control endpoints (no token needed), beside ARM's own paths.

- `POST /fakeazure/reset`: wipe every resource; restore the start-up delays and quotas.
- `GET`/`POST /fakeazure/delays`, `GET`/`POST /fakeazure/quotas` with a JSON object such
  as `{"provisioning": 3}`: read or change them until the next reset.
- `POST /fakeazure/throttle` with `{"requests": 2, "retry_after": 1}`: the next ARM requests
  answer 429 with `Retry-After`, as ARM's throttling does.
- `POST /fakeazure/fail` with `{"requests": 1, "status": 500, "code": "InternalServerError"}`
  (optional: `message`, and `path`, text the request's path must hold): the next ARM
  requests answer that error.
- `GET /fakeazure/state`: every resource, as ARM would show it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from werkzeug.wrappers import Request, Response

from fakeazure import timing
from fakeazure.errors import ArmError
from fakeazure.quotas import quotas
from fakeazure.resources import Kind
from fakeazure.store import store


def json_response(body: object, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


def control(request: Request, kinds: Iterable[Kind]) -> Response:
    if request.path == "/fakeazure/reset" and request.method == "POST":
        store.reset()
        timing.delays.reset()
        quotas.reset()
        return json_response({"reset": True})
    if request.path == "/fakeazure/state" and request.method == "GET":
        store.settle()
        return json_response({"resources": _state(kinds)})
    if request.path == "/fakeazure/throttle" and request.method == "POST":
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
    if request.path == "/fakeazure/fail" and request.method == "POST":
        return _fail(request.get_json(silent=True) or {})
    settings: dict[str, Any] = {"/fakeazure/delays": timing.delays, "/fakeazure/quotas": quotas}
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
        status = int(values.get("status", 500))
    except (TypeError, ValueError):
        requests = status = -1
    code = values.get("code") or "InternalServerError"
    if requests < 0 or not 400 <= status <= 599 or not isinstance(code, str):
        return json_response(
            {"error": "requests is a whole number, status an error status (400-599), code text"},
            400,
        )
    message = str(values.get("message") or f"Injected by the fake: {code}.")
    store.fail(requests, ArmError(status, code, message), str(values.get("path") or ""))
    return json_response({"requests": requests, "status": status, "code": code})


def _state(kinds: Iterable[Kind]) -> list[dict[str, Any]]:
    answer: list[dict[str, Any]] = []
    for kind in kinds:
        answer.extend(kind.render(r) for r in store.all(kind.type))
    return answer
