"""The production processes of the topology test, each started with the project's own
command in a process group of its own, its output in a log file beside the others."""

import contextlib
import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests.constants import BASE_DIR
from tests.processes import start

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
        process = start(argv, self.logs / f"{name}.log", self.env)
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
