"""Starting and measuring the processes a benchmark runs: the bench environment, a log in
var/bench, peak memory from /proc. Starting, waiting and stopping are the tests' own
(tests/processes.py)."""

import os
import subprocess
from pathlib import Path

from bench import environment
from tests import processes


def start(
    command: list[str], log_name: str, extra_env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """Start `command` in its own process group, its output in var/bench/<log_name>.log."""
    return processes.start(
        command,
        environment.VAR / f"{log_name}.log",
        {**os.environ, **environment.variables(), **(extra_env or {})},
    )


def peak_memory_mib(pid: int) -> float:
    """Largest peak resident set (VmHWM) among the process and its children, in MiB."""
    peak_kib = 0
    for member in processes.tree(pid):
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak_kib = max(peak_kib, int(line.split()[1]))
        except FileNotFoundError:
            continue
    return peak_kib / 1024
