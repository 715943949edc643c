"""`python -m fakeazure serve` as its own process, and the customer command against it."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fakeazure.pytest_plugin import FakeAzure
from tests.constants import BASE_DIR
from tests.fakeazure.conftest import CUSTOMER, GROUP, STRANGER, build_producer
from tests.ports import free_port


def fakeazure_command(*args: str, environment: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "fakeazure", *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    port = free_port()
    cert_dir = tmp_path_factory.mktemp("served-tls")
    environment = {
        **os.environ,
        "FAKEAZURE_PORT": str(port),
        "FAKEAZURE_CERT_DIR": str(cert_dir),
        "FAKEAZURE_DELAYS": "deletion=0.2",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "fakeazure", "serve"],
        cwd=BASE_DIR,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    fake = FakeAzure(f"https://127.0.0.1:{port}", Path(cert_dir) / "cert.pem")
    try:
        deadline = time.monotonic() + 20
        while True:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            try:
                fake.reset()
                break
            except OSError:
                assert time.monotonic() < deadline, "fake Azure did not answer"
                time.sleep(0.1)
        yield fake, environment
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_served_fake_writes_its_certificate_where_clients_look_for_it(served):
    fake, environment = served

    assert (
        Path(environment["FAKEAZURE_CERT_DIR"], "cert.pem")
        .read_text()
        .startswith("-----BEGIN CERTIFICATE-----")
    )
    assert fake.resources() == []


def test_the_served_fake_takes_its_delays_from_the_environment_and_a_reset_restores_them(
    served,
):
    fake, _ = served
    fake.set_delays(deletion=5)

    fake.reset()

    assert fake.delays() == {"provisioning": 0.0, "deletion": 0.2, "api_call": 0.0}


def test_the_customer_command_creates_lists_and_deletes_a_private_endpoint(served):
    fake, environment = served
    fake.reset()
    producer = build_producer(fake)
    service = producer.service(producer.load_balancer())

    created = fakeazure_command(
        "customer",
        "create-endpoint",
        "--subscription-id",
        CUSTOMER,
        "--resource",
        service.alias,
        environment=environment,
    )

    assert created.returncode == 0, created.stderr
    endpoint_id = created.stdout.strip()
    assert endpoint_id.startswith(
        f"/subscriptions/{CUSTOMER}/resourceGroups/fakeazure-customer/providers/"
        "Microsoft.Network/privateEndpoints/pe-"
    )
    connections = list(
        producer.client.private_link_services.list_private_endpoint_connections(
            GROUP, "pls-my-kafka"
        )
    )
    assert [c.private_endpoint.id for c in connections] == [endpoint_id]
    listed = fakeazure_command(
        "customer", "list-endpoints", "--subscription-id", CUSTOMER, environment=environment
    )
    assert listed.stdout.splitlines() == [f"{endpoint_id}\tPending\t10.1.0.4"]

    deleted = fakeazure_command(
        "customer",
        "delete-endpoint",
        "--subscription-id",
        CUSTOMER,
        "--endpoint-id",
        endpoint_id,
        environment=environment,
    )

    assert deleted.returncode == 0, deleted.stderr
    assert not list(
        producer.client.private_link_services.list_private_endpoint_connections(
            GROUP, "pls-my-kafka"
        )
    )


def test_the_customer_command_reports_a_subscription_the_service_does_not_see(served):
    fake, environment = served
    fake.reset()
    producer = build_producer(fake)
    service = producer.service(producer.load_balancer())

    refused = fakeazure_command(
        "customer",
        "create-endpoint",
        "--subscription-id",
        STRANGER,
        "--resource",
        service.alias,
        environment=environment,
    )

    assert refused.returncode == 1
    assert "PrivateLinkServiceNotFound" in refused.stderr
    assert not [r for r in fake.resources() if r["type"] == "Microsoft.Network/privateEndpoints"]


def test_the_customer_command_names_a_malformed_subscription_id(served):
    _, environment = served

    refused = fakeazure_command(
        "customer", "list-endpoints", "--subscription-id", "not-a-guid", environment=environment
    )

    assert refused.returncode == 1
    assert "error: the subscription id must be a GUID" in refused.stderr
    assert "'not-a-guid'" in refused.stderr
    assert refused.stdout == ""
