"""The production processes of the topology test, started once for its class with the
project's own commands: the fake AWS, `manage.py migrate` and `createsuperuser`,
gunicorn with 2 workers, two Celery workers of concurrency 2 and one beat, on a fresh
PostgreSQL database and a RabbitMQ queue of their own."""

import os
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest
from kombu import Connection

from tests.ports import free_port
from tests.processes import celery_worker, wait_for_http
from tests.topology.constants import ADMIN_EMAIL, ADMIN_PASSWORD, REGION
from tests.topology.processes import PYTHON, Stack
from tests.topology.readings import Database

# Real AWS answers in a fraction of a second; so does the fake here, so runs hold their
# lease long enough for the kill to land in the middle of one.
API_CALL_SECONDS = 0.1
SWEEP_SECONDS = 3


@dataclass(frozen=True)
class Production:
    processes: Stack
    db: Database
    base_url: str
    aws_endpoint: str


def _database_urls() -> tuple[str, str]:
    """(server URL, this test's database URL) from DATABASE_URL, which must be PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.fail(
            "The topology test runs on PostgreSQL: set DATABASE_URL=postgres://USER@HOST:PORT/NAME"
            f" (got {url or 'nothing'})."
        )
    server, _, name = url.split("?")[0].rpartition("/")
    return server, f"{server}/{name}_topology"


def _broker_url() -> str:
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("amqp://"):
        pytest.fail(
            "The topology test runs on RabbitMQ: set "
            "CELERY_BROKER_URL=amqp://guest:guest@127.0.0.1:5672// "
            f"(got {url or 'nothing'})."
        )
    return url


@pytest.fixture(scope="class")
def production(tmp_path_factory) -> Iterator[Production]:
    server_url, database_url = _database_urls()
    broker_url = _broker_url()
    name = database_url.rpartition("/")[2]
    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    work = tmp_path_factory.mktemp("topology")
    queue_name = f"topology-{os.getpid()}"
    fake_aws_port, web_port = free_port(), free_port()
    aws_endpoint = f"http://127.0.0.1:{fake_aws_port}"
    env = {
        **os.environ,
        # The production settings; TESTING only for the development secret key and
        # cookies without the Secure flag, since the test speaks plain HTTP on loopback.
        "DJANGO_SETTINGS_MODULE": "console.settings",
        "TESTING": "true",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        # A queue of this run's own: other runs on the same broker never take its tasks.
        "CELERY_QUEUE": queue_name,
        "AWS_ENDPOINT_URL": aws_endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "MOTO_EC2_LOAD_DEFAULT_AMIS": "false",
        "FAKEAWS_DELAYS": f"api_call={API_CALL_SECONDS}",
        "PRIVATELINK_SWEEP_SECONDS": str(SWEEP_SECONDS),
        "VAR_DIR": str(work / "var"),
        "PYTHONUNBUFFERED": "1",
        "LOG_LEVEL": "INFO",
    }
    processes = Stack(env, work)
    try:
        fake_aws = processes.start(
            "fakeaws", [PYTHON, "-m", "fakeaws", "serve", "--port", str(fake_aws_port)]
        )
        wait_for_http(f"{aws_endpoint}/fakeaws/delays", fake_aws)
        processes.manage("migrate", "--noinput", "-v", "0")
        processes.manage(
            "createsuperuser",
            "--noinput",
            "--email",
            ADMIN_EMAIL,
            extra_env={"DJANGO_SUPERUSER_PASSWORD": ADMIN_PASSWORD},
        )
        web = processes.start(
            "gunicorn",
            [
                PYTHON,
                "-m",
                "gunicorn",
                "console.wsgi:application",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{web_port}",
            ],
        )
        for worker in ("worker-a", "worker-b"):
            processes.start(
                worker,
                # As production runs an AWS worker: its cloud's queue and the default one.
                celery_worker(
                    "--queues",
                    f"{queue_name},{queue_name}.aws",
                    "--concurrency",
                    "2",
                    "--hostname",
                    f"{worker}@%h",
                    "--loglevel",
                    "INFO",
                ),
            )
        processes.start(
            "beat",
            [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "console",
                "beat",
                "--schedule",
                str(work / "celerybeat-schedule"),
                "--loglevel",
                "INFO",
            ],
        )
        base_url = f"http://127.0.0.1:{web_port}"
        wait_for_http(f"{base_url}/healthz", web)
        yield Production(processes, Database(database_url), base_url, aws_endpoint)
    finally:
        processes.stop_all()
        with Connection(broker_url, connect_timeout=5) as connection:
            connection.default_channel.queue_delete(queue_name)
