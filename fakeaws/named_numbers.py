"""Frozen sets of named, non-negative numbers, read from `name=value,...` text.

The fake's quotas and delays are both such sets: set at start-up from an environment
variable, changed by tests through the fake's control endpoint, each name checked.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import Any, ClassVar, Self


@dataclass(frozen=True)
class NamedNumbers:
    # What one entry is called in error messages ("quota", "delay").
    noun: ClassVar[str]

    @classmethod
    def number(cls, name: str, value: Any) -> float:
        raise NotImplementedError

    @classmethod
    def parse(cls, text: str) -> Self:
        """Read `name=value,...`; names left out keep their defaults."""
        values: dict[str, Any] = {}
        for item in text.split(","):
            if item.strip():
                name, sep, value = item.partition("=")
                values[name.strip()] = value.strip() if sep else ""
        return cls().updated(values)

    def updated(self, values: dict[str, Any]) -> Self:
        """These numbers with the named ones changed."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(
                f"unknown {self.noun} {', '.join(unknown)}; "
                f"known {self.noun}s: {', '.join(sorted(known))}"
            )
        return replace(self, **{name: self.number(name, v) for name, v in values.items()})

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def non_negative[N: (int, float)](
    convert: Callable[[Any], N], noun: str, name: str, value: Any, expected: str
) -> N:
    """`value` converted, or a ValueError that names the entry and what it must be."""
    try:
        number = convert(value)
    except (TypeError, ValueError):
        raise ValueError(f"{noun} {name} must be {expected}, not {value!r}") from None
    if number < 0:
        raise ValueError(f"{noun} {name} must not be negative, not {value!r}")
    return number


class Adjustable[T: NamedNumbers]:
    """The numbers in force in this serving process: tests change some through the fake's
    control endpoint, and the reset between tests restores the start-up ones."""

    def __init__(self, start: T) -> None:
        self._lock = threading.Lock()
        self._start = start
        self.current = start

    def set(self, values: dict[str, Any]) -> T:
        """Change some numbers until the next reset."""
        with self._lock:
            self.current = self.current.updated(values)
            return self.current

    def reset(self) -> None:
        with self._lock:
            self.current = self._start
