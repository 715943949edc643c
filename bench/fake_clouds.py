"""The fake Azure and the fake Google as processes of their own for the benchmarks, the
console's settings pointed at them, and the count of requests each answered."""

import json
import os
import ssl
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass

from django.conf import settings

from bench import environment, processes
from fakeazure.pytest_plugin import PLATFORM_SUBSCRIPTION
from fakegoogle.pytest_plugin import PLATFORM_PROJECT
from tests.processes import wait_for_http

# A few seconds of provisioning and deletion, as the clouds take (Azure's load balancers
# and private link services, Google's forwarding rules and service attachments).
AZURE_DELAYS = os.environ.get("BENCH_FAKEAZURE_DELAYS", "provisioning=5,deletion=3")
GOOGLE_DELAYS = os.environ.get("BENCH_FAKEGOOGLE_DELAYS", "provisioning=5,deletion=3")
CERT_DIR = environment.VAR / "fakeazure"


@dataclass(frozen=True)
class FakeCloud:
    """One fake cloud: how to start it and the console settings that point at it."""

    name: str  # the provider, as the catalog names it
    cloud: str  # the catalog's cloud of its Project VPCs
    module: str
    port: int
    scheme: str
    delays: str
    # The fake's quotas (its Quotas names) a burst raises to its size first, as an operator
    # has the cloud raise them for a tenant this large (the AWS burst does the same).
    burst_quotas: tuple[str, ...] = ()

    @property
    def endpoint(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def settings(self) -> dict[str, str]:
        """The console's settings (environment variables) for this fake, as `make run`'s."""
        if self.name == "azure":
            return {
                "AZURE_ENDPOINT_URL": self.endpoint,
                "AZURE_CERTIFICATE": str(CERT_DIR / "cert.pem"),
                "AZURE_SUBSCRIPTION_ID": PLATFORM_SUBSCRIPTION,
                "AZURE_POLLING_INTERVAL": "1",
            }
        return {
            "GOOGLE_ENDPOINT_URL": self.endpoint,
            "GOOGLE_PROJECT": PLATFORM_PROJECT,
            "GOOGLE_POLLING_INTERVAL": "1",
        }


AZURE = FakeCloud(
    "azure",
    "azure-westeurope",
    "fakeazure",
    int(os.environ.get("BENCH_FAKEAZURE_PORT", "5078")),
    "https",
    AZURE_DELAYS,
)
GOOGLE = FakeCloud(
    "google",
    "google-europe-west1",
    "fakegoogle",
    int(os.environ.get("BENCH_FAKEGOOGLE_PORT", "5079")),
    "http",
    GOOGLE_DELAYS,
    # Google's defaults: 100 service attachments and 500 internal forwarding rules a region.
    ("service_attachments", "internal_forwarding_rules"),
)
CLOUDS = {fake.name: fake for fake in (AZURE, GOOGLE)}


def start(fake: FakeCloud) -> subprocess.Popen[bytes]:
    """The fake in its own process, zero delays until `delay` is called; this process's
    settings pointed at it, and the environment of the processes it starts after."""
    server = processes.start(
        [sys.executable, "-m", fake.module, "serve", "--port", str(fake.port)],
        fake.module,
        {"FAKEAZURE_CERT_DIR": str(CERT_DIR)},
    )
    _wait_until_up(fake, server)
    os.environ.update(fake.settings())
    for name, value in fake.settings().items():
        setattr(settings, name, float(value) if name.endswith("INTERVAL") else value)
    return server


def _wait_until_up(fake: FakeCloud, server: subprocess.Popen[bytes]) -> None:
    if fake.scheme == "http":
        wait_for_http(_control_url(fake, "/delays"), server, timeout=60)
        return
    deadline = time.monotonic() + 60
    while True:
        try:
            _call(fake, "/delays")
            return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _control_url(fake: FakeCloud, path: str) -> str:
    return f"{fake.endpoint}/{fake.module}{path}"


def _call(fake: FakeCloud, path: str, body: object = None) -> dict[str, int]:
    request = urllib.request.Request(
        _control_url(fake, path),
        data=None if body is None else json.dumps(body).encode(),
        method="GET" if body is None else "POST",
        headers={"Content-Type": "application/json"},
    )
    # The fake Azure speaks HTTPS only, with the certificate it made in CERT_DIR.
    context = (
        ssl.create_default_context(cafile=str(CERT_DIR / "cert.pem"))
        if fake.scheme == "https"
        else None
    )
    with urllib.request.urlopen(request, timeout=60, context=context) as answer:
        found: dict[str, int] = json.loads(answer.read())
        return found


def reset(fake: FakeCloud) -> None:
    _call(fake, "/reset", {})


def delay(fake: FakeCloud, delays: str) -> None:
    """Delays like FAKEAZURE_DELAYS's (`provisioning=5,deletion=3`) from now on."""
    values = {
        k: float(v) for k, _, v in (item.partition("=") for item in delays.split(",") if item)
    }
    _call(fake, "/delays", values)


def make_room(fake: FakeCloud, count: int) -> None:
    """Quotas that hold `count` links more than the fake's defaults."""
    if fake.burst_quotas:
        current = _call(fake, "/quotas")
        _call(fake, "/quotas", {name: current[name] + count for name in fake.burst_quotas})


def requests(fake: FakeCloud) -> int:
    """The cloud API's requests the fake answered since it started or was reset."""
    counted = _call(fake, "/requests")
    return counted["reads"] + counted["writes"]
