"""A person's browser (session cookie, CSRF token, HTML forms) and an API client (token),
both talking HTTP to the running gunicorn as any outside client would."""

import http.cookiejar
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

TIMEOUT = 60


class Browser:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def _open(self, request: urllib.request.Request) -> tuple[int, str, str]:
        """(status, final URL, body) of a request; redirects are followed."""
        try:
            with self.opener.open(request, timeout=TIMEOUT) as response:
                return response.status, response.url, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.url, exc.read().decode(errors="replace")

    def get(self, path: str) -> tuple[int, str, str]:
        return self._open(urllib.request.Request(self.base_url + path))

    def csrf_token(self) -> str:
        for cookie in self.cookies:
            if cookie.name == "csrftoken":
                return cookie.value or ""
        raise AssertionError("no csrftoken cookie: GET a page with a form first")

    def post_form(self, path: str, fields: list[tuple[str, str]]) -> tuple[int, str, str]:
        """POST `fields` as the page's form does, with the CSRF token; the page is read
        first so that Django sets the CSRF cookie."""
        self.get(path)
        body = urllib.parse.urlencode([("csrfmiddlewaretoken", self.csrf_token()), *fields])
        request = urllib.request.Request(
            self.base_url + path,
            data=body.encode(),
            method="POST",
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": self.base_url + path,
            },
        )
        return self._open(request)

    def log_in(self, path: str, email: str, password: str) -> None:
        status, url, body = self.post_form(
            path, [("username", email), ("password", password), ("next", "/admin/")]
        )
        if status != 200 or "/login/" in url:
            raise AssertionError(f"login as {email} failed ({status} {url}):\n{body[-2000:]}")


def form_errors(body: str) -> list[str]:
    """The error messages a Django form page shows, for failure messages."""
    return re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', body, re.DOTALL)


class Api:
    """The JSON API under /v1/ with a token, as `avn` uses it."""

    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url
        self.token = token

    def call(self, method: str, path: str, body: object = None) -> tuple[int, Any]:
        request = urllib.request.Request(
            f"{self.base_url}/v1/{path}",
            data=None if body is None else json.dumps(body).encode(),
            method=method,
            headers={"Authorization": f"aivenv1 {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"null")
