"""`python -m fakeaws serve` as its own process, the customer command, and the fixture
reached from a separate process, as a Celery worker reaches it."""

import json
import os
import subprocess
import sys
import time
import urllib.request

import boto3
import pytest

from fakeaws.customer import checkout_environment, fake_aws_url
from fakeaws.pytest_plugin import FakeAws
from tests.constants import BASE_DIR, EXAMPLE_ACCOUNT, EXAMPLE_USER
from tests.fakeaws.conftest import Platform
from tests.ports import free_port


def _wait_until_up(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        try:
            urllib.request.urlopen(url + "/fakeaws/delays", timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"fake AWS did not answer on {url}")


@pytest.fixture(scope="module")
def served():
    port = free_port()
    environment = {**os.environ, "FAKEAWS_PORT": str(port), "FAKEAWS_DELAYS": "nlb=7"}
    environment.pop("MOTO_ACCOUNT_ID", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "fakeaws", "serve"],
        cwd=BASE_DIR,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process)
        yield FakeAws(url), port
    finally:
        process.terminate()
        process.wait(timeout=10)


def _platform(fake: FakeAws) -> Platform:
    ec2 = fake.client("ec2")
    vpc_id = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    subnet_id = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.20.0.0/24")["Subnet"]["SubnetId"]
    return Platform(ec2, fake.client("elbv2"), vpc_id, [subnet_id])


def test_served_process_resets_with_its_extensions_and_keeps_moto_api(served):
    fake, _ = served
    fake.set_delays(endpoint_service=30)
    vpc_id = fake.client("ec2").create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]

    fake.reset()

    delays = json.load(urllib.request.urlopen(fake.endpoint_url + "/fakeaws/delays"))
    assert delays == {"nlb": 7.0, "endpoint_service": 0.0, "health_check": 0.0, "api_call": 0.0}
    vpcs = fake.client("ec2").describe_vpcs()["Vpcs"]
    assert vpc_id not in [v["VpcId"] for v in vpcs]
    with urllib.request.urlopen(fake.endpoint_url + "/moto-api/data.json") as answer:
        assert "ec2" in json.load(answer)


def test_served_process_runs_the_connection_life_cycle_over_http(served):
    fake, port = served
    fake.reset()
    platform = _platform(fake)
    nlb_arn = platform.nlb()
    state = platform.elbv2.describe_load_balancers(LoadBalancerArns=[nlb_arn])
    service = platform.service(nlb_arn=nlb_arn)

    created = subprocess.run(
        [sys.executable, "-m", "fakeaws", "customer", "create-endpoint",
         "--account", EXAMPLE_ACCOUNT, "--principal", EXAMPLE_USER,
         "--service-name", service["ServiceName"]],
        cwd=BASE_DIR, env={**os.environ, "FAKEAWS_PORT": str(port)},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    endpoint_id, endpoint_state, dns_name = created.stdout.split()
    platform.ec2.accept_vpc_endpoint_connections(
        ServiceId=service["ServiceId"], VpcEndpointIds=[endpoint_id]
    )
    listed = subprocess.run(
        [sys.executable, "-m", "fakeaws", "customer", "list-endpoints",
         "--account", EXAMPLE_ACCOUNT],
        cwd=BASE_DIR, env={**os.environ, "FAKEAWS_PORT": str(port)},
        capture_output=True, text=True, check=True,
    )  # fmt: skip

    assert state["LoadBalancers"][0]["State"]["Code"] == "provisioning"  # FAKEAWS_DELAYS=nlb=7
    assert endpoint_state == "pendingAcceptance"
    assert service["ServiceId"] in dns_name
    assert listed.stdout.split() == [endpoint_id, "available", dns_name]


def test_customer_command_reports_a_refusal_and_fails(served):
    fake, port = served
    fake.reset()
    service = _platform(fake).service(principals=())

    refused = subprocess.run(
        [sys.executable, "-m", "fakeaws", "customer", "create-endpoint",
         "--account", EXAMPLE_ACCOUNT, "--principal", EXAMPLE_USER,
         "--service-name", service["ServiceName"]],
        cwd=BASE_DIR, env={**os.environ, "FAKEAWS_PORT": str(port)},
        capture_output=True, text=True,
    )  # fmt: skip

    assert refused.returncode == 1
    assert "InvalidServiceName" in refused.stderr


def test_fixture_environment_reaches_the_same_fake_aws_from_another_process(fake_aws):
    script = (
        "import boto3; "
        "print(boto3.client('ec2').create_vpc(CidrBlock='10.9.0.0/16')['Vpc']['VpcId'])"
    )

    made = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )

    vpc_id = made.stdout.strip()
    seen = boto3.client("ec2").describe_vpcs(VpcIds=[vpc_id])["Vpcs"]
    assert [v["VpcId"] for v in seen] == [vpc_id]
    assert os.environ["AWS_ENDPOINT_URL"] == fake_aws.endpoint_url


def test_the_customer_helper_finds_the_fake_aws_of_the_checkouts_env_file(served, tmp_path):
    fake, port = served
    fake.reset()
    platform = _platform(fake)
    service = platform.service(nlb_arn=platform.nlb())
    local = tmp_path / ".env"
    # As the first `make run` started with FAKEAWS_PORT writes it.
    local.write_text(f"AWS_ENDPOINT_URL=http://127.0.0.1:{port}\nAWS_DEFAULT_REGION=eu-west-1\n")
    unset = {"FAKEAWS_PORT", "AWS_ENDPOINT_URL"}
    environment = {k: v for k, v in os.environ.items() if k not in unset}

    created = subprocess.run(
        [sys.executable, "-m", "fakeaws", "customer", "create-endpoint",
         "--account", EXAMPLE_ACCOUNT, "--principal", EXAMPLE_USER,
         "--service-name", service["ServiceName"]],
        cwd=BASE_DIR, env={**environment, "ENV_FILE": str(local)},
        capture_output=True, text=True, check=False,
    )  # fmt: skip

    assert created.returncode == 0, created.stderr
    # The endpoint is in the fake AWS the file names: only it has this service.
    endpoint_id = created.stdout.split()[0]
    found = fake.customer(EXAMPLE_ACCOUNT, EXAMPLE_USER)
    assert found.describe_endpoint(endpoint_id).service_name == service["ServiceName"]


def test_set_variables_win_over_the_env_file_and_5055_is_the_last_resort(tmp_path):
    local = tmp_path / ".env"
    local.write_text("AWS_ENDPOINT_URL=http://127.0.0.1:6123\n")
    env_file = {"ENV_FILE": str(local)}

    assert fake_aws_url(env_file) == "http://127.0.0.1:6123"
    assert fake_aws_url({**env_file, "AWS_ENDPOINT_URL": "http://127.0.0.1:6200"}) == (
        "http://127.0.0.1:6200"
    )
    assert fake_aws_url({"ENV_FILE": str(tmp_path / "missing.env")}) == "http://127.0.0.1:5055"
    assert fake_aws_url({"ENV_FILE": ""}) == "http://127.0.0.1:5055"
    assert checkout_environment(env_file)["AWS_ENDPOINT_URL"] == "http://127.0.0.1:6123"


def test_fakeaws_port_set_now_wins_over_the_env_file(tmp_path, monkeypatch):
    local = tmp_path / ".env"
    local.write_text("AWS_ENDPOINT_URL=http://127.0.0.1:6123\n")
    monkeypatch.setenv("FAKEAWS_PORT", "7011")

    assert fake_aws_url({"ENV_FILE": str(local), "FAKEAWS_PORT": "7011"}) == "http://127.0.0.1:7011"
