"""The fake Google server: Compute Engine's REST surface for Private Service Connect.

Paths: `/compute/v1/projects/{project}/global/{collection}[/{name}]` (networks),
`/compute/v1/projects/{project}/regions/{region}/{collection}[/{name}]` (subnetworks,
healthChecks, backendServices, forwardingRules, serviceAttachments, networkEndpointGroups),
a port mapping group's `.../networkEndpointGroups/{name}/{attach,detach,list}NetworkEndpoints`
(`fakegoogle.endpoint_groups`), `/compute/v1/projects/{project}/aggregated/{collection}`,
a region with its quotas (`GET /compute/v1/projects/{project}/regions/{region}`),
and the operations
(`.../operations/{name}` and `.../operations/{name}/wait`). POST to a collection inserts,
PATCH updates, DELETE deletes: each answers an operation, RUNNING until the delays of
FAKEGOOGLE_DELAYS are over. Any bearer token is accepted, and so is none (anonymous
credentials).

Control endpoints under `/fakegoogle/` are in `fakegoogle.control`.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Callable
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from fakeaws.controls import json_response
from fakegoogle import endpoint_groups, operations, regions, timing
from fakegoogle.addresses import HOST, port_from_environment
from fakegoogle.control import control, requests
from fakegoogle.endpoint_groups import NETWORK_ENDPOINT_GROUPS
from fakegoogle.errors import GoogleError, invalid, not_found, not_ready
from fakegoogle.load_balancers import BACKEND_SERVICES, FORWARDING_RULES, HEALTH_CHECKS
from fakegoogle.network import NETWORKS, SUBNETWORKS
from fakegoogle.private_link import SERVICE_ATTACHMENTS
from fakegoogle.resources import Kind, Target, link
from fakegoogle.store import store

KINDS = {
    kind.collection: kind
    for kind in (
        NETWORKS,
        SUBNETWORKS,
        HEALTH_CHECKS,
        BACKEND_SERVICES,
        FORWARDING_RULES,
        SERVICE_ATTACHMENTS,
        NETWORK_ENDPOINT_GROUPS,
    )
}
PREFIX = "/compute/v1/"
OPERATION_PATH = re.compile(
    r"^/compute/v1/projects/(?P<project>[^/]+)/(?:global|regions/(?P<region>[^/]+))/"
    r"operations/(?P<name>[^/]+?)(?P<wait>/wait)?$"
)
AGGREGATED_PATH = re.compile(
    r"^/compute/v1/projects/(?P<project>[^/]+)/aggregated/(?P<kind>[^/]+)$"
)
RESOURCE_PATH = re.compile(
    r"^/compute/v1/projects/(?P<project>[^/]+)/(?:global|regions/(?P<region>[^/]+))/"
    r"(?P<kind>[^/]+)(?:/(?P<name>[^/]+))?$"
)
# A region itself (`regions.get`, with its quotas).
REGION_PATH = re.compile(r"^/compute/v1/projects/(?P<project>[^/]+)/regions/(?P<region>[^/]+)$")
# A regional network endpoint group's own methods (POST): attach, detach, list endpoints.
GROUP_METHOD_PATH = re.compile(
    r"^/compute/v1/projects/(?P<project>[^/]+)/regions/(?P<region>[^/]+)/"
    r"networkEndpointGroups/(?P<name>[^/]+)/(?P<method>[A-Za-z]+)$"
)
GROUP_METHODS = {
    "attachNetworkEndpoints": endpoint_groups.attach,
    "detachNetworkEndpoints": endpoint_groups.detach,
}
CONTROL_PREFIX = "/fakegoogle/"
DEFAULT_PAGE_SIZE = 500


class FakeGoogleApp:
    """WSGI app: `/fakegoogle/...` is control, everything else is Compute."""

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        request = Request(environ)
        if request.path.startswith(CONTROL_PREFIX):
            response = control(request, KINDS.values())
        else:
            requests.add(request.method)
            if timing.delays.current.api_call:
                # Each request has a thread of its own: the others are not held up.
                time.sleep(timing.delays.current.api_call)
            try:
                response = self.compute(request)
            except GoogleError as error:
                response = json_response(error.body(), error.status)
        return response(environ, start_response)

    def compute(self, request: Request) -> Response:
        authorization = request.headers.get("Authorization", "")
        if authorization and not authorization.startswith("Bearer "):
            raise GoogleError(
                401,
                "authError",
                "Request had invalid authentication credentials. Expected OAuth 2 access token.",
            )
        retry_after = store.take_throttled_request()
        if retry_after is not None:
            response = json_response(
                GoogleError(
                    429, "rateLimitExceeded", "Rate Limit Exceeded", domain="usageLimits"
                ).body(),
                429,
            )
            if retry_after:
                response.headers["Retry-After"] = str(retry_after)
            return response
        failure = store.take_failure(request.path)
        if failure is not None:
            raise failure
        store.settle()
        operation = OPERATION_PATH.match(request.path)
        if operation:
            return self.operation(request, operation)
        aggregated = AGGREGATED_PATH.match(request.path)
        if aggregated and request.method == "GET":
            return self.aggregated(aggregated["project"], aggregated["kind"])
        region = REGION_PATH.match(request.path)
        if region and request.method == "GET":
            return json_response(regions.region(region["project"], region["region"]))
        method = GROUP_METHOD_PATH.match(request.path)
        if method:
            return self.group_method(request, method)
        match = RESOURCE_PATH.match(request.path)
        kind = KINDS.get(match["kind"]) if match else None
        if match is None or kind is None or kind.regional != bool(match["region"]):
            raise not_found(request.path.removeprefix(PREFIX))
        scope = Target(match["project"], match["region"] or "", kind.collection, "")
        if match["name"] is None:
            if request.method == "GET":
                return self.list(request, kind, scope)
            if request.method == "POST":
                return self.insert(request, kind, scope)
            raise GoogleError(405, "methodNotAllowed", f"{request.method} is not served here.")
        target = Target(scope.project, scope.region, kind.collection, match["name"])
        if request.method == "GET":
            resource = store.get(target.path)
            if resource is None:
                raise not_found(target.path)
            return json_response(kind.render(resource))
        if request.method == "PATCH":
            return self.patch(request, kind, target)
        if request.method == "DELETE":
            return self.delete(kind, target)
        raise GoogleError(405, "methodNotAllowed", f"{request.method} is not served here.")

    def list(self, request: Request, kind: Kind, scope: Target) -> Response:
        prefix = f"{scope.scope}/{kind.collection}/"
        found = [
            kind.render(r) for path, r in store.items(kind.collection) if path.startswith(prefix)
        ]
        try:
            start = int(request.args.get("pageToken") or 0)
            size = int(request.args.get("maxResults") or DEFAULT_PAGE_SIZE)
        except ValueError:
            raise invalid("Invalid value for pageToken or maxResults.") from None
        answer: dict[str, Any] = {
            "kind": f"{kind.kind}List",
            "id": f"{scope.scope}/{kind.collection}",
            "items": found[start : start + size],
            "selfLink": link(f"{scope.scope}/{kind.collection}"),
        }
        if start + size < len(found):
            answer["nextPageToken"] = str(start + size)
        return json_response(answer)

    def aggregated(self, project: str, collection: str) -> Response:
        kind = KINDS.get(collection)
        if kind is None or not kind.regional:
            raise not_found(f"projects/{project}/aggregated/{collection}")
        scoped: dict[str, dict[str, list[Any]]] = {}
        for _, resource in store.items(collection):
            if resource["_project"] == project:
                key = f"regions/{resource['_region']}"
                scoped.setdefault(key, {collection: []})[collection].append(kind.render(resource))
        return json_response(
            {
                "kind": f"{kind.kind}AggregatedList",
                "id": f"projects/{project}/aggregated/{collection}",
                "items": scoped,
                "selfLink": link(f"projects/{project}/aggregated/{collection}"),
            }
        )

    def insert(self, request: Request, kind: Kind, scope: Target) -> Response:
        body = _body(request)
        target = Target(scope.project, scope.region, kind.collection, str(body.get("name") or ""))
        with store.lock:
            if store.taken(target.path):
                raise GoogleError(
                    409, "alreadyExists", f"The resource '{target.path}' already exists"
                )
            resource = kind.build(target, body)
            store.insert(target.path, resource, timing.delays.current.provisioning)
            if kind.after_insert:
                kind.after_insert(resource)
            operation = store.start_operation(
                target.project, target.region, "insert", target.path, resource["id"]
            )
        return json_response(operations.render(operation))

    def patch(self, request: Request, kind: Kind, target: Target) -> Response:
        body = _body(request)
        with store.lock:
            resource = store.get(target.path)
            if resource is None:
                raise not_found(target.path)
            if kind.patch is None:
                raise GoogleError(
                    405, "methodNotAllowed", f"{kind.collection} are not patched here."
                )
            if store.is_deleting(target.path):
                raise not_ready(target.path)
            kind.patch(resource, body)
            operation = store.start_operation(
                target.project, target.region, "patch", target.path, resource["id"]
            )
        return json_response(operations.render(operation))

    def delete(self, kind: Kind, target: Target) -> Response:
        with store.lock:
            resource = store.get(target.path)
            if resource is None:
                raise not_found(target.path)
            if store.is_deleting(target.path):
                raise not_ready(target.path)
            kind.before_delete(resource)
            store.remove(target.path, timing.delays.current.deletion)
            operation = store.start_operation(
                target.project, target.region, "delete", target.path, resource["id"]
            )
        return json_response(operations.render(operation))

    def group_method(self, request: Request, match: re.Match[str]) -> Response:
        """A port mapping group's attach (an operation), detach (one) or list (its items)."""
        if request.method != "POST":
            raise GoogleError(405, "methodNotAllowed", f"{request.method} is not served here.")
        target = Target(match["project"], match["region"], "networkEndpointGroups", match["name"])
        with store.lock:
            group = store.get(target.path)
            if group is None:
                raise not_found(target.path)
            if match["method"] == "listNetworkEndpoints":
                return json_response(endpoint_groups.listed(group))
            change = GROUP_METHODS.get(match["method"])
            if change is None:
                raise not_found(request.path.removeprefix(PREFIX))
            if store.is_deleting(target.path):
                raise not_ready(target.path)
            change(group, _body(request))
            operation = store.start_operation(
                target.project, target.region, match["method"], target.path, group["id"]
            )
        return json_response(operations.render(operation))

    def operation(self, request: Request, match: re.Match[str]) -> Response:
        operation = store.operations.get(match["name"])
        if (
            operation is None
            or operation.project != match["project"]
            or operation.region != (match["region"] or "")
        ):
            raise not_found(request.path.removeprefix(PREFIX))
        if match["wait"]:
            if request.method != "POST":
                raise GoogleError(405, "methodNotAllowed", "POST to wait for an operation.")
            operations.wait(operation)
            store.settle()
        elif request.method != "GET":
            raise GoogleError(405, "methodNotAllowed", f"{request.method} is not served here.")
        return json_response(operations.render(operation))


def _body(request: Request) -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise GoogleError(400, "parseError", "The request body must be a JSON object.")
    return body


class QuietRequestHandler(WSGIRequestHandler):
    """No access log line per request: tests make thousands."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


class FakeGoogleServer:
    """The fake Google in a thread of this process, on a free port unless one is given."""

    def __init__(self, host: str = HOST, port: int = 0, *, quiet: bool = False) -> None:
        self._server: BaseWSGIServer = make_server(
            host,
            port,
            FakeGoogleApp(),
            threaded=True,
            request_handler=QuietRequestHandler if quiet else WSGIRequestHandler,
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="fakegoogle", daemon=True
        )

    @property
    def endpoint_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeGoogleServer:
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


def serve(host: str = HOST, port: int | None = None) -> None:
    """Answer on host:port until interrupted (`python -m fakegoogle serve`)."""
    port = port_from_environment() if port is None else port
    server = FakeGoogleServer(host, port)
    print(
        f"fake Google on http://{host}:{port}  delays: {timing.delays.current.as_dict()}",
        flush=True,
    )
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
