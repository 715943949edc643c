"""Delays of the fake Azure's long-running operations.

Real ARM takes seconds to minutes to provision a load balancer or a private link service;
the demo shows `provisioningState: Updating` by replaying that with delays in seconds. With
zero delays (the default, and the tests) every operation is over at its first poll.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from fakeaws.named_numbers import Adjustable, NamedNumbers, non_negative

DELAYS_ENV = "FAKEAZURE_DELAYS"


@dataclass(frozen=True)
class Delays(NamedNumbers):
    """Seconds before an operation is over."""

    provisioning: float = 0.0  # a PUT: provisioningState Updating -> Succeeded
    deletion: float = 0.0  # a DELETE: Deleting -> gone
    api_call: float = 0.0  # how long every ARM call takes to answer

    noun = "delay"

    @classmethod
    def number(cls, name: str, value: Any) -> float:
        return non_negative(float, cls.noun, name, value, "a number of seconds")


def delays_from_environment() -> Delays:
    return Delays.parse(os.environ.get(DELAYS_ENV, ""))


delays = Adjustable(delays_from_environment())
