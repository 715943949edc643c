"""Where the fake AWS listens, and the principal format: shared, and free of moto imports
so that the customer command starts fast."""

from __future__ import annotations

import os
import re

HOST = "127.0.0.1"
DEFAULT_PORT = 5055
PORT_ENV = "FAKEAWS_PORT"

# AWS accepts `*`, an account root, a user or a role, and no IAM paths.
PRINCIPAL_PATTERN = re.compile(
    r"^arn:(aws|aws-cn|aws-us-gov):iam::\d{12}:"
    r"(root|user/[\w+=,.@-]{1,64}|role/[\w+=,.@-]{1,64})$"
)


def port_from(variable: str, default: int) -> int:
    """The port a fake listens on, from `variable` (else `default`); a bad value stops it."""
    text = os.environ.get(variable, str(default))
    try:
        port = int(text)
    except ValueError:
        raise SystemExit(f"{variable} must be a port number, not {text!r}") from None
    if not 0 <= port <= 65535:
        raise SystemExit(f"{variable} must be a port number, not {text!r}")
    return port


def port_from_environment() -> int:
    return port_from(PORT_ENV, DEFAULT_PORT)


def default_endpoint_url() -> str:
    return f"http://{HOST}:{port_from_environment()}"
