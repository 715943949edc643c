"""SQL queries of one request, counted in-process with Django's test client."""

import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from console import changes
from console.models import Service, User

HTMX = {"HTTP_HX_REQUEST": "true"}


# The project and service a service page's URL (or the access-only baseline's) names.
SERVICE_PATH = re.compile(r"^/(?:projects/([^/]+)/services|bench/access/([^/]+))/([^/?]+)")


def as_after_a_change(path: str) -> None:
    """Replace the change token of the service `path` names, as any change of what its
    pages show does: nothing kept or shared serves it any more."""
    found = SERVICE_PATH.match(path)
    if found is None:
        raise ValueError(f"{path} names no service")
    project, service = found.group(1) or found.group(2), found.group(3)
    changes.service_changed(Service.objects.get(project__name=project, name=service).pk)


def count(
    user: User,
    path: str,
    fragment: bool = False,
    unchanged: bool = False,
    kept: bool = False,
    shared: bool = False,
) -> int:
    """Queries of a GET of `path` by `user`, session lookup and access check included.

    By default the GET is rendered: the service's change token is replaced first, as after
    a change, so no answer kept or shared for the requests before (console.freshness)
    serves it. `unchanged`: the GET is a poll as a browser repeats it, with the ETag of the
    answer before (If-None-Match), and must be answered 304. `kept`: the GET repeats the one
    before without an ETag (a reload), and may be answered with what was kept. `shared`:
    the GET asks a URL of its own (an ignored parameter) of a version rendered before, as
    another viewer of the role does: the answer shared by role may serve it.
    """
    client = Client()
    client.force_login(user)
    headers = dict(HTMX if fragment else {})
    client.get(path, **headers)  # warm caches that live per process; sets the CSRF cookie
    if unchanged:
        headers["HTTP_IF_NONE_MATCH"] = client.get(path, **headers)["ETag"]
    elif kept:
        client.get(path, **headers)
    elif shared:
        path += ("&" if "?" in path else "?") + "bench-render=counted"
    else:
        as_after_a_change(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **headers)
    expected = (304,) if unchanged else (200,)
    if response.status_code not in expected:
        raise RuntimeError(f"GET {path} answered {response.status_code}, not {expected}")
    return len(captured.captured_queries)
