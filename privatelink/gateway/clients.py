"""boto3 clients configured only from the environment: real AWS through an assumed role in
the platform account, or the fake AWS at AWS_ENDPOINT_URL with dummy credentials."""

import os
import threading
import time
from typing import Any

import boto3
from botocore.config import Config
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_ROLE_SESSION_SECONDS = 3600
_lock = threading.Lock()
_assumed: dict[str, tuple[float, boto3.Session]] = {}


def endpoint_url() -> str:
    """The fake AWS endpoint, read at call time so a test or the demo can point it anywhere."""
    return os.environ.get("AWS_ENDPOINT_URL", "") or settings.AWS_ENDPOINT_URL


def mode() -> str:
    return "fake" if endpoint_url() else "aws"


def _config() -> Config:
    return Config(
        retries={"mode": "standard", "total_max_attempts": settings.AWS_MAX_ATTEMPTS},
        connect_timeout=settings.AWS_CONNECT_TIMEOUT,
        read_timeout=settings.AWS_READ_TIMEOUT,
    )


def _fake_session(region: str) -> boto3.Session:
    key = os.environ.get("AWS_ACCESS_KEY_ID", "")
    secret = os.environ.get("AWS_SECRET_ACCESS_KEY", "")
    if not (key and secret and region):
        # Unsigned requests reach the wrong service in moto and get silently wrong answers.
        raise ImproperlyConfigured(
            "Fake AWS (AWS_ENDPOINT_URL is set) needs AWS_ACCESS_KEY_ID, "
            "AWS_SECRET_ACCESS_KEY and a region; set dummy values such as 'testing'."
        )
    return boto3.Session(aws_access_key_id=key, aws_secret_access_key=secret, region_name=region)


def _platform_session(region: str) -> boto3.Session:
    role = settings.AWS_PLATFORM_ROLE_ARN
    if not role:
        return boto3.Session(region_name=region)
    with _lock:
        cached = _assumed.get(role)
        if cached is None or cached[0] < time.monotonic():
            sts = boto3.client("sts", region_name=region, config=_config())
            answer = sts.assume_role(
                RoleArn=role,
                RoleSessionName=f"privatelink-console-{settings.DEPLOYMENT_ID}"[:64],
                DurationSeconds=_ROLE_SESSION_SECONDS,
            )
            credentials = answer["Credentials"]
            session = boto3.Session(
                aws_access_key_id=credentials["AccessKeyId"],
                aws_secret_access_key=credentials["SecretAccessKey"],
                aws_session_token=credentials["SessionToken"],
            )
            # Renew well before the credentials expire.
            cached = (time.monotonic() + _ROLE_SESSION_SECONDS - 300, session)
            _assumed[role] = cached
    return cached[1]


def client(service_name: str, region: str) -> Any:
    """A client of the platform account for `service_name` in `region`."""
    url = endpoint_url()
    if url:
        session = _fake_session(region or os.environ.get("AWS_DEFAULT_REGION", ""))
        return session.client(service_name, region_name=region, endpoint_url=url, config=_config())
    return _platform_session(region).client(service_name, region_name=region, config=_config())
