"""The fake Google's control endpoints under `/fakegoogle` (see `fakeaws.controls`):
failures are injected with Compute's `reason` (default 503 `backendError`); the state is
every resource as Compute would show it: what a test finds left behind."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from werkzeug.wrappers import Request, Response

from fakeaws.controls import Controls, RequestCount
from fakegoogle import timing
from fakegoogle.errors import GoogleError
from fakegoogle.quotas import quotas
from fakegoogle.resources import Kind
from fakegoogle.store import store

# Every request of the cloud's API, counted by the server.
requests = RequestCount()


def control(request: Request, kinds: Iterable[Kind]) -> Response:
    return Controls(
        prefix="/fakegoogle",
        store=store,
        delays=timing.delays,
        quotas=quotas,
        state=lambda: _state(kinds),
        error=GoogleError,
        failure_key="reason",
        default_failure=(503, "backendError"),
        requests=requests,
    ).answer(request)


def _state(kinds: Iterable[Kind]) -> list[dict[str, Any]]:
    answer: list[dict[str, Any]] = []
    for kind in kinds:
        answer.extend(kind.render(r) for _, r in store.items(kind.collection))
    return answer
