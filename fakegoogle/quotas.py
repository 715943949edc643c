"""Compute Engine's limits that a PSC producer meets, as the fake enforces them.

The defaults are Google's default regional quotas; `FAKEGOOGLE_QUOTAS=name=value,...`
changes them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from fakeaws.named_numbers import Adjustable, NamedNumbers, non_negative

QUOTAS_ENV = "FAKEGOOGLE_QUOTAS"


@dataclass(frozen=True)
class Quotas(NamedNumbers):
    # Google's metric names, as its quota errors (and regions.get, for a regional one)
    # quote them.
    service_attachments: int = 100  # SERVICE_ATTACHMENTS, per project and region
    internal_forwarding_rules: int = 500  # INTERNAL_FORWARDING_RULES_PER_NETWORK

    noun = "quota"

    @classmethod
    def number(cls, name: str, value: Any) -> int:
        return non_negative(int, cls.noun, name, value, "a whole number")


def quotas_from_environment() -> Quotas:
    return Quotas.parse(os.environ.get(QUOTAS_ENV, ""))


quotas = Adjustable(quotas_from_environment())
