"""The fake AWS as its own process for the benchmarks, and a count of the calls made to it."""

import json
import os
import subprocess
import sys
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bench import processes
from tests.processes import wait_for_http

PORT = int(os.environ.get("BENCH_FAKEAWS_PORT", "5077"))
ENDPOINT = f"http://127.0.0.1:{PORT}"
AWS_ENVIRONMENT = {
    "AWS_ENDPOINT_URL": ENDPOINT,
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "eu-west-1",
    "MOTO_EC2_LOAD_DEFAULT_AMIS": "false",
}
READ_PREFIXES = ("Describe", "List", "Get")


def start(delays: str = "") -> subprocess.Popen[bytes]:
    server = processes.start(
        [sys.executable, "-m", "fakeaws", "serve", "--port", str(PORT)],
        "fakeaws",
        {**AWS_ENVIRONMENT, "FAKEAWS_DELAYS": delays},
    )
    wait_for_http(ENDPOINT + "/fakeaws/delays", server, timeout=60)
    os.environ.update(AWS_ENVIRONMENT)
    return server


def post(path: str, body: object = None) -> None:
    request = urllib.request.Request(
        ENDPOINT + path,
        data=b"" if body is None else json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60):
        pass


def reset() -> None:
    post("/moto-api/reset")


class CallCount:
    """AWS operations called through the gateway's clients, counted by a before-call hook."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()

    def hook(self, model: Any, **kwargs: Any) -> None:
        self.calls[model.name] += 1

    @property
    def total(self) -> int:
        return sum(self.calls.values())

    @property
    def mutating(self) -> int:
        return sum(n for name, n in self.calls.items() if not name.startswith(READ_PREFIXES))

    @property
    def reads(self) -> int:
        return self.total - self.mutating


@contextmanager
def counted() -> Iterator[CallCount]:
    """Count every call of every client the gateway builds while the block runs."""
    from privatelink.clouds.aws.gateway import clients

    count = CallCount()
    build = clients.client

    def counting_client(service_name: str, region: str, role_arn: str | None = None) -> Any:
        client = build(service_name, region, role_arn)
        client.meta.events.register("before-call", count.hook)
        return client

    clients.client = counting_client
    try:
        yield count
    finally:
        clients.client = build
