"""Where the fake Azure listens and keeps its certificate: free of the server's imports so
that the customer command starts fast."""

from __future__ import annotations

import os
from pathlib import Path

from fakeaws.addresses import port_from

HOST = "127.0.0.1"
DEFAULT_PORT = 5056
PORT_ENV = "FAKEAZURE_PORT"
CERT_DIR_ENV = "FAKEAZURE_CERT_DIR"
# The checkout's git-ignored var/: the server writes its certificate there, clients read it.
DEFAULT_CERT_DIR = Path(__file__).resolve().parent.parent / "var" / "fakeazure"


def port_from_environment() -> int:
    return port_from(PORT_ENV, DEFAULT_PORT)


def default_endpoint_url() -> str:
    return f"https://{HOST}:{port_from_environment()}"


def cert_dir_from_environment() -> Path:
    return Path(os.environ.get(CERT_DIR_ENV) or DEFAULT_CERT_DIR)
