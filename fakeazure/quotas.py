"""Azure's networking limits that a PrivateLink producer meets, as the fake enforces them.

The defaults are Azure's published limits; `FAKEAZURE_QUOTAS=name=value,...` changes them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from fakeaws.named_numbers import Adjustable, NamedNumbers, non_negative

QUOTAS_ENV = "FAKEAZURE_QUOTAS"


@dataclass(frozen=True)
class Quotas(NamedNumbers):
    load_balancing_rules_per_load_balancer: int = 1500  # Standard load balancer
    nat_ip_configurations_per_private_link_service: int = 8

    noun = "quota"

    @classmethod
    def number(cls, name: str, value: Any) -> int:
        return non_negative(int, cls.noun, name, value, "a whole number")


def quotas_from_environment() -> Quotas:
    return Quotas.parse(os.environ.get(QUOTAS_ENV, ""))


quotas = Adjustable(quotas_from_environment())
