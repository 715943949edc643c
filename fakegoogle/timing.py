"""Delays of the fake Google's operations.

Real Compute Engine takes seconds to create or delete a load balancer's parts or a service
attachment; the demo shows operations RUNNING by replaying that with delays in seconds.
With zero delays (the default, and the tests) every operation is DONE in its first answer.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from fakeaws.named_numbers import Adjustable, NamedNumbers, non_negative

DELAYS_ENV = "FAKEGOOGLE_DELAYS"


@dataclass(frozen=True)
class Delays(NamedNumbers):
    """Seconds before an operation is over."""

    provisioning: float = 0.0  # an insert or a patch: RUNNING -> DONE
    deletion: float = 0.0  # a delete: RUNNING -> DONE, the resource gone
    api_call: float = 0.0  # how long every Compute call takes to answer

    noun = "delay"

    @classmethod
    def number(cls, name: str, value: Any) -> float:
        return non_negative(float, cls.noun, name, value, "a number of seconds")


def delays_from_environment() -> Delays:
    return Delays.parse(os.environ.get(DELAYS_ENV, ""))


delays = Adjustable(delays_from_environment())
