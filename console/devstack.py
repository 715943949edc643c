"""The local stack behind `make run`: fake AWS, fake Azure, fake Google, web server, Celery
worker and beat as children.

`python -m console.devstack` migrates, seeds the demo data, starts every process and
stops them all (with their own children) on Ctrl-C or SIGTERM. If one of them dies, the
others are stopped too and the exit status says so: a half-running stack only confuses.
"""

import contextlib
import os
import secrets
import signal
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from urllib.parse import urlsplit

from cryptography.fernet import Fernet
from environ import Env

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
STOP_GRACE_SECONDS = 10
FAKEAWS_WAIT_SECONDS = 90
DEFAULT_FAKEAWS_PORT = 5055
DEFAULT_FAKEAZURE_PORT = 5056
DEFAULT_FAKEGOOGLE_PORT = 5057
# The fake Azure's platform subscription (any GUID: the fake makes subscriptions on use).
FAKEAZURE_SUBSCRIPTION_ID = "00000000-0000-0000-0000-0000000000aa"
# The fake Google's platform project (any name: the fake makes projects on use).
FAKEGOOGLE_PROJECT = "privatelink-platform"


# What `make run` runs with, written into the checkout's `.env` on the first start so that
# `manage.py` commands started by hand see the same configuration.
LOCAL_DEFAULTS = {
    "DEBUG": "true",
    "AWS_ENDPOINT_URL": f"http://127.0.0.1:{DEFAULT_FAKEAWS_PORT}",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "eu-west-1",
    # Seconds each transition takes in the fake AWS, so the pages show real progress.
    "FAKEAWS_DELAYS": "nlb=5,endpoint_service=3,health_check=3",
    # The fake Azure (HTTPS with a certificate of its own, see demo_environment), with
    # Azure's provisioning and deletion in seconds, polled every second.
    "AZURE_ENDPOINT_URL": f"https://127.0.0.1:{DEFAULT_FAKEAZURE_PORT}",
    "AZURE_SUBSCRIPTION_ID": FAKEAZURE_SUBSCRIPTION_ID,
    "AZURE_POLLING_INTERVAL": "1",
    "FAKEAZURE_DELAYS": "provisioning=3,deletion=2",
    # The fake Google (plain HTTP, anonymous), with Compute's operations in seconds.
    "GOOGLE_ENDPOINT_URL": f"http://127.0.0.1:{DEFAULT_FAKEGOOGLE_PORT}",
    "GOOGLE_PROJECT": FAKEGOOGLE_PROJECT,
    "GOOGLE_POLLING_INTERVAL": "1",
    "FAKEGOOGLE_DELAYS": "provisioning=3,deletion=2",
    "PRIVATELINK_SWEEP_SECONDS": "10",
    # runserver has no proxy in front: every peer, local ones too, is a client, whose
    # X-Forwarded-For must not choose the address the login throttle counts against.
    "FORWARDED_ALLOW_IPS": "",
}
ENV_FILE_HEADER = """\
# This checkout's local configuration, written by the first `make run` and never
# overwritten: edit it as you like. `make run` and every `manage.py` command in this
# checkout read it; a variable set in the environment wins over the file.
# The database (var/console.sqlite3) and the broker (files under var/) are the defaults.
"""


def env_file_path(environ: Mapping[str, str]) -> Path:
    return Path(environ.get("ENV_FILE") or BASE_DIR / ".env")


def ensure_env_file(path: Path, environ: Mapping[str, str]) -> bool:
    """Write the local `.env` unless it exists; True if it was written now."""
    if path.exists():
        return False
    values = {
        **LOCAL_DEFAULTS,
        "SECRET_KEY": secrets.token_urlsafe(50),
        # Encrypts the service users' passwords at rest; this checkout's own.
        "CREDENTIALS_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    }
    if "FAKEAWS_PORT" in environ:
        values["AWS_ENDPOINT_URL"] = f"http://127.0.0.1:{environ['FAKEAWS_PORT']}"
    if "FAKEAZURE_PORT" in environ:
        values["AZURE_ENDPOINT_URL"] = f"https://127.0.0.1:{environ['FAKEAZURE_PORT']}"
    if "FAKEGOOGLE_PORT" in environ:
        values["GOOGLE_ENDPOINT_URL"] = f"http://127.0.0.1:{environ['FAKEGOOGLE_PORT']}"
    # `manage.py` by hand trusts the fake Azure's certificate as `make run` does.
    values["AZURE_CERTIFICATE"] = str(fake_azure_cert_dir(environ) / "cert.pem")
    lines = [f"{key}={value}" for key, value in values.items()]
    try:
        # Exclusive creation: two first starts at once cannot overwrite each other's key;
        # readable by the owner only, since it holds the secret key.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(descriptor, "w") as file:
        file.write(ENV_FILE_HEADER + "\n".join(lines) + "\n")
    return True


def read_env_file(path: Path) -> dict[str, str]:
    """The file's variables, parsed by django-environ as the settings parse it."""
    values: dict[str, str] = {}

    class IntoDict(Env):
        ENVIRON = values  # read_env fills this instead of os.environ

    IntoDict.read_env(path)
    return values


def fake_azure_cert_dir(environ: Mapping[str, str]) -> Path:
    """Where the fake Azure keeps its certificate: beside the certificate the console is
    told to trust, else under VAR_DIR."""
    if environ.get("FAKEAZURE_CERT_DIR"):
        return Path(environ["FAKEAZURE_CERT_DIR"])
    if environ.get("AZURE_CERTIFICATE"):
        return Path(environ["AZURE_CERTIFICATE"]).parent
    return Path(environ.get("VAR_DIR") or BASE_DIR / "var") / "fakeazure"


def demo_environment(
    environ: Mapping[str, str], local: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The children's environment: the demo defaults, then the local `.env`, then whatever
    is set in the environment. The fake AWS listens on the port of AWS_ENDPOINT_URL, and a
    FAKEAWS_PORT given in the environment moves both; so do the fake Azure, its
    AZURE_ENDPOINT_URL and FAKEAZURE_PORT (and the console trusts its certificate), and the
    fake Google, its GOOGLE_ENDPOINT_URL and FAKEGOOGLE_PORT."""
    merged = {**LOCAL_DEFAULTS, **(local or {}), **environ, "PYTHONUNBUFFERED": "1"}
    if "FAKEAWS_PORT" in environ and "AWS_ENDPOINT_URL" not in environ:
        merged["AWS_ENDPOINT_URL"] = f"http://127.0.0.1:{environ['FAKEAWS_PORT']}"
    merged["FAKEAWS_PORT"] = str(urlsplit(merged["AWS_ENDPOINT_URL"]).port or DEFAULT_FAKEAWS_PORT)
    if "FAKEAZURE_PORT" in environ and "AZURE_ENDPOINT_URL" not in environ:
        merged["AZURE_ENDPOINT_URL"] = f"https://127.0.0.1:{environ['FAKEAZURE_PORT']}"
    azure_port = urlsplit(merged["AZURE_ENDPOINT_URL"]).port or DEFAULT_FAKEAZURE_PORT
    merged["FAKEAZURE_PORT"] = str(azure_port)
    cert_dir = fake_azure_cert_dir(merged)
    merged["FAKEAZURE_CERT_DIR"] = str(cert_dir)
    merged.setdefault("AZURE_CERTIFICATE", str(cert_dir / "cert.pem"))
    if "FAKEGOOGLE_PORT" in environ and "GOOGLE_ENDPOINT_URL" not in environ:
        merged["GOOGLE_ENDPOINT_URL"] = f"http://127.0.0.1:{environ['FAKEGOOGLE_PORT']}"
    google_port = urlsplit(merged["GOOGLE_ENDPOINT_URL"]).port or DEFAULT_FAKEGOOGLE_PORT
    merged["FAKEGOOGLE_PORT"] = str(google_port)
    return merged


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]


class Stack:
    def __init__(self, environ: dict[str, str]) -> None:
        self.environ = environ
        self.children: list[Child] = []
        self.stopping = False

    def start(self, name: str, *argv: str) -> Child:
        # Each child leads its own process group, so stopping it also stops what it
        # started (Celery's pool processes) and a terminal's Ctrl-C reaches only us.
        process = subprocess.Popen(  # noqa: S603 - argv is ours, never user input
            argv, cwd=BASE_DIR, env=self.environ, start_new_session=True
        )
        child = Child(name, process)
        self.children.append(child)
        print(f"devstack: started {name} (pid {process.pid})", flush=True)
        return child

    def stop(self) -> None:
        self.stopping = True
        # SIGTERM to each leader only: Celery's main process shuts its pool down in order.
        for child in self.children:
            if child.process.poll() is None:
                child.process.terminate()
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for child in self.children:
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                print(f"devstack: {child.name} did not stop in time, killing it", flush=True)
        for child in self.children:
            # Whatever is left in the group (a pool process orphaned by a crash) goes too.
            self._signal(child, signal.SIGKILL)
            child.process.wait()

    @staticmethod
    def _signal(child: Child, signum: int) -> None:
        # The group is gone once every member exited (and was reaped).
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(child.process.pid, signum)

    def first_exited(self) -> Child | None:
        return next((c for c in self.children if c.process.poll() is not None), None)


def run_step(environ: dict[str, str], *argv: str) -> None:
    """Run a set-up step to completion; stop with its exit status if it fails."""
    result = subprocess.run(argv, cwd=BASE_DIR, env=environ, check=False)  # noqa: S603
    if result.returncode != 0:
        print(f"devstack: `{' '.join(argv[1:])}` failed", file=sys.stderr, flush=True)
        sys.exit(result.returncode)


def wait_for_fake(stack: Stack, child: Child, url: str, certificate: str = "") -> bool:
    """Whether the fake answers at `url` before long (over HTTPS, trusting `certificate`,
    which the fake writes as it starts)."""
    deadline = time.monotonic() + FAKEAWS_WAIT_SECONDS
    while time.monotonic() < deadline and not stack.stopping:
        if child.process.poll() is not None:
            return False
        try:
            context = ssl.create_default_context(cafile=certificate) if certificate else None
            with urllib.request.urlopen(url, timeout=2, context=context):  # noqa: S310 - ours
                return True
        except (urllib.error.URLError, OSError, ssl.SSLError):
            time.sleep(0.5)
    return False


def main() -> int:
    env_file = env_file_path(os.environ)
    if ensure_env_file(env_file, os.environ):
        print(f"devstack: wrote the local configuration to {env_file}", flush=True)
    environ = demo_environment(os.environ, read_env_file(env_file))
    port = environ.get("PORT", "8000")
    manage = (PYTHON, "manage.py")
    stack = Stack(environ)

    def on_signal(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    # Installed first: a signal during set-up also ends in the orderly stop below
    # (subprocess.run kills its step when interrupted).
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    status = 0
    try:
        run_step(environ, *manage, "migrate", "--noinput")
        run_step(environ, *manage, "seed_demo")
        fakeaws = stack.start("fake AWS", PYTHON, "-m", "fakeaws", "serve")
        fakeazure = stack.start("fake Azure", PYTHON, "-m", "fakeazure", "serve")
        fakegoogle = stack.start("fake Google", PYTHON, "-m", "fakegoogle", "serve")
        stack.start("web", *manage, "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}")
        moto_api = f"{environ['AWS_ENDPOINT_URL']}/moto-api/"
        azure_control = f"{environ['AZURE_ENDPOINT_URL']}/fakeazure/delays"
        google_control = f"{environ['GOOGLE_ENDPOINT_URL']}/fakegoogle/delays"
        if not wait_for_fake(stack, fakeaws, moto_api):
            print(f"devstack: the fake AWS did not answer at {moto_api}", file=sys.stderr)
            status = 1
        elif not wait_for_fake(stack, fakeazure, azure_control, environ["AZURE_CERTIFICATE"]):
            print(f"devstack: the fake Azure did not answer at {azure_control}", file=sys.stderr)
            status = 1
        elif not wait_for_fake(stack, fakegoogle, google_control):
            print(f"devstack: the fake Google did not answer at {google_control}", file=sys.stderr)
            status = 1
        else:
            celery = (PYTHON, "-m", "celery", "-A", "console")
            stack.start(
                "worker",
                *celery,
                "worker",
                "--loglevel=INFO",
                # The threads pool of production (settings), fewer threads: SQLite has
                # one writer at a time.
                "--concurrency=4",
                # Nothing to synchronise with on one machine; these only slow the start.
                "--without-mingle",
                "--without-gossip",
            )
            stack.start("beat", *celery, "beat", "--loglevel=INFO")
            print(
                f"devstack: the console is at http://127.0.0.1:{port}/ (Ctrl-C stops everything)",
                flush=True,
            )
            while (exited := stack.first_exited()) is None:
                time.sleep(0.5)
            print(
                f"devstack: {exited.name} exited with status {exited.process.returncode}; "
                "stopping the others",
                file=sys.stderr,
                flush=True,
            )
            status = 1
    except KeyboardInterrupt:
        print("devstack: stopping", flush=True)
    finally:
        # A second signal while stopping must not leave children behind.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        stack.stop()
    return status


if __name__ == "__main__":
    sys.exit(main())
