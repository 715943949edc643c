"""Delays of the fake AWS state transitions and the moments they are counted from.

Real AWS takes minutes to provision an NLB, to make an endpoint service available and to
pass target health checks; the demo shows these transitions by replaying them with delays
in seconds. With zero delays (the default, and the tests) every state is final at once.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, fields, replace
from typing import Any

DELAYS_ENV = "FAKEAWS_DELAYS"


@dataclass(frozen=True)
class Delays:
    """Seconds before a resource reaches its final state."""

    nlb: float = 0.0  # NLB provisioning -> active
    endpoint_service: float = 0.0  # endpoint service Pending -> Available
    health_check: float = 0.0  # one health-check interval; healthy after two
    api_call: float = 0.0  # how long every AWS API call takes to answer (real AWS: ~0.1-0.5 s)

    @classmethod
    def parse(cls, text: str) -> Delays:
        """Read `nlb=3,endpoint_service=2,health_check=2`; names left out stay 0."""
        values: dict[str, float] = {}
        for item in text.split(","):
            if not item.strip():
                continue
            name, sep, value = item.partition("=")
            values[name.strip()] = _seconds(name.strip(), value if sep else "")
        return cls.from_mapping(values)

    @classmethod
    def from_mapping(cls, values: dict[str, Any]) -> Delays:
        return cls().updated(values)

    def updated(self, values: dict[str, Any]) -> Delays:
        """These delays with the named ones changed."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(
                f"unknown delay {', '.join(unknown)}; known delays: {', '.join(sorted(known))}"
            )
        return replace(self, **{name: _seconds(name, value) for name, value in values.items()})

    def as_dict(self) -> dict[str, float]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _seconds(name: str, value: Any) -> float:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"delay {name} must be a number of seconds, not {value!r}") from None
    if seconds < 0:
        raise ValueError(f"delay {name} must not be negative, not {value!r}")
    return seconds


def delays_from_environment() -> Delays:
    return Delays.parse(os.environ.get(DELAYS_ENV, ""))


class Timeline:
    """When things happened (monotonic seconds), keyed by resource, plus the current delays.

    One per serving process, beside moto's backends; `reset()` runs with moto's reset.
    """

    def __init__(self, delays: Delays | None = None) -> None:
        self._lock = threading.Lock()
        self._start_delays = delays or Delays()
        self.delays = self._start_delays
        self._moments: dict[str, float] = {}
        # Seconds skipped by `advance()`: lets a test see a 300 s drain end without waiting.
        self._skipped = 0.0

    def now(self) -> float:
        return time.monotonic() + self._skipped

    def advance(self, seconds: float) -> float:
        """Move this clock forward; returns the total skipped since the last reset."""
        with self._lock:
            self._skipped += _seconds("advance", seconds)
            return self._skipped

    def configure(self, delays: Delays) -> None:
        """Set the delays that apply now and after every reset."""
        with self._lock:
            self._start_delays = delays
            self.delays = delays

    def set_delays(self, values: dict[str, Any]) -> Delays:
        """Change some delays until the next reset."""
        with self._lock:
            self.delays = self.delays.updated(values)
            return self.delays

    def reset(self) -> None:
        with self._lock:
            self._moments.clear()
            self._skipped = 0.0
            self.delays = self._start_delays

    def mark(self, key: str, *, keep: bool = False) -> None:
        """Record that `key` happened now; with keep, an earlier record stays."""
        with self._lock:
            if keep and key in self._moments:
                return
            self._moments[key] = self.now()

    def forget(self, key: str) -> None:
        with self._lock:
            self._moments.pop(key, None)

    def moment(self, key: str) -> float | None:
        return self._moments.get(key)

    def seconds_since(self, moment: float) -> float:
        return self.now() - moment

    def elapsed(self, key: str) -> float | None:
        """Seconds since `key` happened, or None when it never did."""
        moment = self._moments.get(key)
        return None if moment is None else self.now() - moment

    def has_waited(self, key: str, seconds: float) -> bool:
        """True once `seconds` have passed since `key`; things we never saw are settled."""
        elapsed = self.elapsed(key)
        return elapsed is None or elapsed >= seconds


timeline = Timeline(delays_from_environment())
