"""A shared rate budget for AWS calls that allow about one call per second per account,
so that a burst of changes queues behind the budget instead of failing on throttling."""

from django.db import IntegrityError
from django.utils import timezone

from privatelink.models import RateBudget

# AWS's budget for endpoint-service mutations and accept/reject, per account and region.
BURST = 10
PER_SECOND = 1.0


def reserve(key: str, burst: int = BURST, per_second: float = PER_SECOND) -> float:
    """Take one token; return how many seconds to wait before the call may be made."""
    for _ in range(20):
        now = timezone.now()
        row = RateBudget.objects.filter(key=key).first()
        if row is None:
            try:
                RateBudget.objects.create(key=key, tokens=burst - 1, updated=now)
            except IntegrityError:
                continue  # created by another worker meanwhile: take from it
            return 0.0
        elapsed = max(0.0, (now - row.updated).total_seconds())
        tokens = min(float(burst), row.tokens + elapsed * per_second)
        # Going below zero reserves a future slot: the caller waits for it.
        wait = 0.0 if tokens >= 1 else (1 - tokens) / per_second
        taken = RateBudget.objects.filter(pk=row.pk, tokens=row.tokens, updated=row.updated).update(
            tokens=tokens - 1, updated=now
        )
        if taken:
            return wait
    return burst / per_second
