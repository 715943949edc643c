"""AWS's Elastic Load Balancing quotas for Network Load Balancers, as the fake enforces them.

The defaults are AWS's; `FAKEAWS_QUOTAS=load_balancers_per_region=3,...` lowers or raises
them (a demo with two small accounts, a test of a full account). Counts are per account and
region, as moto keeps one backend per account and region.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, fields, replace
from typing import Any

QUOTAS_ENV = "FAKEAWS_QUOTAS"


@dataclass(frozen=True)
class Quotas:
    load_balancers_per_region: int = 50  # adjustable in AWS
    listeners_per_load_balancer: int = 50  # fixed in AWS
    target_groups_per_region: int = 3000  # adjustable in AWS
    targets_per_load_balancer: int = 3000

    @classmethod
    def parse(cls, text: str) -> Quotas:
        """Read `load_balancers_per_region=3,...`; names left out keep AWS's default."""
        values: dict[str, Any] = {}
        for item in text.split(","):
            if not item.strip():
                continue
            name, _, value = item.partition("=")
            values[name.strip()] = value.strip()
        return cls().updated(values)

    def updated(self, values: dict[str, Any]) -> Quotas:
        known = {f.name for f in fields(self)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(
                f"unknown quota {', '.join(unknown)}; known quotas: {', '.join(sorted(known))}"
            )
        return replace(self, **{name: _count(name, value) for name, value in values.items()})

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def account_limits(self) -> list[dict[str, str]]:
        """The quotas as `DescribeAccountLimits` names them (its values are strings)."""
        return [
            {"Name": "network-load-balancers", "Max": str(self.load_balancers_per_region)},
            {
                "Name": "listeners-per-network-load-balancer",
                "Max": str(self.listeners_per_load_balancer),
            },
            {"Name": "target-groups", "Max": str(self.target_groups_per_region)},
            {
                "Name": "targets-per-network-load-balancer",
                "Max": str(self.targets_per_load_balancer),
            },
        ]


def _count(name: str, value: Any) -> int:
    try:
        count = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"quota {name} must be a whole number, not {value!r}") from None
    if count < 0:
        raise ValueError(f"quota {name} must not be negative, not {value!r}")
    return count


def quotas_from_environment() -> Quotas:
    return Quotas.parse(os.environ.get(QUOTAS_ENV, ""))


class QuotaSettings:
    """The quotas in force in this serving process; a reset restores the start-up ones."""

    def __init__(self, quotas: Quotas) -> None:
        self._lock = threading.Lock()
        self._start = quotas
        self.current = quotas

    def set(self, values: dict[str, Any]) -> Quotas:
        """Change some quotas until the next reset."""
        with self._lock:
            self.current = self.current.updated(values)
            return self.current

    def reset(self) -> None:
        with self._lock:
            self.current = self._start


quotas = QuotaSettings(quotas_from_environment())
