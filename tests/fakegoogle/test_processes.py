"""`python -m fakegoogle serve` as its own process, and the customer command against it."""

import os
import subprocess
import sys
import time

import pytest

from fakegoogle.pytest_plugin import FakeGoogle
from tests.constants import BASE_DIR
from tests.fakegoogle.conftest import CUSTOMER, REGION, build_producer, scope
from tests.ports import free_port


def fakegoogle_command(*args: str, environment: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "fakegoogle", *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="module")
def served():
    port = free_port()
    environment = {**os.environ, "FAKEGOOGLE_PORT": str(port), "FAKEGOOGLE_DELAYS": "deletion=0.2"}
    process = subprocess.Popen(
        [sys.executable, "-m", "fakegoogle", "serve"],
        cwd=BASE_DIR,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    fake = FakeGoogle(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 20
        while True:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            try:
                fake.reset()
                break
            except OSError:
                assert time.monotonic() < deadline, "fake Google did not answer"
                time.sleep(0.1)
        yield fake, environment
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_customer_command_creates_lists_and_deletes_an_endpoint(served):
    fake, environment = served
    fake.reset()
    build_producer(fake.compute()).attachment()
    attachment = scope("serviceAttachments", "sa")

    created = fakegoogle_command(
        "customer",
        "create-endpoint",
        "--project",
        CUSTOMER,
        "--service-attachment",
        attachment,
        "--name",
        "kafka",
        environment=environment,
    )
    listed = fakegoogle_command(
        "customer", "list-endpoints", "--project", CUSTOMER, environment=environment
    )
    deleted = fakegoogle_command(
        "customer",
        "delete-endpoint",
        "--project",
        CUSTOMER,
        "--region",
        REGION,
        "--name",
        "kafka",
        environment=environment,
    )

    assert created.returncode == 0, created.stderr
    connection_id = created.stdout.strip()
    assert connection_id.isdigit()
    assert listed.stdout.split("\t")[:3] == [f"{REGION}/kafka", connection_id, "PENDING"]
    assert deleted.returncode == 0, deleted.stderr
    rules = [r["name"] for r in fake.resources() if r["kind"] == "compute#forwardingRule"]
    assert rules == ["rule"]


def test_customer_command_reports_a_missing_attachment_in_one_line(served):
    fake, environment = served
    fake.reset()

    answer = fakegoogle_command(
        "customer",
        "create-endpoint",
        "--project",
        CUSTOMER,
        "--service-attachment",
        scope("serviceAttachments", "nope"),
        environment=environment,
    )

    assert answer.returncode == 1
    assert answer.stderr.startswith("error: The resource")
    assert "serviceAttachments/nope' was not found" in answer.stderr
