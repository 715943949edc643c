"""One reconcile per key at a time: a lease claimed by a conditional UPDATE with an expiry.

The UPDATE ... WHERE expires <= now succeeds for exactly one claimant on SQLite and
PostgreSQL alike; a crashed holder's lease simply expires.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.utils import timezone

from privatelink.models import ReconcileLease

# Runs take seconds (they never wait for AWS); a crashed holder blocks others this long.
DEFAULT_SECONDS = 120


def claim(key: str, holder: str, seconds: int = DEFAULT_SECONDS) -> bool:
    now = timezone.now()
    ReconcileLease.objects.get_or_create(key=key, defaults={"expires": now})
    claimed = ReconcileLease.objects.filter(key=key, expires__lte=now).update(
        holder=holder, expires=now + timedelta(seconds=seconds)
    )
    return claimed == 1


def release(key: str, holder: str) -> None:
    ReconcileLease.objects.filter(key=key, holder=holder).update(holder="", expires=timezone.now())


@contextmanager
def held(key: str, seconds: int = DEFAULT_SECONDS) -> Iterator[bool]:
    """Yield whether the lease was claimed; release it on the way out if it was."""
    holder = uuid.uuid4().hex
    claimed = claim(key, holder, seconds)
    try:
        yield claimed
    finally:
        if claimed:
            release(key, holder)
