"""boto3 clients configured only from the environment: real AWS through an assumed role in
a platform account, or the fake AWS at AWS_ENDPOINT_URL with dummy credentials (there, too,
a pool account's role is assumed, and the fake maps its keys to that account)."""

import os
import threading
import time
from typing import Literal

import boto3
from botocore.client import BaseClient
from botocore.config import Config
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# The services the gateway calls in a platform account.
AwsService = Literal["ec2", "elbv2", "route53"]
_ROLE_SESSION_SECONDS = 3600
_lock = threading.Lock()
_assumed: dict[str, tuple[float, boto3.Session]] = {}
_sessions: dict[tuple[str, str, str], boto3.Session] = {}


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
    return _shared_session((key, secret, region))


def _shared_session(credentials: tuple[str, str, str] | None, region: str = "") -> boto3.Session:
    """One session per process and identity: building a session loads botocore's data
    files, which cost most of a reconcile when done for every client."""
    cache_key = credentials or ("", "", region)
    with _lock:
        session = _sessions.get(cache_key)
        if session is None:
            if credentials:
                key, secret, session_region = credentials
                session = boto3.Session(
                    aws_access_key_id=key, aws_secret_access_key=secret, region_name=session_region
                )
            else:
                session = boto3.Session(region_name=region)
            _sessions[cache_key] = session
    return session


def _platform_session(region: str, role: str, base: boto3.Session | None = None) -> boto3.Session:
    """A session of the role (cached until shortly before its credentials expire); without a
    role, the base session (the fake's dummy keys) or the ambient credentials."""
    if not role:
        return base or _shared_session(None, region)
    url = endpoint_url()
    with _lock:
        # The fake forgets its assumed-role keys when it is reset (a test, a restart), and
        # unknown keys land in its default account: there, assume afresh every time.
        cached = None if url else _assumed.get(role)
        if cached is None or cached[0] < time.monotonic():
            sts = (base or boto3.Session()).client(
                "sts", region_name=region, endpoint_url=url or None, config=_config()
            )
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


def client(service_name: AwsService, region: str, role_arn: str | None = None) -> BaseClient:
    """A new client of a platform account for `service_name` in `region`: the account of
    `role_arn`, or by default the one of AWS_PLATFORM_ROLE_ARN (or the own credentials).

    Clients are new (event hooks never leak between callers); the sessions that make them
    are shared, and a session is not thread-safe, so making a client holds the lock.
    """
    role = settings.AWS_PLATFORM_ROLE_ARN if role_arn is None else role_arn
    url = endpoint_url()
    if url:
        session = _fake_session(region or os.environ.get("AWS_DEFAULT_REGION", ""))
        if role:
            session = _platform_session(region, role, base=session)
        with _lock:
            return session.client(
                service_name, region_name=region, endpoint_url=url, config=_config()
            )
    session = _platform_session(region, role)
    with _lock:
        return session.client(service_name, region_name=region, config=_config())
