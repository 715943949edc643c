"""One reconcile per key at a time: a lease claimed by a conditional UPDATE with an expiry.

The UPDATE ... WHERE expires <= now succeeds for exactly one claimant on SQLite and
PostgreSQL alike. A run keeps its lease alive while it works (`Lease.keep_alive`, called
before every AWS call), so the expiry can be short: a holder that crashes, even with
SIGKILL, blocks others for at most SECONDS.
"""

import os
import socket
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from privatelink.models import ReconcileLease

# How long a claim or a renewal lasts: what a crashed holder costs the others.
SECONDS = 20
# A claim is renewed when this much of it has passed, so a live run never loses it between
# two AWS calls unless one call alone takes longer than the rest of the lease.
RENEW_AFTER_SECONDS = 5


class LeaseLost(Exception):
    """The lease ran out while the run worked and another run holds it now: stop here."""


def holder_name() -> str:
    """Who holds a lease, as an operator can find it: host, process id and a unique tail."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def claim(key: str, holder: str, seconds: int = SECONDS) -> bool:
    now = timezone.now()

    def take() -> bool:
        taken = ReconcileLease.objects.filter(key=key, expires__lte=now).update(
            holder=holder, expires=now + timedelta(seconds=seconds)
        )
        return taken == 1

    # The key's row exists after its first claim: one UPDATE claims it. Only when that
    # finds nothing is the row made (if missing) and the same UPDATE tried once more.
    if take():
        return True
    _, created = ReconcileLease.objects.get_or_create(key=key, defaults={"expires": now})
    return created and take()


def renew(key: str, holder: str, seconds: int = SECONDS) -> bool:
    """Extend the holder's lease; False if it is no longer theirs."""
    renewed = ReconcileLease.objects.filter(key=key, holder=holder).update(
        expires=timezone.now() + timedelta(seconds=seconds)
    )
    return renewed == 1


def release(key: str, holder: str) -> None:
    ReconcileLease.objects.filter(key=key, holder=holder).update(holder="", expires=timezone.now())


def expires(key: str) -> datetime | None:
    return ReconcileLease.objects.filter(key=key).values_list("expires", flat=True).first()


@dataclass
class Lease:
    """One attempt at a lease: claimed or not, and kept alive by the run that holds it."""

    key: str
    holder: str
    seconds: int
    claimed: bool
    renewed_at: float = field(default_factory=time.monotonic)

    def keep_alive(self) -> None:
        """Renew the lease when a good part of it has passed; raise LeaseLost if it is gone."""
        if not self.claimed or time.monotonic() - self.renewed_at < RENEW_AFTER_SECONDS:
            return
        if not renew(self.key, self.holder, self.seconds):
            self.claimed = False
            raise LeaseLost(f"The lease {self.key} ran out and is held by another run.")
        self.renewed_at = time.monotonic()

    def seconds_left(self) -> float:
        """How long until the current holder's lease runs out (0 if it has)."""
        until = expires(self.key)
        if until is None:
            return 0.0
        return max(0.0, (until - timezone.now()).total_seconds())


@contextmanager
def held(key: str, seconds: int = SECONDS) -> Iterator[Lease]:
    """Try to claim the lease; release it on the way out if it was claimed."""
    attempt = Lease(key, holder_name(), seconds, claimed=False)
    attempt.claimed = claim(key, attempt.holder, seconds)
    attempt.renewed_at = time.monotonic()
    try:
        yield attempt
    finally:
        if attempt.claimed:
            release(key, attempt.holder)
