"""Fixtures for the API tests: tokens, and the real `avn` client run against a live server."""

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from console.models.tokens import ApiToken

AVN = Path(sys.executable).parent / "avn"


@pytest.fixture
def developer_token(developer) -> str:
    return ApiToken.issue(developer, "tests")[1]


@pytest.fixture
def read_only_token(read_only_user) -> str:
    return ApiToken.issue(read_only_user, "tests")[1]


@pytest.fixture
def outsider_token(outsider) -> str:
    return ApiToken.issue(outsider, "tests")[1]


@pytest.fixture
def api(client, developer_token):
    """The Django test client with the developer's token on every request."""

    class Api:
        def __init__(self, token: str) -> None:
            self.token = token

        def _headers(self) -> dict[str, str]:
            return {"Authorization": f"aivenv1 {self.token}"}

        def get(self, path: str) -> Any:
            return client.get(path, headers=self._headers())

        def delete(self, path: str) -> Any:
            return client.delete(path, headers=self._headers())

        def send(self, method: str, path: str, body: Any = None, raw: bytes | None = None) -> Any:
            data = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
            return client.generic(
                method, path, data, content_type="application/json", headers=self._headers()
            )

        def post(self, path: str, body: Any = None, raw: bytes | None = None) -> Any:
            return self.send("POST", path, body, raw)

        def put(self, path: str, body: Any = None, raw: bytes | None = None) -> Any:
            return self.send("PUT", path, body, raw)

        def as_token(self, token: str) -> "Api":
            return Api(token)

    return Api(developer_token)


@dataclass
class AvnResult:
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@pytest.fixture
def avn(live_server, tmp_path, developer_token) -> Callable[..., AvnResult]:
    """Run the real avn client against the live server, with a config dir of its own."""
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "AIVEN_CONFIG_DIR": str(home / ".config" / "aiven"),
        "AIVEN_CREDENTIALS_FILE": str(home / "aiven-credentials.json"),
        "LANG": "C.UTF-8",
    }

    def run(*args: str, token: str | None = None) -> AvnResult:
        command = [
            str(AVN),
            "--url",
            live_server.url,
            # One argument, not two: a token may start with "-", which argparse would
            # take for an option.
            f"--auth-token={token or developer_token}",
            *args,
        ]
        done = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=60, check=False
        )
        return AvnResult(done.returncode, done.stdout, done.stderr)

    return run
