"""The fleet at a glance for operators: PrivateLinks per state, how many are not carried
out yet and for how long, which process holds which reconcile lease, and what each
platform account holds.

Read from the database only, in seven queries, so it answers however busy AWS is.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, F, Min, Q
from django.utils import timezone

from privatelink.models import PrivateLink, ReconcileLease
from privatelink.placement import AccountUsage, GoogleRegionUsage, account_usage, google_usage

SERVICE_KEY_PREFIX = "service:"

# Not carried out yet: still being created or deleted, or a change not yet reconciled.
UNCONVERGED = ~Q(state=PrivateLink.State.ACTIVE) | Q(observed_generation__lt=F("generation"))


@dataclass(frozen=True)
class StateCount:
    state: str
    total: int
    unconverged: int
    failed: int
    # Seconds since the desired state of the oldest unconverged link changed; None if none.
    oldest_unconverged_seconds: float | None


@dataclass(frozen=True)
class HeldLease:
    key: str
    holder: str
    expires_in_seconds: float
    service: str  # project/service for a service's lease, else ""


@dataclass(frozen=True)
class FleetStatus:
    at: datetime
    states: list[StateCount]
    leases: list[HeldLease]
    # The pool of platform accounts: where the NLBs live and how much room is left.
    accounts: list[AccountUsage] = field(default_factory=list)
    # The platform's Google project per region: its service attachments and their quota.
    google_regions: list[GoogleRegionUsage] = field(default_factory=list)

    @property
    def total(self) -> StateCount:
        ages = [s.oldest_unconverged_seconds for s in self.states]
        known = [age for age in ages if age is not None]
        return StateCount(
            "all",
            sum(s.total for s in self.states),
            sum(s.unconverged for s in self.states),
            sum(s.failed for s in self.states),
            max(known) if known else None,
        )


def fleet_status() -> FleetStatus:
    now = timezone.now()
    counted = {
        row["state"]: row
        for row in PrivateLink.objects.values("state")
        .order_by()
        .annotate(
            total=Count("pk"),
            unconverged=Count("pk", filter=UNCONVERGED),
            failed=Count("pk", filter=PrivateLink.GENERATION_FAILED),
            oldest=Min("desired_changed", filter=UNCONVERGED),
        )
    }
    states = []
    for state in PrivateLink.State.values:
        row: dict[str, Any] = dict(counted.get(state, {}))
        oldest = row.get("oldest")
        states.append(
            StateCount(
                state,
                row.get("total", 0),
                row.get("unconverged", 0),
                row.get("failed", 0),
                None if oldest is None else max(0.0, (now - oldest).total_seconds()),
            )
        )
    return FleetStatus(now, states, _held_leases(now), account_usage(), google_usage())


def _held_leases(now: datetime) -> list[HeldLease]:
    rows = list(
        ReconcileLease.objects.filter(expires__gt=now).exclude(holder="").order_by("expires")
    )
    service_ids = {_service_id(row.key) for row in rows}
    names = {
        link["service_id"]: f"{link['service__project__name']}/{link['service__name']}"
        for link in PrivateLink.objects.filter(service_id__in=service_ids - {0}).values(
            "service_id", "service__name", "service__project__name"
        )
    }
    return [
        HeldLease(
            row.key,
            row.holder,
            (row.expires - now).total_seconds(),
            names.get(_service_id(row.key), ""),
        )
        for row in rows
    ]


def _service_id(key: str) -> int:
    """The service id of a service's lease key; 0 (no service) for other keys."""
    tail = key.removeprefix(SERVICE_KEY_PREFIX)
    return int(tail) if key.startswith(SERVICE_KEY_PREFIX) and tail.isdigit() else 0
