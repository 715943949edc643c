"""`make run`'s process runner: the whole stack comes up, serves the login page, and a
SIGTERM stops every process it started, grandchildren included."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from console.devstack import demo_environment, ensure_env_file, read_env_file
from tests.ports import free_port

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def test_demo_environment_points_at_the_fake_aws_and_lets_the_caller_override():
    environ = demo_environment({"FAKEAWS_PORT": "6000", "PRIVATELINK_SWEEP_SECONDS": "5"})

    assert environ["AWS_ENDPOINT_URL"] == "http://127.0.0.1:6000"
    assert environ["PRIVATELINK_SWEEP_SECONDS"] == "5"
    assert environ["DEBUG"] == "true"
    assert environ["AWS_ACCESS_KEY_ID"] == "testing"
    assert "nlb=" in environ["FAKEAWS_DELAYS"]


def test_demo_environment_points_the_console_at_the_fake_azure_and_its_certificate(tmp_path):
    environ = demo_environment({"FAKEAZURE_PORT": "6001", "VAR_DIR": str(tmp_path)})

    assert environ["AZURE_ENDPOINT_URL"] == "https://127.0.0.1:6001"
    assert environ["FAKEAZURE_PORT"] == "6001"
    # The fake writes its certificate where the console is told to trust it.
    assert environ["FAKEAZURE_CERT_DIR"] == str(tmp_path / "fakeazure")
    assert environ["AZURE_CERTIFICATE"] == str(tmp_path / "fakeazure" / "cert.pem")
    assert environ["AZURE_SUBSCRIPTION_ID"]
    # Polled every second, not every 30 s as the SDK would.
    assert environ["AZURE_POLLING_INTERVAL"] == "1"


def test_demo_environment_points_the_console_at_the_fake_google():
    environ = demo_environment({"FAKEGOOGLE_PORT": "6002"})

    assert environ["GOOGLE_ENDPOINT_URL"] == "http://127.0.0.1:6002"
    assert environ["FAKEGOOGLE_PORT"] == "6002"
    assert environ["GOOGLE_PROJECT"]
    # Short operations, polled every second: the demo shows `creating`, then `active`.
    assert "provisioning=" in environ["FAKEGOOGLE_DELAYS"]
    assert environ["GOOGLE_POLLING_INTERVAL"] == "1"


def test_the_fake_google_listens_where_the_local_file_points_the_console():
    environ = demo_environment({}, {"GOOGLE_ENDPOINT_URL": "http://127.0.0.1:6102"})

    assert environ["FAKEGOOGLE_PORT"] == "6102"


def test_a_certificate_named_in_the_local_file_is_where_the_fake_azure_keeps_it(tmp_path):
    local = {
        "AZURE_ENDPOINT_URL": "https://127.0.0.1:6101",
        "AZURE_CERTIFICATE": str(tmp_path / "tls" / "cert.pem"),
    }

    environ = demo_environment({}, local)

    assert environ["FAKEAZURE_PORT"] == "6101"
    assert environ["FAKEAZURE_CERT_DIR"] == str(tmp_path / "tls")


def test_the_local_file_sits_between_the_defaults_and_the_environment():
    local = {"AWS_ENDPOINT_URL": "http://127.0.0.1:6100", "FAKEAWS_DELAYS": "nlb=1"}

    environ = demo_environment({"FAKEAWS_DELAYS": "nlb=0"}, local)

    assert environ["FAKEAWS_DELAYS"] == "nlb=0"
    assert environ["AWS_ENDPOINT_URL"] == "http://127.0.0.1:6100"
    # The fake AWS listens where the console will call it.
    assert environ["FAKEAWS_PORT"] == "6100"
    assert environ["DEBUG"] == "true"


def test_the_local_file_is_written_once_with_its_own_secret_key_and_never_overwritten(tmp_path):
    path = tmp_path / ".env"

    assert ensure_env_file(
        path,
        {
            "FAKEAWS_PORT": "6200",
            "FAKEAZURE_PORT": "6201",
            "FAKEGOOGLE_PORT": "6202",
            "VAR_DIR": str(tmp_path),
        },
    )
    first = read_env_file(path)
    path.write_text(path.read_text() + "LOG_LEVEL=DEBUG\n")
    assert not ensure_env_file(path, {})

    assert read_env_file(path) == {**first, "LOG_LEVEL": "DEBUG"}
    assert first["DEBUG"] == "true"
    assert first["AWS_ENDPOINT_URL"] == "http://127.0.0.1:6200"
    assert first["AZURE_ENDPOINT_URL"] == "https://127.0.0.1:6201"
    assert first["AZURE_CERTIFICATE"] == str(tmp_path / "fakeazure" / "cert.pem")
    assert first["GOOGLE_ENDPOINT_URL"] == "http://127.0.0.1:6202"
    assert len(first["SECRET_KEY"]) >= 50
    Fernet(first["CREDENTIALS_ENCRYPTION_KEYS"])  # a valid key of its own
    assert path.stat().st_mode & 0o077 == 0
    other = tmp_path / "other.env"
    ensure_env_file(other, {})
    assert read_env_file(other)["SECRET_KEY"] != first["SECRET_KEY"]


def _descendants(pid: int) -> set[int]:
    """Every living process below `pid`, read from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier}
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.worker
def test_runner_serves_the_console_and_sigterm_leaves_no_process_behind(tmp_path):
    port = free_port()
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "TESTING", "DATABASE_URL", "CELERY_"))
    }
    environ.update(
        PORT=str(port),
        FAKEAWS_PORT=str(free_port()),
        FAKEAZURE_PORT=str(free_port()),
        FAKEGOOGLE_PORT=str(free_port()),
        VAR_DIR=str(tmp_path),
        ENV_FILE=str(tmp_path / ".env"),
        DEMO_PASSWORD="demo passphrase 2026",
    )
    log = (tmp_path / "devstack.log").open("wb")
    runner = subprocess.Popen(
        [sys.executable, "-m", "console.devstack"],
        cwd=BASE_DIR,
        env=environ,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        page = b""
        logged = ""
        while time.monotonic() < deadline and runner.poll() is None:
            logged = (tmp_path / "devstack.log").read_text()
            # The worker starts once the fake AWS answers; wait until it is ready too.
            if " ready." in logged and not page:
                try:
                    url = f"http://127.0.0.1:{port}/accounts/login/"
                    with urllib.request.urlopen(url, timeout=5) as response:
                        page = response.read()
                except OSError:
                    pass
            if page:
                break
            time.sleep(0.5)
        started = _descendants(runner.pid)
        assert b"Log in" in page, logged
        assert "started worker" in logged
        assert "started beat" in logged
        assert "started fake Azure" in logged
        assert "started fake Google" in logged

        runner.send_signal(signal.SIGTERM)
        assert runner.wait(timeout=60) == 0, (tmp_path / "devstack.log").read_text()
    finally:
        if runner.poll() is None:
            runner.kill()
        log.close()

    # runserver, the fakes of AWS, Azure and Google, the worker (its threads pool is in the
    # one process), beat.
    assert len(started) >= 6
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in started):
        time.sleep(0.2)
    assert [pid for pid in started if _alive(pid)] == []
