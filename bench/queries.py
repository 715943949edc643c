"""SQL queries of one request, counted in-process with Django's test client."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from console.models import User

HTMX = {"HTTP_HX_REQUEST": "true"}


def count(user: User, path: str, fragment: bool = False) -> int:
    """Queries of a GET of `path` by `user`, session lookup and access check included."""
    client = Client()
    client.force_login(user)
    client.get(path, **(HTMX if fragment else {}))  # warm caches that live per process
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **(HTMX if fragment else {}))
    if response.status_code not in (200, 286):
        raise RuntimeError(f"GET {path} answered {response.status_code}")
    return len(captured.captured_queries)
