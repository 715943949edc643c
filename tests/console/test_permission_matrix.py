"""Every URL the console serves, discovered from the resolver, against every kind of visitor.

Anonymous visitors are sent to log in (pages) or get 401 (the API under /v1/); outsiders
get 404 on every project-scoped URL whatever the method; read-only members read every
page but get 403 on every write (and may be refused a write's form); developers are never
refused. A URL added later is covered without touching this file, unless it takes a new
URL keyword: then URL_KWARGS below must say how to fill it, and the suite fails until it
does.
"""

import re
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from console.models import ApiToken, AuditEvent

# How to fill each URL keyword; values name the objects the fixtures below create.
URL_KWARGS = {
    "project": "demo",
    "service": "my-kafka",
    "service_type": "kafka",
    "token_id": "1",
    "project_vpc_id": "1",
    "username": "avnadmin",
    "uidb64": "MQ",
    "token": "set-password",
    "connection": "plc1",
}

# URLs anyone may open, and why.
PUBLIC = {
    "login": "the way in",
    "logout": "logging out needs no session",
    "password_reset": "the way back in without the password",
    "password_reset_done": "says the reset e-mail is on its way",
    "password_reset_confirm": "the e-mail's link proves the address instead of a session",
    "password_reset_complete": "says the new password is set",
    "healthz": "the container's health check",
    "api-openapi": "the API's published description",
    "unnamed v1/": "a path no API endpoint answers: a JSON 404 for everyone",
}

# Reads sent as POST because their input is long or private; they change nothing.
READS_BY_POST: set[str] = set()

# Reads that hand out what only writers receive (as passwords): read-only members get 403.
WRITERS_ONLY_READS = {
    "service-user-certificate": "a Kafka user's client certificate",
    "service-user-key": "a Kafka user's client key",
}

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
PROJECT_KWARG = "project"


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str
    kwargs: frozenset[str]

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/v1/")

    @property
    def project_scoped(self) -> bool:
        return PROJECT_KWARG in self.kwargs

    def __str__(self) -> str:
        return self.name


def _fill(route: str, name: str) -> tuple[str, frozenset[str]]:
    kwargs = frozenset(re.findall(r"<(?:\w+:)?(\w+)>", route))
    unknown = kwargs - URL_KWARGS.keys()
    if unknown:
        pytest.fail(
            f"URL {name!r} ({route}) takes {sorted(unknown)}: add them to URL_KWARGS in "
            f"{__file__} so that the permission matrix covers it."
        )
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: URL_KWARGS[m.group(1)], route), kwargs


def _discover(patterns: list, prefix: str = "") -> list[Endpoint]:
    found: list[Endpoint] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # Django admin checks is_staff itself; see test_admin.py
            found += _discover(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            name = entry.name or f"unnamed {prefix}{entry.pattern}"
            if isinstance(entry.pattern, RoutePattern):
                route = prefix + str(entry.pattern)
            else:
                # A regular expression: only catch-alls are expected here.
                regex = str(entry.pattern).lstrip("^").rstrip("$")
                if re.search(r"[()\[\]\\?*+{}|]", regex):
                    pytest.fail(f"Teach the permission matrix to fill the regex URL {regex!r}.")
                name = entry.name or f"unnamed {prefix}{regex}"
                route = prefix + regex + "no-such-endpoint"
            path, kwargs = _fill(route, name)
            found.append(Endpoint(name, "/" + path, kwargs))
    return found


ENDPOINTS = _discover(get_resolver("console.urls").url_patterns)
PROJECT_ENDPOINTS = [e for e in ENDPOINTS if e.project_scoped]
PRIVATE_ENDPOINTS = [e for e in ENDPOINTS if e.name not in PUBLIC]


def _request(client, method: str, path: str, user=None):
    """A request as `user`: a session for pages, an API token for /v1/ as avn sends it."""
    if not path.startswith("/v1/"):
        if user is not None:
            client.force_login(user)
        return getattr(client, method.lower())(path)
    headers = {}
    if user is not None:
        _, token = ApiToken.issue(user, "permission matrix")
        headers["Authorization"] = f"aivenv1 {token}"
    send = getattr(client, method.lower())
    if method == "GET":
        return send(path, headers=headers)
    return send(path, data="{}", content_type="application/json", headers=headers)


@pytest.fixture
def stocked(service, read_only_user, developer, outsider):
    """Project demo with my-kafka, one member of each kind and an outsider."""
    return {"read_only": read_only_user, "developer": developer, "outsider": outsider}


def test_discovery_finds_the_pages_and_the_api():
    names = {e.name for e in ENDPOINTS}
    assert {"service-list", "service-overview", "project-list"} <= names
    assert any(e.is_api and e.project_scoped for e in ENDPOINTS)


@pytest.mark.parametrize("endpoint", PRIVATE_ENDPOINTS, ids=str)
@pytest.mark.parametrize("method", ["GET", *WRITE_METHODS])
def test_anonymous_visitor_is_sent_to_log_in_or_gets_401(client, stocked, endpoint, method):
    response = _request(client, method, endpoint.path)

    if response.status_code == 405:
        assert method not in response.get("Allow", "")
    elif endpoint.is_api:
        assert response.status_code == 401, response.content
        assert response["Content-Type"].startswith("application/json")
    else:
        assert response.status_code == 302, response.content
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("endpoint", PROJECT_ENDPOINTS, ids=str)
@pytest.mark.parametrize("method", ["GET", *WRITE_METHODS])
def test_outsider_gets_404_on_every_project_url(client, stocked, endpoint, method):
    events = AuditEvent.objects.count()

    response = _request(client, method, endpoint.path, stocked["outsider"])

    if response.status_code == 405:
        # Refused for everyone alike, before any lookup: reveals nothing.
        assert method not in response.get("Allow", "")
    else:
        assert response.status_code == 404, response.content
    assert b"my-kafka" not in response.content
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("endpoint", PROJECT_ENDPOINTS, ids=str)
@pytest.mark.parametrize("method", WRITE_METHODS)
def test_read_only_member_gets_403_on_every_write(client, stocked, endpoint, method):
    events = AuditEvent.objects.count()

    response = _request(client, method, endpoint.path, stocked["read_only"])

    if response.status_code == 405:
        assert method not in response.get("Allow", "")
    elif endpoint.name in READS_BY_POST:
        assert response.status_code < 400, response.content
    else:
        assert response.status_code == 403, response.content
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("endpoint", PROJECT_ENDPOINTS, ids=str)
@pytest.mark.parametrize("role", ["read_only", "developer"])
def test_members_read_every_project_url(client, stocked, endpoint, role):
    response = _request(client, "GET", endpoint.path, stocked[role])

    # 404 stays possible (no PrivateLink yet); crashing is not, nor being refused a read.
    assert response.status_code < 500, response.content
    assert response.status_code != 401, response.content
    if endpoint.name in WRITERS_ONLY_READS and role == "read_only":
        assert response.status_code == 403, response.content
    elif response.status_code == 403:
        # Only the form of a write may be refused to a read-only member: the same URL
        # must then refuse the write itself.
        assert role == "read_only", response.content
        write = _request(client, "POST", endpoint.path, stocked[role])
        assert write.status_code == 403, write.content
