"""Local fake AWS: moto's server plus the PrivateLink behaviour moto lacks.

Only the demo and the tests use it; the console reaches it through `AWS_ENDPOINT_URL` as it
would reach real AWS, and never imports it.
"""

from __future__ import annotations

from typing import Any

from fakeaws.timing import Delays, timeline


def set_delays(**delays: float) -> Delays:
    """Change delays in this process's fake AWS until its next reset (in-process use)."""
    values: dict[str, Any] = dict(delays)
    return timeline.set_delays(values)


__all__ = ["Delays", "set_delays"]
