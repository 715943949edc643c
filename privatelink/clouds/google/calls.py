"""The calls of the platform project: every Compute request goes through here, so that its
errors are classified and the caller's lease is kept. No operation is waited for in a
worker thread: one still running when Google answers is recorded by the resource it
changes (`pending`) and the run ends with InProgress; a later run looks at it with
`regionOperations.get` / `globalOperations.get` through the console's own clients, and
starts no second change of that resource while it runs."""

import itertools
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from django.conf import settings
from google.api_core import retry as retries
from google.api_core.exceptions import DeadlineExceeded, ServiceUnavailable, from_http_response
from google.cloud import compute_v1

from privatelink.clouds.errors import Gone, InProgress, unless_gone
from privatelink.clouds.google import clients, pending
from privatelink.clouds.google.errors import SDK_ERRORS, GatewayError, Retryable, classify, failure

DONE = compute_v1.Operation.Status.DONE
THROTTLED = 429
# Google's refusal of an insert whose name is taken (by a resource made or being made).
ALREADY_EXISTS = "alreadyExists"
# Google's refusal of a change of a resource that another operation is still changing.
NOT_READY = frozenset({"resourceNotReady", "RESOURCE_NOT_READY"})


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

    def _path(self, collection: str, name: str, *, regional: bool = True) -> str:
        """A resource's path in the platform project: what its operations are recorded by."""
        scope = f"regions/{self.region}" if regional else "global"
        return f"projects/{self.project}/{scope}/{collection}/{name}"

    def _run(self, operation: str, start: Callable[[], Any], target: str) -> compute_v1.Operation:
        """Start an insert, patch or delete of the resource at `target`, never waiting for
        it in this thread: DONE in its answer, it is returned (or its error raised); still
        running, it is recorded and InProgress raised, and a later run looks at it
        (`_earlier`)."""
        started = self._call(operation, start)
        if started.status == DONE:
            _raise_if_failed(started, operation)
            return started
        region = name_of(str(started.region)) if started.region else ""
        pending.remember(target, pending.PendingOperation(str(started.name), region, operation))
        raise self._in_progress(operation, target)

    def _earlier(self, operation: str | None, target: str) -> compute_v1.Operation | None:
        """The operation an earlier run left on `target`, once Google has carried it out:
        forgotten, and returned when it was the same change as `operation` (any change,
        when None), its error, if it failed, raised as it would have been then.
        InProgress while it still runs."""
        recorded = pending.recall(target)
        if recorded is None:
            return None
        current = self._read("get_operation", lambda: self._operation(recorded))
        if current is not None and current.status != DONE:
            raise self._in_progress(recorded.operation, target)
        pending.forget(target)
        if current is None or operation not in (None, recorded.operation):
            return None  # Google keeps it no more, or it was another change, now over
        _raise_if_failed(current, recorded.operation)
        return current

    def settle(
        self, collection: str, name: str, *, regional: bool = True, deletion: str | None = None
    ) -> None:
        """InProgress while a change an earlier run started on the resource is still
        running. Once it is over it is forgotten, and its error raised if it failed: any
        change's, or when `deletion` is named only that delete's (a teardown goes on past
        a failed insert, and must not miss a resource Google is still making: unreadable
        until made, it would be left behind)."""
        target = self._path(collection, name, regional=regional)
        unless_gone(lambda: self._earlier(deletion, target))

    def _operation(self, recorded: pending.PendingOperation) -> compute_v1.Operation:
        """One look at an operation (`get`, which answers at once; `wait` would hold this
        thread until it is over)."""
        if recorded.region:
            return self._compute.region_operations.get(
                project=self.project, **self._reads, region=recorded.region, operation=recorded.name
            )
        return self._compute.global_operations.get(
            project=self.project, **self._reads, operation=recorded.name
        )

    def _in_progress(self, operation: str, target: str) -> InProgress:
        return InProgress(
            "OperationInProgress",
            f"Google is still carrying out a change of {target}.",
            operation,
            retry_after=settings.GOOGLE_POLLING_INTERVAL,
        )

    def _insert[R](
        self, operation: str, target: str, start: Callable[[], Any], read: Callable[[], R | None]
    ) -> R:
        """An insert of the resource at `target` (which the caller read as missing), unless
        an earlier run's insert of it is still running or has made it since; the resource
        as Google then reads it."""
        if self._earlier(operation, target) is not None and (made := read()) is not None:
            return made
        try:
            self._run(operation, start, target)
        except Retryable as exc:
            if exc.code != ALREADY_EXISTS:
                raise
            # The name is taken, yet was not there to read: an insert no record tells of
            # (its run died before recording it) is still being carried out. The next run
            # reads the resource by its name, and takes it only if it is ours.
            raise self._in_progress(operation, target) from exc
        created = read()
        if created is None:
            # DONE without error, yet not there: deleted meanwhile; the next run makes it.
            raise Retryable("NotFoundOnceCreated", "The resource went once made.", operation)
        return created

    def _change(self, operation: str, start: Callable[[], Any], target: str) -> None:
        """A patch, attach or detach of the resource at `target`, once no earlier change of
        it is still running (the caller read the resource after that one, or reads again)."""
        self._earlier(operation, target)
        self._run(operation, start, target)

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

    def _delete(self, operation: str, start: Callable[[], Any], target: str) -> None:
        """A delete of the resource at `target`; one already gone, or whose delete by an
        earlier run is over, is as good as deleted."""
        try:
            if self._earlier(operation, target) is None:
                self._run(operation, start, target)
        except Gone:
            return
        except Retryable as exc:
            if exc.code not in NOT_READY:
                raise
            # Being deleted already, by a run that died before recording it (or changed by
            # an operation still running): look again later.
            raise self._in_progress(operation, target) from exc

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


def path_of(link: str) -> str:
    """`projects/...`: a resource's path from any link to it."""
    index = link.find("projects/")
    return link[index:] if index >= 0 else link


def name_of(link: str) -> str:
    """The last part of a resource's link."""
    return link.rsplit("/", 1)[-1]
