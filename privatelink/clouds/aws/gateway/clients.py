"""botocore clients configured only from the environment: real AWS through an assumed role in
a platform account, or the fake AWS at AWS_ENDPOINT_URL with dummy credentials (there, too,
a pool account's role is assumed, and the fake maps its keys to that account).

What a worker process holds, and why:

- one botocore data loader for the whole process: it parses the service models (EC2's
  alone is tens of MiB once parsed) and keeps them; a loader per session parsed them again
  for every thread and every identity, which was most of the worker's memory;
- one botocore session per thread (a session is not thread-safe; the worker runs reconciles
  in Celery's threads pool); identities are not sessions but credentials given to each
  client, so that a thread serves any number of accounts from one session;
- a few clients per thread, kept by service, region, endpoint and identity, and built anew
  when the identity's credentials were renewed: building one (EC2: a class of some 700
  methods, endpoint rules) costs more than most AWS calls;
- the assumed roles' temporary credentials, shared by all threads (one AssumeRole per role
  and hour, not per thread).

A kept client is handed out with exactly the event handlers it was built with: whatever a
caller registered on it (a test's fault, a benchmark's counter) is gone at the next hand-out,
so hooks never leak from one caller to the next. The console itself registers none, so a
client no caller touched is handed out as it is: copying its handlers cleared botocore's
cache of event names too: the two took about a tenth of a worker's CPU in a burst.
"""

import copy
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Literal

import botocore.session
from botocore.client import BaseClient
from botocore.config import Config
from botocore.hooks import BaseEventHooks
from botocore.loaders import Loader
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# The services the gateway calls in a platform account.
AwsService = Literal["ec2", "elbv2", "route53"]
_ROLE_SESSION_SECONDS = 3600
# Clients one thread keeps: an identity's EC2, ELB and Route 53 clients, twice over. A pool
# of many accounts would otherwise keep every account's clients in every thread (EC2's is
# over 1 MiB); one that falls out is built again (a few ms) when its account comes back.
MAX_CLIENTS_PER_THREAD = 6

_lock = threading.Lock()
_assumed: dict[str, tuple[float, dict[str, str]]] = {}
# The first build of a service's client parses its model into the shared loader: those
# builds are made one at a time, or threads starting together would each parse it (the
# peak memory of a worker at the start of a burst). Later builds run side by side.
_build_lock = threading.Lock()
_built_services: set[str] = set()
_loader: Loader | None = None
_per_thread = threading.local()


@dataclass
class _Kept:
    # The key, secret and token the client signs with (empty: the ambient chain's).
    credentials: tuple[str, str, str]
    client: BaseClient
    handlers: BaseEventHooks  # the client's event handlers as built
    # Its emitter and the emitter's lookup cache when it was last handed out.
    handed_out: tuple[Any, Any] = (None, None)


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


def _shared_loader() -> Loader:
    global _loader
    with _lock:
        if _loader is None:
            # As a session makes it (AWS_DATA_PATH honoured). Its caches are filled under
            # _build_lock or, for paginators and a later service's endpoint data, at worst
            # twice with the same data.
            _loader = botocore.session.Session().get_component("data_loader")
        return _loader


def _session() -> botocore.session.Session:
    """This thread's botocore session, on the process's shared data loader."""
    session: botocore.session.Session | None = getattr(_per_thread, "session", None)
    if session is None:
        session = botocore.session.Session()
        session.register_component("data_loader", _shared_loader())
        _per_thread.session = session
    return session


def _kept() -> "OrderedDict[tuple[object, ...], _Kept]":
    kept: OrderedDict[tuple[object, ...], _Kept] | None = getattr(_per_thread, "clients", None)
    if kept is None:
        kept = _per_thread.clients = OrderedDict()
    return kept


def _fake_credentials() -> dict[str, str]:
    key = os.environ.get("AWS_ACCESS_KEY_ID", "")
    secret = os.environ.get("AWS_SECRET_ACCESS_KEY", "")
    if not (key and secret):
        # Unsigned requests reach the wrong service in moto and get silently wrong answers.
        raise ImproperlyConfigured(
            "Fake AWS (AWS_ENDPOINT_URL is set) needs AWS_ACCESS_KEY_ID, "
            "AWS_SECRET_ACCESS_KEY and a region; set dummy values such as 'testing'."
        )
    return {"AccessKeyId": key, "SecretAccessKey": secret}


def _thread_client(
    service_name: str, region: str, identity: str, credentials: dict[str, str] | None
) -> BaseClient:
    """This thread's client of `identity` (a role, or "" for the base credentials), made
    anew when `credentials` changed (a renewed role's key replaces the old client)."""
    url = endpoint_url()
    config = (settings.AWS_MAX_ATTEMPTS, settings.AWS_CONNECT_TIMEOUT, settings.AWS_READ_TIMEOUT)
    key = (service_name, region, url, identity, config)
    given = credentials or {}
    signing = (
        given.get("AccessKeyId", ""),
        given.get("SecretAccessKey", ""),
        given.get("SessionToken", ""),
    )
    kept = _kept()
    found = kept.get(key)
    if found is not None and found.credentials == signing:
        kept.move_to_end(key)
        if not _untouched(found):
            _restore_handlers(found)
            found.handed_out = _registrations(found.client)
        return found.client
    client = _build(service_name, region, url, credentials)
    kept[key] = _Kept(signing, client, copy.copy(client.meta.events), _registrations(client))
    kept.move_to_end(key)
    while len(kept) > MAX_CLIENTS_PER_THREAD:
        kept.popitem(last=False)
    return client


def _registrations(client: BaseClient) -> tuple[Any, Any]:
    """The client's emitter and its lookup cache, which botocore replaces at every
    registration (and a restore, the emitter itself)."""
    emitter: Any = getattr(client.meta.events, "_emitter", client.meta.events)
    return emitter, emitter._lookup_cache


def _untouched(kept: _Kept) -> bool:
    """Whether no caller registered or removed a handler since the last hand-out."""
    emitter, cache = _registrations(kept.client)
    return emitter is kept.handed_out[0] and cache is kept.handed_out[1]


def _restore_handlers(kept: _Kept) -> None:
    """Give the client back the event handlers it was built with, in place (its endpoint,
    signer and retry handler share the emitter object)."""
    pristine = copy.copy(kept.handlers)
    kept.client.meta.events.__dict__.update(pristine.__dict__)


def _build(
    service_name: str, region: str, url: str, credentials: dict[str, str] | None
) -> BaseClient:
    """A new client from this thread's session: the only place clients are made."""
    given = credentials or {}

    def build() -> BaseClient:
        return _session().create_client(
            service_name,
            region_name=region,
            endpoint_url=url or None,
            config=_config(),
            # None: the session's own chain (instance role, environment) on real AWS.
            aws_access_key_id=given.get("AccessKeyId"),
            aws_secret_access_key=given.get("SecretAccessKey"),
            aws_session_token=given.get("SessionToken"),
        )

    if service_name in _built_services:
        return build()
    with _build_lock:
        made = build()
        _built_services.add(service_name)
        return made


def _base_credentials() -> dict[str, str] | None:
    """The credentials that assume roles, or reach the own account: the fake's dummy keys,
    or None for the ambient chain (instance role, environment) of real AWS."""
    return _fake_credentials() if endpoint_url() else None


def _role_credentials(region: str, role: str) -> dict[str, str]:
    """The role's temporary credentials, shared by all threads until shortly before they
    expire."""
    url = endpoint_url()
    with _lock:
        # The fake forgets its assumed-role keys when it is reset (a test, a restart), and
        # unknown keys land in its default account: there, assume afresh every time.
        cached = None if url else _assumed.get(role)
        if cached is not None and cached[0] >= time.monotonic():
            return cached[1]
    sts: Any = _thread_client("sts", region, "", _base_credentials())
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


def _region(region: str) -> str:
    if endpoint_url():
        region = region or os.environ.get("AWS_DEFAULT_REGION", "")
        if not region:
            raise ImproperlyConfigured(
                "Fake AWS (AWS_ENDPOINT_URL is set) needs AWS_ACCESS_KEY_ID, "
                "AWS_SECRET_ACCESS_KEY and a region; set dummy values such as 'testing'."
            )
    return region


def client(service_name: AwsService, region: str, role_arn: str | None = None) -> BaseClient:
    """This thread's client of a platform account for `service_name` in `region`: the
    account of `role_arn`, or by default the one of AWS_PLATFORM_ROLE_ARN (or the own
    credentials).

    The client is kept for the thread and handed out with the event handlers it was built
    with (see the module's docstring); it may be used by its caller's thread alone.
    """
    role = settings.AWS_PLATFORM_ROLE_ARN if role_arn is None else role_arn
    region = _region(region)
    base = _base_credentials()
    if not role:
        return _thread_client(service_name, region, "", base)
    return _thread_client(service_name, region, role, _role_credentials(region, role))


def new_client(service_name: AwsService, region: str, role_arn: str | None = None) -> BaseClient:
    """A client of the caller's own, kept by no one: for a test or a benchmark that adds
    event handlers and holds the client beside the gateway's."""
    role = settings.AWS_PLATFORM_ROLE_ARN if role_arn is None else role_arn
    region = _region(region)
    credentials = _role_credentials(region, role) if role else _base_credentials()
    return _build(service_name, region, endpoint_url(), credentials)
