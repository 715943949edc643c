"""Operations a run left running in Google, recorded by the resource they change, so that
a later run looks at that very operation instead of starting the change a second time.

A run never waits for an operation in its worker thread: it records the operation here
and ends, asking to be run again. The record lives in the shared Django cache, so a run in
any worker finds it. A record lost (a crash between Google's answer and the write, an
eviction) costs nothing but one more request: Google itself refuses a second insert of a
name whose insert is running (409 alreadyExists) and a second delete of a resource being
deleted (resourceNotReady), and the gateway reads either as "still in progress".
"""

from dataclasses import asdict, dataclass

from django.core.cache import cache

KEY_PREFIX = "google-operation:"
# Longer than any Compute operation of ours takes; a record past it is looked at no more.
RECORD_SECONDS = 6 * 60 * 60


@dataclass(frozen=True)
class PendingOperation:
    name: str  # Google's name of the operation
    region: str  # "" for a global operation
    operation: str  # the gateway's name of the change ("create_network", ...)


def _key(target: str) -> str:
    return KEY_PREFIX + target


def remember(target: str, pending: PendingOperation) -> None:
    """`target`: the changed resource's path (`projects/.../regions/.../kind/name`)."""
    cache.set(_key(target), asdict(pending), RECORD_SECONDS)


def recall(target: str) -> PendingOperation | None:
    found = cache.get(_key(target))
    return PendingOperation(**found) if isinstance(found, dict) else None


def forget(target: str) -> None:
    cache.delete(_key(target))
