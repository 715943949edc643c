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
# A boto3 session is not thread-safe, and the worker runs reconciles in threads (Celery's
# threads pool): each thread has its own sessions. What threads share is the assumed
# roles' temporary credentials (one AssumeRole per role and hour, not per thread).
_lock = threading.Lock()
_assumed: dict[str, tuple[float, dict[str, str]]] = {}
_per_thread = threading.local()


def _thread_sessions() -> dict[tuple[str, str, str], boto3.Session]:
    sessions: dict[tuple[str, str, str], boto3.Session] | None = getattr(
        _per_thread, "sessions", None
    )
    if sessions is None:
        sessions = _per_thread.sessions = {}
    return sessions


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
    """This thread's session for an identity: building a session loads botocore's data
    files, which cost most of a reconcile when done for every client."""
    cache_key = credentials or ("", "", region)
    sessions = _thread_sessions()
    session = sessions.get(cache_key)
    if session is None:
        if credentials:
            key, secret, session_region = credentials
            session = boto3.Session(
                aws_access_key_id=key, aws_secret_access_key=secret, region_name=session_region
            )
        else:
            session = boto3.Session(region_name=region)
        sessions[cache_key] = session
    return session


def _role_credentials(region: str, role: str, base: boto3.Session | None) -> dict[str, str]:
    """The role's temporary credentials, shared by all threads until shortly before they
    expire."""
    url = endpoint_url()
    with _lock:
        # The fake forgets its assumed-role keys when it is reset (a test, a restart), and
        # unknown keys land in its default account: there, assume afresh every time.
        cached = None if url else _assumed.get(role)
        if cached is not None and cached[0] >= time.monotonic():
            return cached[1]
    sts = (base or _shared_session(None, region)).client(
        "sts", region_name=region, endpoint_url=url or None, config=_config()
    )
    answer = sts.assume_role(
        RoleArn=role,
        RoleSessionName=f"privatelink-console-{settings.DEPLOYMENT_ID}"[:64],
        DurationSeconds=_ROLE_SESSION_SECONDS,
    )
    credentials: dict[str, str] = answer["Credentials"]
    with _lock:
        # Renew well before the credentials expire.
        _assumed[role] = (time.monotonic() + _ROLE_SESSION_SECONDS - 300, credentials)
    return credentials


def _platform_session(region: str, role: str, base: boto3.Session | None = None) -> boto3.Session:
    """This thread's session of the role, made anew when the role's credentials were
    renewed; without a role, the base session (the fake's dummy keys) or the ambient
    credentials."""
    if not role:
        return base or _shared_session(None, region)
    credentials = _role_credentials(region, role, base)
    # One session per role and thread: a renewed key replaces the old session.
    roles: dict[str, tuple[str, boto3.Session]] | None = getattr(_per_thread, "roles", None)
    if roles is None:
        roles = _per_thread.roles = {}
    known = roles.get(role)
    if known is not None and known[0] == credentials["AccessKeyId"]:
        return known[1]
    session = boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )
    roles[role] = (credentials["AccessKeyId"], session)
    return session


def client(service_name: AwsService, region: str, role_arn: str | None = None) -> BaseClient:
    """A new client of a platform account for `service_name` in `region`: the account of
    `role_arn`, or by default the one of AWS_PLATFORM_ROLE_ARN (or the own credentials).

    Clients are new (event hooks never leak between callers) and made from this thread's
    sessions; a client itself may then be used by its caller's thread alone.
    """
    role = settings.AWS_PLATFORM_ROLE_ARN if role_arn is None else role_arn
    url = endpoint_url()
    if url:
        session = _fake_session(region or os.environ.get("AWS_DEFAULT_REGION", ""))
        if role:
            session = _platform_session(region, role, base=session)
        return session.client(service_name, region_name=region, endpoint_url=url, config=_config())
    session = _platform_session(region, role)
    return session.client(service_name, region_name=region, config=_config())
