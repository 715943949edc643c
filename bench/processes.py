"""Starting and measuring the processes a benchmark runs: peak memory from /proc."""

import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench import environment


def start(
    command: list[str], log_name: str, extra_env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """Start `command` in its own process group, its output in var/bench/<log_name>.log."""
    log = (environment.VAR / f"{log_name}.log").open("wb")
    return subprocess.Popen(
        command,
        cwd=environment.ROOT,
        env={**os.environ, **environment.variables(), **(extra_env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        # The main process only: it stops its own children (gunicorn's workers, Celery's
        # pool) after their current request or task.
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_for_http(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    """Wait until `process` answers `url`; fail if it exits first (a port already taken)."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=10):
                return
        except (urllib.error.URLError, OSError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def tree(pid: int) -> list[int]:
    """The process and all its descendants, alive now."""
    found = [pid]
    for child_list in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in child_list.read_text().split():
            found += tree(int(child))
    return found


def peak_memory_mib(pid: int) -> float:
    """Largest peak resident set (VmHWM) among the process and its children, in MiB."""
    peak_kib = 0
    for member in tree(pid):
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak_kib = max(peak_kib, int(line.split()[1]))
        except FileNotFoundError:
            continue
    return peak_kib / 1024
