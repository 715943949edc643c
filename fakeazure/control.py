"""The fake Azure's control endpoints under `/fakeazure` (see `fakeaws.controls`): failures
are injected with ARM's `code` (default 500 `InternalServerError`); the state is every
resource as ARM would show it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from werkzeug.wrappers import Request, Response

from fakeaws.controls import Controls, RequestCount
from fakeazure import timing
from fakeazure.errors import ArmError
from fakeazure.quotas import quotas
from fakeazure.resources import Kind
from fakeazure.store import store

# Every request of the cloud's API, counted by the server.
requests = RequestCount()


def control(request: Request, kinds: Iterable[Kind]) -> Response:
    return Controls(
        prefix="/fakeazure",
        store=store,
        delays=timing.delays,
        quotas=quotas,
        state=lambda: _state(kinds),
        error=ArmError,
        failure_key="code",
        default_failure=(500, "InternalServerError"),
        requests=requests,
    ).answer(request)


def _state(kinds: Iterable[Kind]) -> list[dict[str, Any]]:
    answer: list[dict[str, Any]] = []
    for kind in kinds:
        answer.extend(kind.render(r) for r in store.all(kind.type))
    return answer
