"""Proxy trust: only the proxies named in FORWARDED_ALLOW_IPS may set X-Forwarded-* and
X-Request-ID, in gunicorn run as the image runs it, in the dev server as `make run` runs it
and in the console itself."""

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from cryptography.fernet import Fernet

from console.devstack import demo_environment
from console.models import AuditEvent
from console.proxies import client_address
from tests import processes
from tests.constants import BASE_DIR
from tests.ports import free_port

GUNICORN = Path(sys.executable).parent / "gunicorn"


def _image_command() -> list[str]:
    """The Dockerfile's CMD, as the image runs it."""
    text = (BASE_DIR / "Dockerfile").read_text().replace("\\\n", " ")
    match = re.search(r"^CMD (\[.*\])\s*$", text, re.MULTILINE)
    assert match is not None, "the Dockerfile has no CMD in exec form"
    return json.loads(match.group(1))


def _get(port: int, path: str, headers: dict[str, str], source: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=10, source_address=(source, 0)
    )
    connection.request("GET", path, headers={"Host": "console.example.test", **headers})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


@pytest.fixture(scope="module")
def image_gunicorn(tmp_path_factory) -> Iterator[int]:
    """gunicorn with the image's command line and environment, on a free local port.

    FORWARDED_ALLOW_IPS is left unset, as in an image started without it.
    """
    command = _image_command()
    assert command[0] == "gunicorn"
    port = free_port()
    command = [str(GUNICORN), *command[1:]]
    command[command.index("--bind") + 1] = f"127.0.0.1:{port}"
    command[command.index("--workers") + 1] = "1"
    var = tmp_path_factory.mktemp("var")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"FORWARDED_ALLOW_IPS", "TESTING", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="console.settings",
        SECRET_KEY="proxy-trust-test-" + "k" * 40,
        ALLOWED_HOSTS="console.example.test",
        VAR_DIR=str(var),
        DATABASE_URL=f"sqlite:///{var / 'db.sqlite3'}",
        BEHIND_TLS_PROXY="true",
        CREDENTIALS_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
    )
    log = (var / "gunicorn.log").open("wb")
    process = subprocess.Popen(
        command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((var / "gunicorn.log").read_text()) from None
                time.sleep(0.2)
        yield port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()
        # What gunicorn said, for a failing test's report.
        print((var / "gunicorn.log").read_text()[-4000:])


@pytest.fixture(scope="module")
def dev_server(tmp_path_factory) -> Iterator[str]:
    """runserver with `make run`'s environment (FORWARDED_ALLOW_IPS left to its default
    there), on a free port, with a failure limit of 2."""
    var = tmp_path_factory.mktemp("dev")
    inherited = {
        key: value
        for key, value in os.environ.items()
        if key not in {"FORWARDED_ALLOW_IPS", "TESTING", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    env = demo_environment(
        {
            **inherited,
            "ENV_FILE": "",
            "DJANGO_SETTINGS_MODULE": "console.settings",
            "VAR_DIR": str(var),
            "DATABASE_URL": f"sqlite:///{var / 'db.sqlite3'}",
            "LOGIN_FAILURE_LIMIT": "2",
        }
    )
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput"], cwd=BASE_DIR, env=env, check=True)
    port = free_port()
    server = processes.start(
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"], var / "web.log", env
    )
    try:
        url = f"http://127.0.0.1:{port}"
        processes.wait_for_http(f"{url}/healthz", server)
        yield url
    finally:
        processes.stop(server)
        print((var / "web.log").read_text()[-4000:])


def test_the_dev_server_counts_failures_against_the_peer_not_a_forged_forwarded_for(dev_server):
    session = requests.Session()
    page = session.get(f"{dev_server}/accounts/login/", timeout=10)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert csrf is not None

    def guess(forged: str) -> requests.Response:
        return session.post(
            f"{dev_server}/accounts/login/",
            {"csrfmiddlewaretoken": csrf.group(1), "username": "demo@example.com", "password": "x"},
            headers={"X-Forwarded-For": forged},
            timeout=10,
        )

    first = guess("203.0.113.1")
    # A new address in the header would make a new pair with a fresh count; the peer's
    # address is used instead, so the second guess reaches the limit of 2.
    second = guess("203.0.113.2")

    assert first.status_code == 200
    assert second.status_code == 429
    assert "Too many failed log-ins" in second.text


def test_the_image_no_longer_trusts_every_proxy():
    command = _image_command()
    assert "--forwarded-allow-ips" not in command
    assert "*" not in command


def test_gunicorn_as_in_the_image_ignores_a_clients_forged_proxy_headers(image_gunicorn):
    # 127.0.0.2 is not among gunicorn's default proxies (127.0.0.1 and ::1).
    response = _get(
        image_gunicorn,
        "/accounts/login/",
        {"X-Forwarded-Proto": "https", "SCRIPT_NAME": "/forged", "X-Request-ID": "forged-id"},
        source="127.0.0.2",
    )

    # Still plain HTTP to the console: it redirects to HTTPS instead of serving the page.
    assert response.status == 301
    assert response.getheader("Location") == "https://console.example.test/accounts/login/"
    assert response.getheader("X-Request-ID") != "forged-id"


def test_gunicorn_as_in_the_image_believes_the_proxy_on_its_default_address(image_gunicorn):
    response = _get(
        image_gunicorn,
        "/projects/",
        {"X-Forwarded-Proto": "https", "X-Request-ID": "proxy-7"},
        source="127.0.0.1",
    )

    assert response.status == 302
    assert response.getheader("Location") == "/accounts/login/?next=/projects/"
    assert response.getheader("X-Request-ID") == "proxy-7"


@pytest.mark.django_db
def test_a_clients_request_id_is_replaced_by_the_servers(developer_client, service):
    developer_client.defaults["REMOTE_ADDR"] = "198.51.100.7"
    response = developer_client.post(
        "/projects/demo/services/my-kafka/privatelink/create",
        {"principals": "arn:aws:iam::012345678901:user/mwf"},
        headers={"X-Request-ID": "chosen-by-client", "X-Forwarded-For": "10.9.9.9"},
    )

    event = AuditEvent.objects.get(action="privatelink.create")
    assert response["X-Request-ID"] == event.request_id
    assert re.fullmatch(r"[0-9a-f]{32}", event.request_id)
    assert event.ip == "198.51.100.7"


@pytest.mark.django_db
def test_a_trusted_proxys_request_id_and_client_address_are_kept(
    developer_client, service, settings
):
    from console.proxies import parse_trusted

    settings.TRUSTED_PROXIES = parse_trusted("10.0.0.0/8")
    developer_client.defaults["REMOTE_ADDR"] = "10.1.2.3"
    developer_client.post(
        "/projects/demo/services/my-kafka/privatelink/create",
        {"principals": "arn:aws:iam::012345678901:user/mwf"},
        headers={"X-Request-ID": "lb-42", "X-Forwarded-For": "1.2.3.4, 203.0.113.8, 10.0.0.5"},
    )

    event = AuditEvent.objects.get(action="privatelink.create")
    assert (event.request_id, event.ip) == ("lb-42", "203.0.113.8")


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        ("198.51.100.7", "1.1.1.1", "198.51.100.7"),  # not a proxy: its header is not read
        ("127.0.0.1", "203.0.113.8", "203.0.113.8"),
        ("127.0.0.1", "203.0.113.8, 127.0.0.1", "203.0.113.8"),
        ("127.0.0.1", "not-an-address", "127.0.0.1"),
        ("127.0.0.1", "", "127.0.0.1"),
    ],
)
def test_client_address_behind_the_default_proxies(rf, peer, forwarded, expected):
    request = rf.get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_an_unreadable_proxy_list_stops_start_up():
    result = subprocess.run(
        [sys.executable, "-c", "import console.settings"],
        cwd=BASE_DIR,
        env={**os.environ, "TESTING": "true", "FORWARDED_ALLOW_IPS": "10.0.0.0/8,proxy.local"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "FORWARDED_ALLOW_IPS is malformed" in result.stderr
