"""Time per request in-process (Django's test client on the bench's PostgreSQL and Redis)
of answers rendered after a change, which nothing kept or shared can serve, against the
trivial view timed in the same loop. gunicorn and wrk add the same per-request cost to
every figure; these ratios leave it out, so they read higher than the load figures'."""

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.test import Client

from bench.queries import HTMX, as_after_a_change
from bench.world import World

REQUESTS = 300


@dataclass(frozen=True)
class RenderTimes:
    trivial_ms: float
    status_fragment_ms: float
    overview_ms: float


def _per_request_ms(get: Callable[[], object], before: Callable[[], None] | None) -> float:
    spent = 0.0
    for _ in range(REQUESTS):
        if before is not None:
            before()  # not timed: the change that makes the next answer a new version
        started = time.perf_counter()
        get()
        spent += time.perf_counter() - started
    return spent / REQUESTS * 1000


def measure(world: World) -> RenderTimes:
    client = Client()
    client.force_login(world.user)
    client.get(world.overview_url)  # the session, the CSRF cookie, the access decision

    def timed(path: str, headers: dict[str, str], changed: bool) -> float:
        def get() -> None:
            response = client.get(path, **headers)
            if response.status_code != 200:
                raise RuntimeError(f"GET {path} answered {response.status_code}")

        _per_request_ms(get, None)  # warm-up
        return _per_request_ms(get, (lambda: as_after_a_change(path)) if changed else None)

    return RenderTimes(
        trivial_ms=timed("/bench/trivial", {}, changed=False),
        status_fragment_ms=timed(world.status_fragment_url, HTMX, changed=True),
        overview_ms=timed(world.overview_url, {}, changed=True),
    )
