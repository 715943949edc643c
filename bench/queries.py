"""SQL queries of one request, counted in-process with Django's test client."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from console.models import User

HTMX = {"HTTP_HX_REQUEST": "true"}


def count(
    user: User, path: str, fragment: bool = False, unchanged: bool = False, kept: bool = False
) -> int:
    """Queries of a GET of `path` by `user`, session lookup and access check included.

    By default the GET is rendered: it asks a URL of its own (an ignored parameter), so no
    answer kept for the requests before (console.freshness) serves it. `unchanged`: the GET
    is a poll as a browser repeats it, with the ETag of the answer before (If-None-Match),
    and must be answered 304. `kept`: the GET repeats the one before without an ETag (a
    reload), and may be answered with what was kept.
    """
    client = Client()
    client.force_login(user)
    headers = dict(HTMX if fragment else {})
    client.get(path, **headers)  # warm caches that live per process; sets the CSRF cookie
    if unchanged:
        headers["HTTP_IF_NONE_MATCH"] = client.get(path, **headers)["ETag"]
    elif kept:
        client.get(path, **headers)
    else:
        path += ("&" if "?" in path else "?") + "bench-render=counted"
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **headers)
    expected = (304,) if unchanged else (200,)
    if response.status_code not in expected:
        raise RuntimeError(f"GET {path} answered {response.status_code}, not {expected}")
    return len(captured.captured_queries)
