"""The Makefile refuses an interpreter older than Python 3.12 with a message saying so."""

import shutil
import subprocess
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def make(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [shutil.which("make") or "make", "-s", *args],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_an_old_python_stops_make_with_a_clear_message(tmp_path):
    old = tmp_path / "python3.11"
    old.write_text("#!/bin/sh\nexit 1\n")  # answers "older than 3.12" to the version check
    old.chmod(0o755)

    result = make("python", f"PYTHON={old}")

    assert result.returncode != 0
    assert "Python 3.12 or newer is required" in result.stderr
    assert str(old) in result.stderr


def test_the_python_in_use_is_accepted():
    result = make("python")

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_ci_script_is_strict_and_runs_the_suite_on_both_databases():
    script = BASE_DIR / ".ci" / "run"
    text = script.read_text()

    assert script.stat().st_mode & 0o111
    assert "set -euo pipefail" in text
    assert "apt-get install -y" in text
    assert "chromium" in text
    assert text.count("make test") >= 2
    assert "DATABASE_URL=postgres://" in text
    assert "CELERY_BROKER_URL=redis://" in text
