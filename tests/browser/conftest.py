"""The live stack the browser tests drive: a web server and a real Celery worker (with
the sweep) as subprocesses on a private SQLite file, the fake AWS, the fake Azure, the fake
Google, and Debian's Chromium.

The stack's database is a file of its own so that the web server and the worker share
it; tests read it back with sqlite3 to check what was saved.
"""

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import sync_playwright

from fakeazure.pytest_plugin import PLATFORM_SUBSCRIPTION
from fakegoogle.pytest_plugin import PLATFORM_PROJECT
from tests import processes
from tests.constants import BASE_DIR, OUTSIDER, OWNER, PASSWORD, VIEWER
from tests.ports import free_port

SCREENSHOTS = BASE_DIR / "var" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START_SECONDS = 60

USERS_SCRIPT = f"""
from console.models import Membership, Project, User
project = Project.objects.create(name="acme")
for email, role in (("{OWNER}", "admin"), ("{VIEWER}", "read_only"), ("{OUTSIDER}", None)):
    user = User.objects.create_user(email, {PASSWORD!r})
    if role:
        Membership.objects.create(user=user, project=project, role=role)
"""


@dataclass
class Stack:
    url: str
    database: Path
    log_dir: Path
    env: dict[str, str]

    def shell(self, script: str) -> None:
        """Run Python in a Django shell on the stack's database (set-up that no page makes)."""
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", script],
            cwd=BASE_DIR,
            env=self.env,
            check=True,
            capture_output=True,
        )

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """Read the stack's database as the web server and the worker left it."""
        with sqlite3.connect(self.database, timeout=10) as db:
            return db.execute(sql, params).fetchall()

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name} ---\n{path.read_text(errors='replace')[-4000:]}"
            for path in sorted(self.log_dir.glob("*.log"))
        )


def _wait_for(url: str, process: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{what} did not answer at {url} within {START_SECONDS}s")


@pytest.fixture
def stack_dir() -> Iterator[Path]:
    # Not pytest's tmp_path: other pytest sessions on the machine prune those folders, and
    # the web server and the worker keep this one open for the whole test.
    folder = Path(tempfile.mkdtemp(prefix="browser-stack-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def stack(
    stack_dir: Path,
    fake_aws: Any,
    fake_azure: Any,
    fake_google: Any,
    request: pytest.FixtureRequest,
) -> Iterator[Stack]:
    """Migrated database with three users, web server and worker, all reaching fake_aws,
    fake_azure and fake_google.

    A test marked `debug_on` gets the web server with DEBUG on, as `make run` starts it:
    django-htmx then adds its debug error handler to every page."""
    tmp_path = stack_dir
    debug = request.node.get_closest_marker("debug_on") is not None
    # Short but real transitions, so the pages must follow them without a reload.
    fake_aws.set_delays(nlb=2, endpoint_service=1, health_check=1)
    fake_azure.set_delays(provisioning=1, deletion=1)
    fake_google.set_delays(provisioning=1, deletion=1)
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "TESTING": "true",
        "DEBUG": "true" if debug else "false",
        "VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'stack.sqlite3'}",
        # Shared by the web server and the worker, as in production: the worker's changes
        # replace the change tokens the web server's polls compare.
        "CACHE_URL": f"filecache://{tmp_path / 'cache'}",
        "CELERY_BROKER_URL": "filesystem://",
        "AWS_ENDPOINT_URL": fake_aws.endpoint_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": fake_aws.region,
        "AZURE_ENDPOINT_URL": fake_azure.endpoint_url,
        "AZURE_CERTIFICATE": str(fake_azure.certificate),
        "AZURE_SUBSCRIPTION_ID": PLATFORM_SUBSCRIPTION,
        "AZURE_POLLING_INTERVAL": "0.2",
        "GOOGLE_ENDPOINT_URL": fake_google.endpoint_url,
        "GOOGLE_PROJECT": PLATFORM_PROJECT,
        "GOOGLE_POLLING_INTERVAL": "0.2",
        "PRIVATELINK_SWEEP_SECONDS": "3",
        "PYTHONUNBUFFERED": "1",
    }
    python = sys.executable
    for step in (["migrate", "--noinput"], ["shell", "-c", USERS_SCRIPT]):
        subprocess.run(
            [python, "manage.py", *step], cwd=BASE_DIR, env=env, check=True, capture_output=True
        )
    children: list[subprocess.Popen[bytes]] = []

    def start(name: str, argv: list[str]) -> subprocess.Popen[bytes]:
        child = processes.start(argv, tmp_path / f"{name}.log", env)
        children.append(child)
        return child

    web = start(
        "web", [python, "manage.py", "runserver", "--noreload", "--insecure", f"127.0.0.1:{port}"]
    )
    # A real worker with the beat schedule (the sweep) embedded, one process.
    start(
        "worker",
        processes.celery_worker(
            "--beat",
            "--pool=solo",
            "--loglevel=INFO",
            f"--schedule={tmp_path / 'celerybeat-schedule'}",
        ),
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url + "/healthz", web, "the web server")
        yield Stack(url, tmp_path / "stack.sqlite3", tmp_path, env)
    finally:
        for child in children:
            child.terminate()
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        # Keep the processes' logs beside the screenshots, to see what happened.
        logs = SCREENSHOTS / request.node.name
        logs.mkdir(parents=True, exist_ok=True)
        for log in tmp_path.glob("*.log"):
            shutil.copy(log, logs / log.name)


class BrowserErrors:
    """What a page must never do: log a console error (a CSP violation is one), throw, or
    have a request fail (4xx/5xx or no answer), whether on load or in an HTMX swap.

    Every context made through `CheckedBrowser` reports here; the fixture fails the test
    at teardown if anything was seen that the test did not `expect`."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.expected: list[re.Pattern[str]] = []

    def expect_refusal(self, method: str, path: str, status: int) -> None:
        """Allow a refusal the test provokes on purpose (invalid input, an outsider's 404):
        its response and the console line Chromium logs for it."""
        url = re.escape(path) + r"(\?.*)?$"
        self.expected += [
            re.compile(rf"^HTTP {status}: {method} http://[^/]+{url}"),
            re.compile(
                rf"^console error at http://[^/]+{re.escape(path)}(\?\S*)?: Failed to load "
                rf"resource: the server responded with a status of {status} "
            ),
        ]

    def watch(self, context: Any) -> None:
        context.on("console", self._on_console)
        context.on("weberror", lambda error: self._add(f"page error: {error.error}"))
        context.on("requestfailed", self._on_request_failed)
        context.on("response", self._on_response)

    def unexpected(self) -> list[str]:
        return [seen for seen in self.seen if not any(p.search(seen) for p in self.expected)]

    def _add(self, what: str) -> None:
        self.seen.append(what)

    def _on_console(self, message: Any) -> None:
        if message.type == "error":
            self._add(f"console error at {message.location.get('url')}: {message.text}")

    def _on_request_failed(self, request: Any) -> None:
        # A navigation away from a page cancels its pending polls: not a failure.
        if request.failure != "net::ERR_ABORTED":
            self._add(f"request failed: {request.method} {request.url}: {request.failure}")

    def _on_response(self, response: Any) -> None:
        if response.status >= 400:
            self._add(f"HTTP {response.status}: {response.request.method} {response.url}")


class CheckedBrowser:
    """Chromium whose every new context is watched by `BrowserErrors`."""

    def __init__(self, browser: Any, errors: BrowserErrors) -> None:
        self._browser = browser
        self.errors = errors

    def new_context(self, **options: Any) -> Any:
        context = self._browser.new_context(**options)
        self.errors.watch(context)
        return context


@pytest.fixture
def chromium_browser() -> Iterator[CheckedBrowser]:
    errors = BrowserErrors()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield CheckedBrowser(chromium, errors)
        finally:
            chromium.close()
    unexpected = errors.unexpected()
    assert not unexpected, "the browser saw errors:\n" + "\n".join(unexpected)


class Screens:
    """Saves a numbered screenshot of each step under var/screenshots/<test>/."""

    def __init__(self, name: str) -> None:
        self.folder = SCREENSHOTS / name
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()
        self.count = 0

    def take(self, page: Any, step: str) -> None:
        self.count += 1
        page.screenshot(path=str(self.folder / f"{self.count:02d}-{step}.png"), full_page=True)


@pytest.fixture
def screens(request: pytest.FixtureRequest) -> Screens:
    return Screens(request.node.name)


def log_in(browser: Any, stack: Stack, email: str) -> Any:
    """A new browser context logged in as `email`; returns its page."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(stack.url + "/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(stack.url + "/projects/")
    return page
