"""Delays of the fake AWS state transitions and the moments they are counted from.

Real AWS takes minutes to provision an NLB, to make an endpoint service available and to
pass target health checks; the demo shows these transitions by replaying them with delays
in seconds. With zero delays (the default, and the tests) every state is final at once.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from typing import Any

from fakeaws.named_numbers import Adjustable, NamedNumbers, non_negative

DELAYS_ENV = "FAKEAWS_DELAYS"
# What happened, and to what: ("lb-created", arn), ("target-registered", arn, id).
type Event = tuple[str, ...]


@dataclass(frozen=True)
class Delays(NamedNumbers):
    """Seconds before a resource reaches its final state."""

    nlb: float = 0.0  # NLB provisioning -> active
    endpoint_service: float = 0.0  # endpoint service Pending -> Available
    health_check: float = 0.0  # one health-check interval; healthy after two
    api_call: float = 0.0  # how long every AWS API call takes to answer (real AWS: ~0.1-0.5 s)

    noun = "delay"

    @classmethod
    def number(cls, name: str, value: Any) -> float:
        return non_negative(float, cls.noun, name, value, "a number of seconds")


def delays_from_environment() -> Delays:
    return Delays.parse(os.environ.get(DELAYS_ENV, ""))


class Timeline:
    """When things happened (monotonic seconds), keyed by event, plus the current delays.

    One per serving process, beside moto's backends; `reset()` runs with moto's reset.
    """

    def __init__(self, delays: Delays | None = None) -> None:
        self._lock = threading.Lock()
        self._delays = Adjustable(delays or Delays())
        self._moments: dict[Event, float] = {}
        # Seconds skipped by `advance()`: lets a test see a 300 s drain end without waiting.
        self._skipped = 0.0

    def now(self) -> float:
        return time.monotonic() + self._skipped

    def advance(self, seconds: float) -> float:
        """Move this clock forward; returns the total skipped since the last reset."""
        with self._lock:
            self._skipped += Delays.number("advance", seconds)
            return self._skipped

    @property
    def delays(self) -> Delays:
        return self._delays.current

    def set_delays(self, values: dict[str, Any]) -> Delays:
        """Change some delays until the next reset."""
        return self._delays.set(values)

    def reset(self) -> None:
        with self._lock:
            self._moments.clear()
            self._skipped = 0.0
        self._delays.reset()

    def mark(self, key: Event, *, keep: bool = False) -> None:
        """Record that `key` happened now; with keep, an earlier record stays."""
        with self._lock:
            if keep and key in self._moments:
                return
            self._moments[key] = self.now()

    def forget(self, key: Event) -> None:
        with self._lock:
            self._moments.pop(key, None)

    def moment(self, key: Event) -> float | None:
        return self._moments.get(key)

    def seconds_since(self, moment: float) -> float:
        return self.now() - moment

    def elapsed(self, key: Event) -> float | None:
        """Seconds since `key` happened, or None when it never did."""
        moment = self._moments.get(key)
        return None if moment is None else self.now() - moment

    def has_waited(self, key: Event, seconds: float) -> bool:
        """True once `seconds` have passed since `key`; things we never saw are settled."""
        elapsed = self.elapsed(key)
        return elapsed is None or elapsed >= seconds


timeline = Timeline(delays_from_environment())
