"""The fake AWS server: moto's server with the extensions and a small control API.

Control endpoints, beside moto's own `/moto-api/...`:
- `GET /fakeaws/delays`: the delays in force, as JSON.
- `POST /fakeaws/delays` with a JSON object such as `{"nlb": 3, "health_check": 2}`: change
  those delays until the next reset (`POST /moto-api/reset` restores `FAKEAWS_DELAYS`).
- `GET /fakeaws/quotas`, `POST /fakeaws/quotas` with `{"load_balancers_per_region": 2}`:
  the same for the quotas (a reset restores `FAKEAWS_QUOTAS`).
- `POST /fakeaws/clock` with `{"advance": 301}`: move the fake's clock forward (a drain of
  300 s ends at once); a reset sets it back.
- `GET /fakeaws/reach?endpoint_id=vpce-...&host=HOST&port=PORT`: per zone of the endpoint,
  whether a client there reaches a healthy target, and why not (`fakeaws.reachability`).
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import BaseWSGIServer, make_server, run_simple
from werkzeug.wrappers import Request, Response

from fakeaws import reachability
from fakeaws.addresses import HOST, port_from_environment
from fakeaws.install import install
from fakeaws.quotas import quotas
from fakeaws.timing import timeline

CONTROL_PREFIX = "/fakeaws/"
REACH_PATH = "/fakeaws/reach"


def skip_default_amis() -> None:
    """Nothing here runs instances: without moto's AMI catalogue an account's first EC2
    call after a reset takes milliseconds instead of half a second."""
    os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")


class FakeAwsApp:
    """WSGI app: `/fakeaws/...` is ours, everything else is moto's server."""

    def __init__(self) -> None:
        install()
        self.moto = DomainDispatcherApplication(create_backend_app)

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path.startswith(CONTROL_PREFIX):
            response = self.control(Request(environ))
            return response(environ, start_response)
        if timeline.delays.api_call and not path.startswith("/moto-api/"):
            # Each request has a thread of its own: the others are not held up.
            time.sleep(timeline.delays.api_call)
        return self.moto(environ, start_response)

    def control(self, request: Request) -> Response:
        if request.path == REACH_PATH:
            return self.reach(request)
        settings: dict[str, tuple[Callable[[], dict[str, Any]], Callable[[Any], Any]]] = {
            "/fakeaws/delays": (
                timeline.delays.as_dict,
                lambda values: timeline.set_delays(values).as_dict(),
            ),
            "/fakeaws/quotas": (
                quotas.current.as_dict,
                lambda values: quotas.set(values).as_dict(),
            ),
            "/fakeaws/clock": (
                lambda: {"advanced": timeline.advance(0)},
                lambda values: {"advanced": timeline.advance(values.get("advance", 0))},
            ),
        }
        if request.path not in settings:
            return _json({"error": f"no such control endpoint: {request.path}"}, 404)
        read, change = settings[request.path]
        if request.method == "GET":
            return _json(read())
        if request.method != "POST":
            return _json({"error": "use GET or POST"}, 405)
        values = request.get_json(silent=True)
        if not isinstance(values, dict):
            return _json({"error": "send a JSON object"}, 400)
        try:
            return _json(change(values))
        except ValueError as error:
            return _json({"error": str(error)}, 400)

    def reach(self, request: Request) -> Response:
        if request.method != "GET":
            return _json({"error": "use GET"}, 405)
        endpoint_id = request.args.get("endpoint_id", "")
        host = request.args.get("host", "")
        port = request.args.get("port", "")
        if not (endpoint_id and host and port.isdigit()):
            return _json({"error": "give endpoint_id, host and a numeric port"}, 400)
        try:
            zones = reachability.reach(endpoint_id, host, int(port))
        except reachability.NotFound as error:
            return _json({"error": str(error)}, 404)
        return _json({"zones": [zone.as_dict() for zone in zones]})


def _json(body: object, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


def serve(host: str = HOST, port: int | None = None) -> None:
    """Answer on host:port until interrupted (`python -m fakeaws serve`)."""
    port = port_from_environment() if port is None else port
    # moto builds URLs to itself from MOTO_PORT (as its own server command sets it).
    os.environ.setdefault("MOTO_PORT", str(port))
    skip_default_amis()
    print(f"fake AWS on http://{host}:{port}  delays: {timeline.delays.as_dict()}", flush=True)
    run_simple(host, port, FakeAwsApp(), threaded=True, request_handler=MotoRequestHandler)


class QuietRequestHandler(MotoRequestHandler):
    """No access log line per request: tests make thousands."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


class FakeAwsServer:
    """The fake AWS in a thread of this process, on a free port unless one is given."""

    def __init__(self, host: str = HOST, port: int = 0, *, quiet: bool = False) -> None:
        handler = QuietRequestHandler if quiet else MotoRequestHandler
        self._server: BaseWSGIServer = make_server(
            host, port, FakeAwsApp(), threaded=True, request_handler=handler
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="fakeaws", daemon=True
        )

    @property
    def endpoint_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeAwsServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
