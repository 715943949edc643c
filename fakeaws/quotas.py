"""AWS's Elastic Load Balancing quotas for Network Load Balancers, as the fake enforces them.

The defaults are AWS's; `FAKEAWS_QUOTAS=load_balancers_per_region=3,...` lowers or raises
them (a demo with two small accounts, a test of a full account). Counts are per account and
region, as moto keeps one backend per account and region.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from fakeaws.named_numbers import Adjustable, NamedNumbers, non_negative

QUOTAS_ENV = "FAKEAWS_QUOTAS"


@dataclass(frozen=True)
class Quotas(NamedNumbers):
    load_balancers_per_region: int = 50  # adjustable in AWS
    listeners_per_load_balancer: int = 50  # fixed in AWS
    target_groups_per_region: int = 3000  # adjustable in AWS
    targets_per_load_balancer: int = 3000

    noun = "quota"

    @classmethod
    def number(cls, name: str, value: Any) -> int:
        return non_negative(int, cls.noun, name, value, "a whole number")

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


def quotas_from_environment() -> Quotas:
    return Quotas.parse(os.environ.get(QUOTAS_ENV, ""))


# The quotas in force in this serving process.
quotas = Adjustable(quotas_from_environment())
