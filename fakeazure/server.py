"""The fake Azure server: ARM's REST surface for Microsoft.Network over HTTPS.

ARM paths: `/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/{kind}/...`
with an `api-version` (any date the SDK sends) and a bearer token (any token). PUT answers
201 (created) or 200 with `Azure-AsyncOperation`; DELETE answers 202 with `Location`; the
operation URLs answer until the delays of `FAKEAZURE_DELAYS` are over.

Control endpoints under `/fakeazure/` are in `fakeazure.control`.

Beside the resources, `POST .../locations/{location}/checkPrivateLinkServiceVisibility`
tells a subscription whether it may connect to an alias.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from fakeaws.controls import json_response
from fakeazure import timing
from fakeazure.addresses import HOST, cert_dir_from_environment, port_from_environment
from fakeazure.control import control, requests
from fakeazure.errors import ArmError, not_found
from fakeazure.load_balancers import LOAD_BALANCERS
from fakeazure.network import SUBNETS, VIRTUAL_NETWORKS
from fakeazure.private_link import (
    PRIVATE_ENDPOINT_CONNECTIONS,
    PRIVATE_ENDPOINTS,
    PRIVATE_LINK_SERVICES,
    alias_visible,
)
from fakeazure.resources import PROVIDER, Kind, Target
from fakeazure.store import Operation, Resource, store
from fakeazure.tls import CertificatePair, ensure_certificate

KINDS = {
    tuple(part.lower() for part in kind.path): kind
    for kind in (
        VIRTUAL_NETWORKS,
        SUBNETS,
        LOAD_BALANCERS,
        PRIVATE_LINK_SERVICES,
        PRIVATE_ENDPOINT_CONNECTIONS,
        PRIVATE_ENDPOINTS,
    )
}
RESOURCE_PATH = re.compile(
    rf"^/subscriptions/(?P<sub>[^/]+)/resourceGroups/(?P<rg>[^/]+)/providers/{PROVIDER}/"
    r"(?P<rest>.+?)/?$",
    re.IGNORECASE,
)
OPERATION_PATH = re.compile(
    rf"^/subscriptions/(?P<sub>[^/]+)/providers/{PROVIDER}/locations/(?P<location>[^/]+)/"
    r"(?P<kind>operations|operationResults)/(?P<id>[^/]+)$",
    re.IGNORECASE,
)
VISIBILITY_PATH = re.compile(
    rf"^/subscriptions/(?P<sub>[^/]+)/providers/{PROVIDER}/locations/[^/]+/"
    r"checkPrivateLinkServiceVisibility$",
    re.IGNORECASE,
)
SUBSCRIPTION_LIST_PATH = re.compile(
    rf"^/subscriptions/(?P<sub>[^/]+)/providers/{PROVIDER}/(?P<type>[^/]+)/?$", re.IGNORECASE
)
API_VERSION = re.compile(r"^\d{4}-\d{2}-\d{2}(-preview)?$")
CONTROL_PREFIX = "/fakeazure/"


class FakeAzureApp:
    """WSGI app: `/fakeazure/...` is control, everything else is ARM."""

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
                response = self.arm(request)
            except ArmError as error:
                response = json_response(error.body(), error.status)
            # ARM names every answer; clients quote it when they report a failure.
            response.headers["x-ms-request-id"] = str(uuid.uuid4())
        return response(environ, start_response)

    def arm(self, request: Request) -> Response:
        authorization = request.headers.get("Authorization", "")
        if not authorization.startswith("Bearer "):
            raise ArmError(
                401,
                "AuthenticationFailed",
                "Authentication failed. The 'Authorization' header is missing or is not a "
                "bearer token.",
            )
        retry_after = store.take_throttled_request()
        if retry_after is not None:
            response = json_response(
                ArmError(
                    429,
                    "SubscriptionRequestsThrottled",
                    f"Number of requests for this subscription exceeded the limit. Please "
                    f"try again after '{retry_after}' seconds.",
                ).body(),
                429,
            )
            response.headers["Retry-After"] = str(retry_after)
            return response
        failure = store.take_failure(request.path)
        if failure is not None:
            raise failure
        api_version = request.args.get("api-version")
        if not api_version:
            raise ArmError(
                400,
                "MissingApiVersionParameter",
                "The api-version query parameter (?api-version=) is required for all requests.",
            )
        if not API_VERSION.match(api_version):
            raise ArmError(
                400,
                "InvalidApiVersionParameter",
                f"The api-version '{api_version}' is invalid: use a date such as 2026-03-01.",
            )
        store.settle()
        operation = OPERATION_PATH.match(request.path)
        if operation:
            return self.operation(request, operation)
        visibility = VISIBILITY_PATH.match(request.path)
        if visibility and request.method == "POST":
            alias = (request.get_json(silent=True) or {}).get("privateLinkServiceAlias") or ""
            return json_response({"visible": alias_visible(str(alias), visibility["sub"])})
        listing = SUBSCRIPTION_LIST_PATH.match(request.path)
        if listing and request.method == "GET":
            return self.list_subscription(listing)
        match = RESOURCE_PATH.match(request.path)
        if not match:
            raise ArmError(
                404,
                "InvalidResourceType",
                f"No resource type served at {request.path}: this fake serves "
                f"{PROVIDER} virtualNetworks (and subnets), loadBalancers, "
                "privateLinkServices (and privateEndpointConnections) and privateEndpoints.",
            )
        parts = match["rest"].split("/")
        types = tuple(part.lower() for part in parts[0::2])
        kind = KINDS.get(types)
        if kind is None:
            raise ArmError(
                404,
                "InvalidResourceType",
                f"The resource type '{'/'.join(parts[0::2])}' could not be found in the "
                f"namespace '{PROVIDER}'.",
            )
        group_id = f"/subscriptions/{match['sub']}/resourceGroups/{match['rg']}"
        base = f"{group_id}/providers/{PROVIDER}"
        if len(parts) % 2:  # a collection: .../virtualNetworks or .../vnet/subnets
            if request.method != "GET":
                raise ArmError(405, "MethodNotAllowed", f"Use GET to list {parts[-1]}.")
            collection = f"{base}/{'/'.join(parts)}"
            return json_response(
                {"value": [kind.render(r) for r in store.under(collection, kind.type)]}
            )
        resource_id = f"{base}/{'/'.join(parts)}"
        target = Target(
            subscription=match["sub"],
            resource_group=match["rg"],
            id=resource_id,
            name=parts[-1],
            parent_id=resource_id.rsplit("/", 2)[0] if len(parts) > 2 else group_id,
        )
        if request.method == "GET":
            resource = store.get(resource_id)
            if resource is None:
                raise not_found(resource_id)
            return json_response(kind.render(resource))
        if request.method == "PUT":
            return self.put(request, kind, target, api_version)
        if request.method == "DELETE":
            return self.delete(request, kind, target, api_version)
        raise ArmError(405, "MethodNotAllowed", f"{request.method} is not served here.")

    def list_subscription(self, match: re.Match[str]) -> Response:
        """`list_all()`: one top-level type across the subscription's resource groups."""
        kind = KINDS.get((match["type"].lower(),))
        if kind is None:
            raise ArmError(
                404,
                "InvalidResourceType",
                f"The resource type '{match['type']}' could not be found in the namespace "
                f"'{PROVIDER}'.",
            )
        resources = store.under(f"/subscriptions/{match['sub']}", kind.type)
        return json_response({"value": [kind.render(r) for r in resources]})

    def put(self, request: Request, kind: Kind, target: Target, api_version: str) -> Response:
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            raise ArmError(
                400, "InvalidRequestContent", "The request content must be a JSON object."
            )
        with store.lock:
            existing = store.get(target.id)
            _check_if_match(request, target, existing)
            if existing is not None and store.is_deleting(target.id):
                raise ArmError(
                    409,
                    "AnotherOperationInProgress",
                    f"Resource {target.id} is being deleted; retry once it is gone.",
                )
            if existing is not None and kind.long_running_put:
                _refuse_while_updating(target)
            resource = kind.build(target, body, existing)
            if not kind.long_running_put:
                store.put(resource, settled=True)
                return json_response(kind.render(resource), 200)
            store.put(resource)
            if kind.after_put:
                kind.after_put(resource)
            operation = store.start_operation(target.id, "put", resource["location"])
        response = json_response(kind.render(resource), 200 if existing else 201)
        response.headers["Azure-AsyncOperation"] = _operation_url(
            request, target, operation, "operations", api_version
        )
        return response

    def delete(self, request: Request, kind: Kind, target: Target, api_version: str) -> Response:
        with store.lock:
            resource = store.get(target.id)
            if resource is None:
                # ARM answers a DELETE of nothing with 204: deleting is idempotent.
                return Response(status=204)
            if not store.is_deleting(target.id):
                _refuse_while_updating(target)
                kind.before_delete(resource)
                store.remove(target.id)
            operation = store.start_operation(target.id, "delete", resource.get("location", ""))
        response = Response(status=202)
        url = _operation_url(request, target, operation, "operationResults", api_version)
        response.headers["Location"] = url
        return response

    def operation(self, request: Request, match: re.Match[str]) -> Response:
        operation = store.operations.get(match["id"])
        if operation is None or request.method != "GET":
            raise not_found(request.path)
        over = time.monotonic() >= operation.done_at
        if match["kind"].lower() == "operations":
            return json_response(
                {
                    "id": request.path,
                    "name": operation.id,
                    "status": "Succeeded" if over else "InProgress",
                }
            )
        if over:
            return Response(status=204)
        response = Response(status=202)
        response.headers["Location"] = request.url
        return response


def _refuse_while_updating(target: Target) -> None:
    """As ARM's network provider: no second write of a resource while its PUT runs."""
    if store.is_updating(target.id):
        raise ArmError(
            409,
            "AnotherOperationInProgress",
            f"Another operation on this or dependent resource is in progress: {target.id} "
            "is being updated. Retry once its provisioningState is no longer Updating.",
        )


def _check_if_match(request: Request, target: Target, existing: Resource | None) -> None:
    """ARM's optimistic concurrency: a PUT with If-Match writes only over that etag."""
    wanted = request.headers.get("If-Match", "")
    if not wanted or (wanted == "*" and existing is not None):
        return
    if existing is None or existing.get("etag") != wanted:
        raise ArmError(
            412,
            "PreconditionFailed",
            f"The condition specified using HTTP conditional header(s) is not met for "
            f"{target.id}: its etag is not {wanted}.",
        )


def _operation_url(
    request: Request, target: Target, operation: Operation, kind: str, api_version: str
) -> str:
    location = operation.location or "global"
    return (
        f"{request.host_url.rstrip('/')}/subscriptions/{target.subscription}/providers/"
        f"{PROVIDER}/locations/{location}/{kind}/{operation.id}?api-version={api_version}"
    )


class QuietRequestHandler(WSGIRequestHandler):
    """No access log line per request: tests make thousands."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


class FakeAzureServer:
    """The fake Azure in a thread of this process, on a free port unless one is given."""

    def __init__(
        self,
        host: str = HOST,
        port: int = 0,
        *,
        certificate: CertificatePair | None = None,
        quiet: bool = False,
    ) -> None:
        self.certificate = certificate or ensure_certificate(cert_dir_from_environment())
        self._server: BaseWSGIServer = make_server(
            host,
            port,
            FakeAzureApp(),
            threaded=True,
            request_handler=QuietRequestHandler if quiet else WSGIRequestHandler,
            ssl_context=(str(self.certificate.cert_path), str(self.certificate.key_path)),
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="fakeazure", daemon=True
        )

    @property
    def endpoint_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"https://{host!s}:{port}"

    def start(self) -> FakeAzureServer:
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


def serve(host: str = HOST, port: int | None = None) -> None:
    """Answer on host:port until interrupted (`python -m fakeazure serve`)."""
    port = port_from_environment() if port is None else port
    server = FakeAzureServer(host, port)
    print(
        f"fake Azure on https://{host}:{port}  certificate: {server.certificate.cert_path}  "
        f"delays: {timing.delays.current.as_dict()}",
        flush=True,
    )
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
