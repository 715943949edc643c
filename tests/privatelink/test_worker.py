"""The engine end to end: saves queue tasks on Redis and on RabbitMQ, a real Celery worker
process (with the beat-driven sweep) carries them out against the fake AWS.

The worker and the saving process share a private SQLite file; the test reads it back
with sqlite3. A broker that does not answer fails the test under CI (CI=true) and skips it
elsewhere. Each run uses a queue of its own, so runs sharing a broker never take each
other's tasks (RabbitMQ: TEST_RABBITMQ_URL, default the `/` vhost as guest).
"""

import os
import random
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.constants import BASE_DIR, CUSTOMER_ACCOUNT, CUSTOMER_ROLE
from tests.processes import celery_worker, start

pytestmark = pytest.mark.worker

REDIS = ("127.0.0.1", 6379)
RABBITMQ_URL = os.environ.get("TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672//")
WAIT_SECONDS = 120

SEED = f"""
from console import actions as console_actions
from console.models import Project
from privatelink import actions

project = Project.objects.create(name="demo")
vpc = console_actions.create_project_vpc(project, "aws-eu-west-1", "10.0.0.0/16", actor=None)
service = console_actions.create_service(
    project, name="my-kafka", service_type="kafka", plan="business-4", project_vpc=vpc,
    actor=None,
)
saved = actions.create_privatelink(service, [{CUSTOMER_ROLE!r}], actor=None)
assert saved.queued, "the reconcile did not reach the broker"
"""

ENABLE_KAFKA = """
from console.models import Service
from privatelink import actions

service = Service.objects.get(name="my-kafka")
actions.set_component_access(service, {"kafka": True}, actor=None)
"""


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=2) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _rabbitmq_reachable() -> bool:
    from kombu import Connection

    try:
        with Connection(RABBITMQ_URL, connect_timeout=2) as connection:
            connection.ensure_connection(max_retries=1)
    except Exception:  # any failure: not reachable
        return False
    return True


def _unreachable(name: str) -> None:
    message = f"{name} is not reachable"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(params=["redis", "rabbitmq"])
def broker_url(request) -> Iterator[str]:
    if request.param == "redis":
        if not _redis_reachable():
            _unreachable(f"Redis at {REDIS[0]}:{REDIS[1]}")
        # A database of its own, so that another run's worker never takes these tasks;
        # REDIS_TEST_DB pins it where several runs share one Redis.
        database = os.environ.get("REDIS_TEST_DB") or random.randint(1, 15)
        yield f"redis://{REDIS[0]}:{REDIS[1]}/{database}"
        return
    if not _rabbitmq_reachable():
        _unreachable(f"RabbitMQ at {RABBITMQ_URL}")
    yield RABBITMQ_URL


@pytest.fixture
def queue_name(broker_url) -> Iterator[str]:
    """A queue of this run's own; deleted afterwards so that RabbitMQ keeps no leftovers."""
    from kombu import Connection

    name = f"test-worker-{os.getpid()}-{random.randrange(16**6):06x}"
    yield name
    with Connection(broker_url, connect_timeout=2) as connection:
        for each in (name, *(f"{name}.{provider}" for provider in ("aws", "azure", "google"))):
            connection.default_channel.queue_delete(each)


@pytest.fixture
def stack(tmp_path, fake_aws, broker_url, queue_name):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "TESTING": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'engine.sqlite3'}",
        "CELERY_BROKER_URL": broker_url,
        "CELERY_QUEUE": queue_name,
        "AWS_ENDPOINT_URL": fake_aws.endpoint_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": fake_aws.region,
        "PRIVATELINK_SWEEP_SECONDS": "2",
        "PYTHONUNBUFFERED": "1",
    }

    def manage(*argv: str) -> None:
        subprocess.run([sys.executable, "manage.py", *argv], cwd=BASE_DIR, env=env, check=True)

    manage("migrate", "--noinput", "-v", "0")
    # The production pool: threads, several reconciles at once in one process.
    worker = start(
        celery_worker(
            "--beat",
            # As production runs an AWS worker: its cloud's queue and the default one.
            f"--queues={queue_name},{queue_name}.aws",
            "--pool=threads",
            "--concurrency=4",
            # A name of its own: another run's worker on the same broker and host holds
            # the default name's control queue exclusively.
            f"--hostname={queue_name}@%h",
            "--loglevel=INFO",
            f"--schedule={tmp_path / 'celerybeat-schedule'}",
        ),
        tmp_path / "worker.log",
        env,
    )
    try:
        yield manage, tmp_path / "engine.sqlite3", tmp_path / "worker.log"
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def _wait_for(database: Path, sql: str, expected: object, log: Path) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    rows: list = []
    while time.monotonic() < deadline:
        with sqlite3.connect(database, timeout=10) as db:
            rows = db.execute(sql).fetchall()
        if rows == expected:
            return
        time.sleep(0.5)
    tail = log.read_text(errors="replace")[-4000:]
    pytest.fail(f"{sql} gave {rows}, not {expected}, within {WAIT_SECONDS}s.\n{tail}")


def test_the_worker_builds_connects_and_serves_kafka_through_privatelink(stack, fake_aws):
    manage, database, log = stack
    manage("shell", "-c", SEED)

    _wait_for(database, "SELECT state FROM privatelink_privatelink", [("active",)], log)
    with sqlite3.connect(database) as db:
        service_id, service_name = db.execute(
            "SELECT service_id, service_name FROM privatelink_awsprivatelink"
        ).fetchone()
        vpc = db.execute("SELECT state, aws_vpc_id FROM console_projectvpc").fetchone()
    assert vpc[0] == "active"
    assert vpc[1].startswith("vpc-")
    assert service_name == f"com.amazonaws.vpce.eu-west-1.{service_id}"
    subnets = fake_aws.client("ec2").describe_subnets(
        Filters=[{"Name": "vpc-id", "Values": [vpc[1]]}]
    )["Subnets"]
    assert len({s["AvailabilityZone"] for s in subnets}) == 3

    # The customer's endpoint appears without any user action: the beat-driven sweep sees it.
    endpoint = fake_aws.customer(CUSTOMER_ACCOUNT, CUSTOMER_ROLE).create_endpoint(service_name)
    _wait_for(
        database,
        "SELECT endpoint_id, state FROM privatelink_privatelinkconnection",
        [(endpoint.id, "active")],
        log,
    )

    manage("shell", "-c", ENABLE_KAFKA)
    _wait_for(
        database,
        "SELECT count(*) FROM privatelink_listener WHERE component='kafka' AND health='healthy'",
        [(3,)],
        log,
    )
    elb = fake_aws.client("elbv2")
    (balancer,) = elb.describe_load_balancers()["LoadBalancers"]
    ports = sorted(
        listener["Port"]
        for listener in elb.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])[
            "Listeners"
        ]
    )
    assert ports == [10000, 10001, 10002]


PLAN = """
from console import actions
from console.models import Service

actions.change_plan(Service.objects.get(name="my-kafka"), {plan!r}, actor=None)
"""


def _aws_listeners_and_groups(fake_aws) -> tuple[list[int], list[str]]:
    elb = fake_aws.client("elbv2")
    (balancer,) = elb.describe_load_balancers()["LoadBalancers"]
    listeners = elb.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])["Listeners"]
    groups = elb.describe_target_groups()["TargetGroups"]
    return sorted(x["Port"] for x in listeners), sorted(g["TargetGroupArn"] for g in groups)


def _rows(database: Path) -> tuple[list[int], list[str]]:
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT port, target_group_arn FROM privatelink_listener").fetchall()
    return sorted(port for port, _ in rows), sorted(arn for _, arn in rows)


def test_the_worker_scales_kafka_3_to_6_to_3_and_aws_holds_exactly_the_current_brokers(
    stack, fake_aws
):
    manage, database, log = stack
    manage("shell", "-c", SEED)
    _wait_for(database, "SELECT state FROM privatelink_privatelink", [("active",)], log)
    with sqlite3.connect(database) as db:
        (service_name,) = db.execute(
            "SELECT service_name FROM privatelink_awsprivatelink"
        ).fetchone()
    fake_aws.customer(CUSTOMER_ACCOUNT, CUSTOMER_ROLE).create_endpoint(service_name)
    _wait_for(database, "SELECT state FROM privatelink_privatelinkconnection", [("active",)], log)
    manage("shell", "-c", ENABLE_KAFKA)
    healthy = (
        "SELECT count(*) FROM privatelink_listener WHERE component='kafka' AND health='healthy'"
    )
    _wait_for(database, healthy, [(3,)], log)
    first = _rows(database)
    assert first[0] == [10000, 10001, 10002]

    manage("shell", "-c", PLAN.format(plan="premium-6"))
    _wait_for(database, healthy, [(6,)], log)
    converged = "SELECT observed_generation = generation, state FROM privatelink_privatelink"
    _wait_for(database, converged, [(1, "active")], log)
    six = _rows(database)
    assert six[0] == [10000, 10001, 10002, 10003, 10004, 10005]
    assert set(first[1]) <= set(six[1])  # the first brokers kept their target groups
    assert _aws_listeners_and_groups(fake_aws) == six

    manage("shell", "-c", PLAN.format(plan="business-4"))
    _wait_for(database, "SELECT count(*) FROM privatelink_listener", [(3,)], log)
    _wait_for(database, converged, [(1, "active")], log)
    assert _rows(database) == first
    assert _aws_listeners_and_groups(fake_aws) == first
