"""Staleness: the time from a change made through the JSON API to an open page showing it.

The open page is played by a poller of the principals fragment at the settled pace (as
htmx polls it: the browser's ETag sent back, 304 while nothing changed); each change adds
a principal with `PUT .../privatelink/aws`, at a random moment of the poll cycle."""

import json
import random
import statistics
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from bench.load import BASE
from bench.world import World
from console.models import ApiToken
from console.polling import SETTLED_SECONDS


@dataclass(frozen=True)
class StalenessFigures:
    changes: int
    median: float
    worst: float


def _poller(path: str, headers: dict[str, str], seen: dict[str, float], stop: threading.Event):
    etag = ""
    while not stop.is_set():
        started = time.monotonic()
        sent = {**headers, **({"If-None-Match": etag} if etag else {})}
        try:
            with urllib.request.urlopen(urllib.request.Request(BASE + path, headers=sent)) as got:
                body = got.read().decode()
                etag = got.headers.get("ETag", etag)
                # A copy: the measuring thread adds markers meanwhile.
                for marker, when in list(seen.items()):
                    if not when and marker in body:
                        seen[marker] = time.monotonic()
        except urllib.error.HTTPError:
            pass  # 304: nothing new
        stop.wait(max(0.0, SETTLED_SECONDS - (time.monotonic() - started)))


def measure(world: World, page_headers: dict[str, str], changes: int = 20) -> StalenessFigures:
    _, token = ApiToken.issue(world.user, "staleness benchmark")
    api = f"{BASE}/v1/project/{world.project}/service/{world.service}/privatelink/aws"
    fragment = world.overview_url + "privatelink/principals"
    seen: dict[str, float] = {}
    stop = threading.Event()
    poller = threading.Thread(target=_poller, args=(fragment, page_headers, seen, stop))
    poller.start()
    principals = [f"arn:aws:iam::111122223333:role/app-{i}" for i in range(3)]
    delays: list[float] = []
    try:
        for n in range(changes):
            time.sleep(random.uniform(0, SETTLED_SECONDS))
            marker = f"role/stale-{n}"
            # The list stays within the 16 principals allowed: each change swaps the last.
            principals[3:] = [f"arn:aws:iam::111122223333:{marker}"]
            seen[marker] = 0.0
            request = urllib.request.Request(
                api,
                data=json.dumps({"principals": principals}).encode(),
                method="PUT",
                headers={"Authorization": f"aivenv1 {token}", "Content-Type": "application/json"},
            )
            changed = time.monotonic()
            with urllib.request.urlopen(request, timeout=30):
                pass
            deadline = changed + 60
            while not seen[marker] and time.monotonic() < deadline:
                time.sleep(0.02)
            delays.append((seen[marker] or time.monotonic()) - changed)
    finally:
        stop.set()
        poller.join()
    return StalenessFigures(changes, statistics.median(delays), max(delays))
