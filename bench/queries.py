"""SQL queries of one request, counted in-process with Django's test client."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from console.models import User

HTMX = {"HTTP_HX_REQUEST": "true"}


def count(user: User, path: str, fragment: bool = False, unchanged: bool = False) -> int:
    """Queries of a GET of `path` by `user`, session lookup and access check included.

    `unchanged`: the GET is a poll as a browser repeats it, with the ETag of the answer
    before (If-None-Match), and must be answered 304.
    """
    client = Client()
    client.force_login(user)
    headers = dict(HTMX if fragment else {})
    client.get(path, **headers)  # warm caches that live per process; sets the CSRF cookie
    if unchanged:
        headers["HTTP_IF_NONE_MATCH"] = client.get(path, **headers)["ETag"]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **headers)
    expected = (304,) if unchanged else (200,)
    if response.status_code not in expected:
        raise RuntimeError(f"GET {path} answered {response.status_code}, not {expected}")
    return len(captured.captured_queries)
