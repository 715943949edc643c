"""The production processes of the topology test, each started with the project's own
command in a process group of its own, its output in a log file beside the others."""

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from tests.constants import BASE_DIR

PYTHON = sys.executable


@dataclass
class Stack:
    """Every process started for one test, so that all of them are stopped at the end."""

    env: dict[str, str]
    logs: Path
    started: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def manage(self, *argv: str, extra_env: dict[str, str] | None = None) -> str:
        """`python manage.py ...` to completion; its standard output."""
        done = subprocess.run(
            [PYTHON, "manage.py", *argv],
            cwd=BASE_DIR,
            env={**self.env, **(extra_env or {})},
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise AssertionError(f"manage.py {' '.join(argv)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def start(self, name: str, argv: list[str]) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("wb")
        process = subprocess.Popen(
            argv,
            cwd=BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.started[name] = process
        return process

    def kill(self, name: str) -> None:
        """SIGKILL the process and all its children at once, as a lost machine would."""
        process = self.started[name]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop_all(self) -> None:
        for process in reversed(self.started.values()):
            if process.poll() is None:
                os.kill(process.pid, signal.SIGTERM)
        for process in self.started.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=20)
            # Whatever is left of the group (a pool child, a gunicorn worker) goes too.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def log_tails(self, characters: int = 1500) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-characters:]}"
            for path in sorted(self.logs.glob("*.log"))
        )


def wait_for_http(url: str, process: subprocess.Popen[bytes], timeout: float = 90) -> None:
    """Wait until `process` answers `url`; fail if it exits first."""
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
