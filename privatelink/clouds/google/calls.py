"""The calls of the platform project: every Compute request goes through here, so that its
errors are classified, the caller's lease is kept, and every operation is waited for by
the console's own polling (`regionOperations.wait` / `globalOperations.wait` through its
own clients), never held for long in a worker thread."""

import itertools
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from django.conf import settings
from google.api_core import retry as retries
from google.api_core.exceptions import DeadlineExceeded, ServiceUnavailable, from_http_response
from google.cloud import compute_v1

from privatelink.clouds.errors import unless_gone
from privatelink.clouds.google import clients
from privatelink.clouds.google.errors import SDK_ERRORS, GatewayError, Retryable, classify, failure

DONE = compute_v1.Operation.Status.DONE
THROTTLED = 429


class GoogleCalls:
    """The platform project in one region, and the one way to call Compute."""

    def __init__(self, region: str | None = None) -> None:
        """`region`: the Google region to create in (the catalog cloud's); by default
        GOOGLE_REGION."""
        target = clients.target()
        self.target = replace(target, region=region) if region else target
        # Called before every Compute call: a reconcile run keeps its lease alive through it.
        self.before_call: Callable[[], None] | None = None

    @property
    def _compute(self) -> clients.ComputeClients:
        return clients.compute()

    @property
    def project(self) -> str:
        return self.target.project

    @property
    def region(self) -> str:
        return self.target.region

    @property
    def _reads(self) -> dict[str, Any]:
        """A read's limits: GOOGLE_TIMEOUT per request, and the SDK's own retries of a read
        answered 503 (which by default go on for ten minutes) within GOOGLE_RETRY_SECONDS."""
        return {
            "timeout": settings.GOOGLE_TIMEOUT,
            "retry": retries.Retry(
                initial=0.1,
                maximum=2.0,
                predicate=retries.if_exception_type(ServiceUnavailable, DeadlineExceeded),
                timeout=settings.GOOGLE_RETRY_SECONDS,
            ),
        }

    @property
    def _writes(self) -> dict[str, Any]:
        """An insert's or delete's limit (the SDK retries none of them): GOOGLE_TIMEOUT."""
        return {"timeout": settings.GOOGLE_TIMEOUT}

    def _call[R](self, operation: str, work: Callable[[], R]) -> R:
        """One Compute request; Google's errors come out as Gone, Retryable or Terminal. A
        throttled request (Google did nothing with it) is made again after its Retry-After,
        when that is short (GOOGLE_MAX_RETRIES, GOOGLE_MAX_RETRY_WAIT_SECONDS)."""
        for attempt in itertools.count(1):
            self._before()
            try:
                return work()
            except SDK_ERRORS as exc:
                error = classify(exc, operation)
                wait = _throttled_wait(exc, error)
                if wait is None or attempt > settings.GOOGLE_MAX_RETRIES:
                    raise error from exc
                time.sleep(wait)
        raise AssertionError("unreachable")  # itertools.count never ends

    def _read[R](self, operation: str, work: Callable[[], R]) -> R | None:
        """A resource, or None if it is not there."""
        return unless_gone(lambda: self._call(operation, work))

    def _list[R](self, operation: str, pages: Callable[[], Iterable[R]]) -> list[R]:
        """Every item of a listing, page by page (each page is a request that may fail)."""
        return self._call(operation, lambda: list(pages()))

    def _run(self, operation: str, start: Callable[[], Any]) -> compute_v1.Operation:
        """Start an insert, patch or delete and wait for its operation to be DONE, at most
        GOOGLE_OPERATION_WAIT_SECONDS: past that it goes on in Google, and the caller is
        told to come back (a retry finds the resource by its name)."""
        started = self._call(operation, start)
        name = str(started.name)
        region = str(started.region).rsplit("/", 1)[-1] if started.region else ""
        deadline = time.monotonic() + settings.GOOGLE_OPERATION_WAIT_SECONDS
        current = started
        while current.status != DONE:
            if time.monotonic() >= deadline:
                raise Retryable(
                    "OperationInProgress",
                    f"Google is still carrying out {name}.",
                    operation,
                    retry_after=settings.GOOGLE_POLLING_INTERVAL,
                )
            current = self._call(operation, lambda: self._wait_once(name, region))
        _raise_if_failed(current, operation)
        return current

    def _wait_once(self, name: str, region: str) -> compute_v1.Operation:
        """One `wait`: answered when the operation is DONE, or sooner (Google's is at most
        two minutes; GOOGLE_TIMEOUT bounds the request)."""
        timeout = settings.GOOGLE_TIMEOUT
        if region:
            return self._compute.region_operations.wait(
                project=self.project, region=region, operation=name, timeout=timeout
            )
        return self._compute.global_operations.wait(
            project=self.project, operation=name, timeout=timeout
        )

    def _insert[R](
        self, operation: str, start: Callable[[], Any], read: Callable[[], R | None]
    ) -> R:
        """An insert, waited for; the resource as Google then reads it."""
        self._run(operation, start)
        created = read()
        if created is None:
            # DONE without error, yet not there: deleted meanwhile; the next run makes it.
            raise Retryable("NotFoundOnceCreated", "The resource went once made.", operation)
        return created

    def _merge_patch(self, path: str, body: dict[str, Any]) -> compute_v1.Operation:
        """PATCH `body` as JSON, as it is (empty lists included), to a resource's path;
        Google's answer read as the SDK reads it: an Operation, or the SDK's exception."""
        response = clients.session().patch(
            f"{clients.endpoint_url()}/compute/v1/{path}",
            json=body,
            timeout=settings.GOOGLE_TIMEOUT,
        )
        if response.status_code >= 400:
            raise from_http_response(response)
        return compute_v1.Operation.from_json(response.text, ignore_unknown_fields=True)

    def _delete(self, operation: str, start: Callable[[], Any]) -> None:
        """A delete; a resource already gone is as good as deleted."""
        unless_gone(lambda: self._run(operation, start))

    def _before(self) -> None:
        if self.before_call is not None:
            self.before_call()


def _throttled_wait(exc: Exception, error: GatewayError) -> float | None:
    """Seconds to wait before asking again, if Google throttled the request and asked for
    a short wait; None otherwise."""
    if getattr(exc, "code", None) != THROTTLED or not isinstance(error, Retryable):
        return None
    wait = 1.0 if error.retry_after is None else error.retry_after
    return wait if wait <= settings.GOOGLE_MAX_RETRY_WAIT_SECONDS else None


def _raise_if_failed(done: compute_v1.Operation, operation: str) -> None:
    """An operation DONE with errors: the first one, classified."""
    errors = list(done.error.errors) if done.error else []
    if not errors:
        return
    first = errors[0]
    status = done.http_error_status_code or None
    raise failure(first.code, first.message or done.http_error_message, operation, status)


def name_of(link: str) -> str:
    """The last part of a resource's link."""
    return link.rsplit("/", 1)[-1]
