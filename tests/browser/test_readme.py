"""The README, followed word for word: `make run` in a copy of the checkout, the walkthrough's
browser steps in Chromium, then every shell line of the walkthrough and of the `avn`
section, in order, from a second terminal with nothing exported.

The commands are read from README.md itself, so the README cannot drift from what works.
Only the placeholders a reader fills in are substituted (the token, the name shown)."""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from console.devstack import read_env_file
from fakeazure.pytest_plugin import FakeAzure
from fakegoogle.pytest_plugin import FakeGoogle
from tests.browser.conftest import Screens
from tests.constants import BASE_DIR
from tests.processes import stop

pytestmark = [pytest.mark.browser, pytest.mark.worker]

README = BASE_DIR / "README.md"
CONSOLE = "http://127.0.0.1:8000"
FAKE_AWS_PORT = 5055
FAKE_AZURE_PORT = 5056
FAKE_GOOGLE_PORT = 5057
START_SECONDS = 240
SLOW = 90_000
# What a deleted Azure PrivateLink leaves in the fake Azure: the Project VPCs' networks and
# the customer's endpoint and network; never its load balancer or private link service.
LEFT_BY_A_DELETED_AZURE_LINK = {
    "Microsoft.Network/privateEndpoints",
    "Microsoft.Network/virtualNetworks",
    "Microsoft.Network/virtualNetworks/subnets",
}
# A Google resource named after a PrivateLink: `pl-<deployment hash>-<PrivateLink id>-...`
# (privatelink.clouds.google.names); the Project VPCs' networks are `...-vpc<id>`.
A_GOOGLE_LINKS_RESOURCE = re.compile(r"pl-[0-9a-f]{6}-[0-9]+-")
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
    "AZURE_",
    "FAKEAZURE_",
    "GOOGLE_",
    "FAKEGOOGLE_",
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
    for port in (8000, FAKE_AWS_PORT, FAKE_AZURE_PORT, FAKE_GOOGLE_PORT):
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
        # Ctrl-C in the reader's terminal reaches every process `make run` started.
        stop(runner, signal.SIGINT, whole_group=True, timeout=60)
        logs = BASE_DIR / "var" / "screenshots" / "test_readme"
        logs.mkdir(parents=True, exist_ok=True)
        shutil.copy(log_path, logs / "make-run.log")


class Reader:
    """The second terminal: runs README commands as written, with the values a reader
    copies from earlier output filled in (and waits, as a reader would, until the output
    shows them)."""

    def __init__(self, checkout: Path, environ: dict[str, str]) -> None:
        self.checkout = checkout
        self.environ = environ
        self.token = "TOKEN"
        self.fill: dict[str, str] = {}

    def run(self, command: Command) -> str:
        """Run one command; fail on a non-zero exit or a traceback, naming the README line."""
        text = command.text.replace("TOKEN", self.token)
        for placeholder in re.findall(r"<[^>]+>", text):
            text = text.replace(placeholder, self.value_of(placeholder, command))
        result = self._shell(text)
        # The reachability check names targets still passing their first health checks;
        # a reader runs it again a few seconds later, as its answer suggests.
        deadline = time.monotonic() + SLOW / 1000
        while "targets: initial" in result.stdout and time.monotonic() < deadline:
            time.sleep(2)
            result = self._shell(text)
        output = result.stdout + result.stderr
        assert result.returncode == 0, f"README.md:{command.line}: `{text}` failed:\n{output}"
        assert "Traceback" not in output, f"README.md:{command.line}: `{text}`:\n{output}"
        if "create_api_token" in text:
            self.token = result.stdout.strip().splitlines()[-1]
        return result.stdout

    def value_of(self, placeholder: str, command: Command) -> str:
        if placeholder in self.fill:
            return self.fill[placeholder]
        if match := re.fullmatch(
            r"<the project_vpc_id of (\S+) printed by avn vpc list>", placeholder
        ):
            return self._vpc_id(match[1])
        if placeholder == "<the project_vpc_id printed by avn vpc create>":
            return self._vpc_id(self.fill["created cloud"])
        if match := re.fullmatch(
            r"<the aws_service_name printed by avn service privatelink aws get (\S+)>", placeholder
        ):
            return self._service_name(match[1])
        if match := re.fullmatch(
            r"<the privatelink_connection_id printed by avn service privatelink aws "
            r"connection list (\S+)>",
            placeholder,
        ):
            return self._routed_connection(match[1])
        if match := re.fullmatch(
            r"<the vpc_endpoint_id printed by avn service privatelink aws connection list (\S+)>",
            placeholder,
        ):
            return self._routed_endpoint(match[1])
        if match := re.fullmatch(
            r"<the azure_service_alias printed by avn service privatelink azure get (\S+)>",
            placeholder,
        ):
            return self._azure_alias(match[1])
        if match := re.fullmatch(
            r"<the google_service_attachment printed by avn service privatelink google get (\S+)>",
            placeholder,
        ):
            return self._google_attachment(match[1])
        if match := re.fullmatch(
            r"<the privatelink_connection_id printed by avn service privatelink (azure|google) "
            r"connection list (\S+)>",
            placeholder,
        ):
            return self._found_connection(match[2], cloud=match[1])
        if match := re.fullmatch(
            r"<the privatelink_connection_id of the active connection printed by avn service "
            r"privatelink (azure|google) connection list (\S+)>",
            placeholder,
        ):
            return self._routed_connection(match[2], cloud=match[1])
        if match := re.fullmatch(
            r"<the privatelink (host|port) of (\S+?)(?: (\S+))? printed by avn service get (\S+)>",
            placeholder,
        ):
            field, component, method, service = match.groups()
            return self._privatelink_entry(service, component, method)[field]
        raise AssertionError(f"README.md:{command.line}: no value known for {placeholder}")

    def remember(self, command: Command) -> None:
        if match := re.search(r"vpc create .*--cloud (\S+)", command.text):
            self.fill["created cloud"] = match[1]

    def _shell(self, text: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", "-c", text],
            cwd=self.checkout,
            env=self.environ,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    def _avn_json(self, *args: str) -> Any:
        return json.loads(self._avn_output(*args))

    def _avn_output(self, *args: str) -> str:
        avn = f".venv/bin/avn --url {CONSOLE} --auth-token {self.token} "
        result = self._shell(avn + " ".join(args) + " --project demo --json")
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def _connections(self, service: str, cloud: str) -> Any:
        output = self._avn_output("service", "privatelink", cloud, "connection", "list", service)
        if cloud == "google":
            # avn's Google connection list prints the raw answer on a line of its own first.
            output = output.split("\n", 1)[1]
        return json.loads(output)

    def _until(self, what: str, probe: Callable[[], str | None]) -> str:
        deadline = time.monotonic() + SLOW / 1000
        while (value := probe()) is None:
            assert time.monotonic() < deadline, f"the output never showed {what}"
            time.sleep(1)
        return value

    def _vpc_id(self, cloud: str) -> str:
        vpcs = self._avn_json("vpc", "list")
        return next(str(v["project_vpc_id"]) for v in vpcs if v["cloud_name"] == cloud)

    def _service_name(self, service: str) -> str:
        def probe() -> str | None:
            [link] = self._avn_json("service", "privatelink", "aws", "get", service)
            return link["aws_service_name"] if link["state"] == "active" else None

        return self._until(f"the aws_service_name of {service}", probe)

    def _azure_alias(self, service: str) -> str:
        def probe() -> str | None:
            [link] = self._avn_json("service", "privatelink", "azure", "get", service)
            return link["azure_service_alias"] if link["state"] == "active" else None

        return self._until(f"the azure_service_alias of {service}", probe)

    def _google_attachment(self, service: str) -> str:
        def probe() -> str | None:
            [link] = self._avn_json("service", "privatelink", "google", "get", service)
            return link["google_service_attachment"] if link["state"] == "active" else None

        return self._until(f"the google_service_attachment of {service}", probe)

    def _found_connection(self, service: str, cloud: str) -> str:
        """The connection a refresh found (Azure and Google tell of none: the reconcile it
        queued looks), once the list shows it."""

        def listed() -> str | None:
            connections = self._connections(service, cloud)
            return connections[0]["privatelink_connection_id"] if connections else None

        return self._until(f"a connection of {service}", listed)

    def _routed_connection(self, service: str, cloud: str = "aws") -> str:
        def active() -> str | None:
            listed = self._connections(service, cloud)
            return next(
                (c["privatelink_connection_id"] for c in listed if c["state"] == "active"), None
            )

        connection = self._until(f"an active connection of {service}", active)

        def routed() -> str | None:
            components = self._avn_json("service", "get", service)["components"]
            routes = {c.get("privatelink_connection_id") for c in components}
            return connection if connection in routes else None

        return self._until(f"the privatelink route of {service}", routed)

    def _routed_endpoint(self, service: str) -> str:
        connection = self._routed_connection(service)
        listed = self._avn_json("service", "privatelink", "aws", "connection", "list", service)
        return next(
            c["vpc_endpoint_id"] for c in listed if c["privatelink_connection_id"] == connection
        )

    def _privatelink_entry(self, service: str, component: str, method: str | None) -> Any:
        """The component's entry on the privatelink route (for Kafka, the one of `method`,
        else the certificate's), once the output shows it."""
        wanted = method or ("certificate" if component == "kafka" else None)

        def probe() -> Any:
            components = self._avn_json("service", "get", service)["components"]
            return next(
                (
                    {"host": c["host"], "port": str(c["port"])}
                    for c in components
                    if c["route"] == "privatelink"
                    and c["component"] == component
                    and c.get("kafka_authentication_method") == wanted
                ),
                None,
            )

        return self._until(f"{component} on the privatelink route of {service}", probe)


def fake_azure_of(checkout: Path) -> FakeAzure:
    """The fake Azure `make run` started, trusted by the certificate the checkout's `.env`
    names."""
    certificate = read_env_file(checkout / ".env")["AZURE_CERTIFICATE"]
    return FakeAzure(f"https://127.0.0.1:{FAKE_AZURE_PORT}", Path(certificate))


def until_azure_holds_only(fake_azure: FakeAzure, kinds: set[str], command: Command) -> None:
    """Wait (the deletion runs in the worker) until the fake Azure holds only `kinds`."""
    deadline = time.monotonic() + SLOW / 1000
    while extra := {r["type"] for r in fake_azure.resources()} - kinds:
        assert time.monotonic() < deadline, (
            f"README.md:{command.line}: `{command.text}` left {sorted(extra)} in the fake Azure"
        )
        time.sleep(1)


def until_google_holds_nothing_of_a_link(command: Command) -> None:
    """Wait (the deletion runs in the worker) until no resource named after a PrivateLink is
    left in the fake Google `make run` started."""
    fake_google = FakeGoogle(f"http://127.0.0.1:{FAKE_GOOGLE_PORT}")
    deadline = time.monotonic() + SLOW / 1000
    while left := sorted(
        f"{r['kind']} {r['name']}"
        for r in fake_google.resources()
        if A_GOOGLE_LINKS_RESOURCE.match(r["name"])
    ):
        assert time.monotonic() < deadline, (
            f"README.md:{command.line}: `{command.text}` left {left} in the fake Google"
        )
        time.sleep(1)


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
    reader = Reader(checkout, readers_terminal)
    reader.fill["<the name shown>"] = service_name
    for command in walkthrough:
        reader.run(command)
    connections = page.locator("#privatelink-connections")
    expect(connections.locator(".status")).to_have_text("Active", timeout=SLOW)
    screens.take(page, "walkthrough-connected")

    # Walkthrough 6: delete, confirming with the service name.
    page.get_by_role("link", name="Delete PrivateLink…").click()
    page.get_by_label("Type the service name to confirm").fill("my-kafka")
    page.get_by_role("button", name="Delete PrivateLink").click()
    expect(page.get_by_role("button", name="Create PrivateLink")).to_be_visible(timeout=SLOW)
    context.close()

    # The avn section, in order, from the token create_api_token prints on.
    for command in with_avn:
        reader.run(command)
        reader.remember(command)
    assert reader.token != "TOKEN", "the avn section creates no token"

    # Azure, with the same token.
    azure = shell_commands(markdown, "### Azure Private Link with `avn`")
    assert azure
    for command in azure:
        reader.run(command)
        reader.remember(command)
        if "privatelink azure delete" in command.text:
            until_azure_holds_only(fake_azure_of(checkout), LEFT_BY_A_DELETED_AZURE_LINK, command)
    assert any("privatelink azure delete" in c.text for c in azure)

    # Google, with the same token.
    google = shell_commands(markdown, "### Google Private Service Connect with `avn`")
    assert google
    for command in google:
        output = reader.run(command)
        reader.remember(command)
        if "connection-info pg uri" in command.text:
            assert re.search(r"@privatelink-\d+-my-pg-gcp", output), (
                f"README.md:{command.line}: no privatelink host in:\n{output}"
            )
        if "privatelink google delete" in command.text:
            until_google_holds_nothing_of_a_link(command)
    assert any("privatelink google delete" in c.text for c in google)
