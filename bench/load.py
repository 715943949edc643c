"""Load on loopback: gunicorn serving the console, wrk asking one URL at a time.

Each URL gets a short warm-up, then a bounded run; wrk reports requests/s and the
latency distribution, which we read from its --latency output.
"""

import os
import re
import secrets
import shutil
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass

from bench import environment, processes
from tests.processes import wait_for_http

PORT = int(os.environ.get("BENCH_WEB_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
GUNICORN_WORKERS = 2  # one per core


@dataclass(frozen=True)
class LoadFigures:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


def ensure_wrk() -> str:
    """wrk's path, installing Debian's package when it is missing."""
    found = shutil.which("wrk")
    if found:
        return found
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "wrk"],
        check=True,
        env={"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
    )
    return shutil.which("wrk") or "wrk"


def start_web(database_url: str | None = None) -> subprocess.Popen[bytes]:
    """gunicorn on PORT, with the bench environment (DATABASE_URL overridden if given)."""
    web = processes.start(
        [
            str(environment.ROOT / ".venv" / "bin" / "gunicorn"),
            "console.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(GUNICORN_WORKERS),
        ],
        "gunicorn",
        {"DATABASE_URL": database_url} if database_url else None,
    )
    wait_for_http(BASE + "/bench/trivial", web, timeout=60)
    return web


def etag_of(path: str, headers: dict[str, str]) -> str:
    """The ETag the web server answers for `path`, as a polling browser keeps it."""
    with urllib.request.urlopen(urllib.request.Request(BASE + path, headers=headers)) as got:
        return str(got.headers["ETag"])


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _milliseconds(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    if not match:
        raise ValueError(f"unexpected wrk latency {text!r}")
    return float(match[1]) * _UNITS[match[2]]


def parse_wrk(output: str) -> LoadFigures:
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    requests = int(re.search(r"(\d+) requests in", output)[1])  # type: ignore[index]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(non_2xx[1]) if non_2xx else 0
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return LoadFigures(
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),  # type: ignore[index]
        p50_ms=_milliseconds(percentiles["50"]),
        p99_ms=_milliseconds(percentiles["99"]),
        requests=requests,
        errors=errors,
    )


# Each request of a "new to this viewer" target asks a URL of its own (an ignored
# parameter), so no answer kept for this viewer's earlier requests (console.freshness) can
# serve it; the answer of the version shared by role does, as it does for every viewer of
# the role but the first after a change (that one is timed in-process, bench/render_times.py).
_UNIQUE_PATHS = """
local n = 0
request = function()
  n = n + 1
  local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. sep .. "bench-render=%s-" .. n)
end
"""


def run_wrk(
    wrk: str,
    path: str,
    headers: dict[str, str],
    seconds: float,
    connections: int,
    unique_paths: bool = False,
) -> LoadFigures:
    command = [wrk, "--latency", "-t", "1", "-c", str(connections), "-d", f"{seconds:g}s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    if unique_paths:
        script = environment.VAR / "unique_paths.lua"
        script.write_text(_UNIQUE_PATHS % secrets.token_hex(4))
        command += ["-s", str(script)]
    done = subprocess.run([*command, BASE + path], check=True, capture_output=True, text=True)
    try:
        return parse_wrk(done.stdout)
    except (KeyError, TypeError, ValueError) as exc:
        raise RuntimeError(f"could not read wrk's report of {path}:\n{done.stdout}") from exc


@dataclass(frozen=True)
class Target:
    path: str
    headers: dict[str, str]
    # Every request a URL of its own: rendered, never a kept answer.
    unique_paths: bool = False


def measure(
    wrk: str,
    targets: dict[str, Target],
    seconds: float,
    connections: int,
    warmup_seconds: float = 2,
) -> dict[str, LoadFigures]:
    """Figures per target name."""
    figures = {}
    for name, target in targets.items():
        run_wrk(wrk, target.path, target.headers, warmup_seconds, connections, target.unique_paths)
        figures[name] = run_wrk(
            wrk, target.path, target.headers, seconds, connections, target.unique_paths
        )
    return figures


@dataclass(frozen=True)
class PollFigures:
    outcomes: Counter[str]  # "200", "304", "500", "TimeoutError", ...
    p50_ms: float
    p99_ms: float


def poll_many(
    clients: int, seconds: float, paths: list[str], headers: dict[str, str], every: float
) -> PollFigures:
    """`clients` threads, each an open page polling one of `paths` every `every` s as htmx
    does in a browser (keeping the last ETag and sending it back), for `seconds`, starting
    at random phases; the outcomes counted and the latency of every poll."""
    outcomes: Counter[str] = Counter()
    latencies: list[float] = []
    lock = threading.Lock()
    until = time.monotonic() + seconds

    def poll(path: str, phase: float) -> None:
        etag = ""
        time.sleep(phase)
        while True:
            started = time.monotonic()
            sent = {**headers, **({"If-None-Match": etag} if etag else {})}
            try:
                request = urllib.request.Request(BASE + path, headers=sent)
                with urllib.request.urlopen(request, timeout=120) as response:
                    response.read()
                    etag = response.headers.get("ETag", etag)
                    outcome = str(response.status)
            except urllib.error.HTTPError as exc:
                outcome = str(exc.code)  # urllib reports a 304 as an error
            except OSError as exc:
                outcome = type(exc).__name__
            took = time.monotonic() - started
            with lock:
                outcomes[outcome] += 1
                latencies.append(took)
            if time.monotonic() >= until:
                return
            time.sleep(max(0.0, every - took))

    threads = [
        threading.Thread(
            target=poll, args=(paths[i % len(paths)], every * i / clients), daemon=True
        )
        for i in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ordered = sorted(latencies) or [0.0]
    return PollFigures(
        outcomes=outcomes,
        p50_ms=1000 * ordered[len(ordered) // 2],
        p99_ms=1000 * ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))],
    )
