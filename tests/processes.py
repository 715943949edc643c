"""The project's own processes (servers, Celery workers) as the tests and the benchmarks
start them: each in a process group of its own from the repository root, its output in a
log file; and the waiting for them and stopping of them."""

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.constants import BASE_DIR


def celery_worker(*options: str) -> list[str]:
    """The command of a Celery worker of the console's app, with `options` after `worker`."""
    return [sys.executable, "-m", "celery", "-A", "console", "worker", *options]


def start(argv: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Start `argv` from the repository root, its output in `log`. A session of its own
    makes it the leader of a process group, so it and its children can be signalled at
    once, and keeps the terminal's Ctrl-C away from it."""
    with log.open("wb") as output:
        return subprocess.Popen(
            argv,
            cwd=BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(
    process: subprocess.Popen[bytes],
    sig: signal.Signals = signal.SIGTERM,
    *,
    whole_group: bool = False,
    timeout: float = 20,
) -> None:
    """Send `sig` to the process (a server or a worker stops its own children after their
    current work) or to its whole group; SIGKILL the group if it is not gone in time."""
    if process.poll() is None:
        if whole_group:
            os.killpg(process.pid, sig)
        else:
            os.kill(process.pid, sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_for_http(url: str, process: subprocess.Popen[bytes], timeout: float = 90) -> None:
    """Wait until `process` answers `url`, with any status; fail if it exits first (a port
    already taken, say)."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise AssertionError(f"{process.args!r} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return  # it answers, even if not with 200
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def tree(pid: int) -> set[int]:
    """The process and all its descendants alive now."""
    found = {pid}
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            for child in children.read_text().split():
                found |= tree(int(child))
        except FileNotFoundError:
            continue
    return found
