"""The README, followed word for word: `make run` in a copy of the checkout, the walkthrough's
browser steps in Chromium, then every shell line of the walkthrough and of the `avn`
section, in order, from a second terminal with nothing exported.

The commands are read from README.md itself, so the README cannot drift from what works.
Only the placeholders a reader fills in are substituted (the token, the name shown)."""

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import BASE_DIR, Screens

pytestmark = [pytest.mark.browser, pytest.mark.worker]

README = BASE_DIR / "README.md"
CONSOLE = "http://127.0.0.1:8000"
FAKE_AWS_PORT = 5055
START_SECONDS = 240
SLOW = 90_000
# The variables a reader's fresh terminal does not have: the test run's own settings.
NOT_IN_A_READERS_TERMINAL = (
    "DJANGO_",
    "TESTING",
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "CELERY_",
    "ENV_FILE",
    "VAR_DIR",
    "AWS_",
    "FAKEAWS_",
    "PORT",
    "DEMO_PASSWORD",
    "PRIVATELINK_",
    "VIRTUAL_ENV",
)


@dataclass
class Command:
    text: str
    line: int


def shell_commands(markdown: str, heading: str) -> list[Command]:
    """The commands of the ```sh blocks between `heading` and the next heading, one per
    command: continuation lines joined, comments dropped."""
    commands: list[Command] = []
    in_section = in_block = False
    pending, pending_line = "", 0
    for number, text in enumerate(markdown.splitlines(), start=1):
        stripped = text.strip()
        if stripped.startswith("```"):
            in_block = stripped == "```sh" and in_section
            continue
        if in_block:
            if not pending and (not stripped or stripped.startswith("#")):
                continue
            pending_line = pending_line if pending else number
            pending += stripped.removesuffix("\\").strip() + " "
            if not stripped.endswith("\\"):
                commands.append(Command(pending.strip(), pending_line))
                pending = ""
        elif text.startswith("#"):
            in_section = text == heading
    return commands


def test_shell_commands_joins_continuations_and_skips_comments():
    markdown = (
        "# T\n\n## Walk\n\ntext\n\n```sh\n# a comment\nfirst --a \\\n  --b\n\nsecond\n```\n"
        "\n### Sub\n\n```sh\nnot this\n```\n"
    )

    assert shell_commands(markdown, "## Walk") == [
        Command("first --a --b", 9),
        Command("second", 12),
    ]


def _port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def _copy_checkout(target: Path) -> None:
    """The files a clone has (plus uncommitted ones), and the checkout's virtualenv, so that
    `make run` finds its requirements installed as after a first run."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=BASE_DIR,
        check=True,
        capture_output=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = BASE_DIR / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    (target / ".venv").symlink_to(BASE_DIR / ".venv")


@pytest.fixture
def readers_terminal(tmp_path: Path) -> dict[str, str]:
    """A fresh terminal's environment: none of the test run's settings, a home of its own
    (avn keeps its configuration there)."""
    home = tmp_path / "home"
    home.mkdir()
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(NOT_IN_A_READERS_TERMINAL)
    }
    environ.update(HOME=str(home), LANG="C.UTF-8")
    return environ


@pytest.fixture
def running_console(tmp_path: Path, readers_terminal: dict[str, str]) -> Iterator[Path]:
    """`make run` in a copy of the checkout, as a reader starts it; stopped with Ctrl-C's
    signal at the end. Yields the copy's folder."""
    for port in (8000, FAKE_AWS_PORT):
        assert _port_is_free(port), f"port {port} is in use: stop the other `make run` first"
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    _copy_checkout(checkout)
    log_path = tmp_path / "make-run.log"
    with log_path.open("wb") as log:
        runner = subprocess.Popen(
            ["make", "run"],
            cwd=checkout,
            env=readers_terminal,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + START_SECONDS
        while " ready." not in log_path.read_text(errors="replace"):
            assert runner.poll() is None, log_path.read_text(errors="replace")
            assert time.monotonic() < deadline, log_path.read_text(errors="replace")
            time.sleep(0.5)
        with urllib.request.urlopen(CONSOLE + "/healthz", timeout=10) as answer:
            assert answer.status == 200
        yield checkout
    finally:
        os.killpg(runner.pid, signal.SIGINT)
        try:
            runner.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(runner.pid, signal.SIGKILL)
            runner.wait()
        logs = BASE_DIR / "var" / "screenshots" / "test_readme"
        logs.mkdir(parents=True, exist_ok=True)
        shutil.copy(log_path, logs / "make-run.log")


def run_as_written(command: Command, checkout: Path, environ: dict[str, str], **fill: str) -> str:
    """Run one README command in the checkout, placeholders filled in; fail on a non-zero
    exit or a traceback, naming the README line."""
    text = command.text
    for placeholder, value in fill.items():
        text = text.replace(placeholder, value)
    unfilled = re.findall(r"<[^>]+>", text)
    assert not unfilled, f"README.md:{command.line}: no value for {unfilled} in {text}"
    result = subprocess.run(
        ["bash", "-c", text],
        cwd=checkout,
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"README.md:{command.line}: `{text}` failed:\n{output}"
    assert "Traceback" not in output, f"README.md:{command.line}: `{text}`:\n{output}"
    return result.stdout


def test_the_readme_works_word_for_word(
    running_console, readers_terminal, chromium_browser, tmp_path
):
    checkout = running_console
    markdown = README.read_text()
    walkthrough = shell_commands(
        markdown, "## Walkthrough: the documented set-up, against the fake AWS"
    )
    with_avn = shell_commands(markdown, "### The `avn` command-line client")
    assert walkthrough
    assert with_avn
    screens = Screens("test_readme")

    # Walkthrough 1-2: log in with the password make run printed, create the PrivateLink.
    password = (checkout / "var" / "demo-password").read_text().strip()
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(CONSOLE + "/")
    page.get_by_label("Email address").fill("demo@example.com")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="demo", exact=True).click()
    page.get_by_role("link", name="my-kafka", exact=True).click()
    page.get_by_role("navigation", name="Service pages").get_by_role(
        "link", name="PrivateLink"
    ).click()
    page.get_by_label("Add one principal").fill("arn:aws:iam::012345678901:user/mwf")
    page.get_by_role("button", name="Add to list").click()
    expect(page.get_by_label("Allowed principals")).to_have_value(
        "arn:aws:iam::012345678901:user/mwf"
    )
    page.get_by_role("button", name="Create PrivateLink").click()
    expect(page.get_by_test_id("privatelink-state")).to_have_text("Active", timeout=SLOW)
    service_name = page.get_by_test_id("aws-service-name").inner_text().strip()
    screens.take(page, "walkthrough-active")

    # Walkthrough 3: the customer's endpoint, from a second terminal.
    for command in walkthrough:
        run_as_written(command, checkout, readers_terminal, **{"<the name shown>": service_name})
    connections = page.locator("#privatelink-connections")
    expect(connections.locator(".status")).to_have_text("Active", timeout=SLOW)
    screens.take(page, "walkthrough-connected")

    # Walkthrough 6: delete, confirming with the service name.
    page.get_by_role("link", name="Delete PrivateLink…").click()
    page.get_by_label("Type the service name to confirm").fill("my-kafka")
    page.get_by_role("button", name="Delete PrivateLink").click()
    expect(page.get_by_role("button", name="Create PrivateLink")).to_be_visible(timeout=SLOW)

    # The avn section, in order; the token is the last line create_api_token prints.
    token = ""
    for command in with_avn:
        printed = run_as_written(command, checkout, readers_terminal, TOKEN=token or "TOKEN")
        if "create_api_token" in command.text:
            token = printed.strip().splitlines()[-1]
    assert token, "the avn section creates no token"
    context.close()
