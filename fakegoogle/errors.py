"""Google's error answer: an HTTP status and
`{"error": {"code": status, "message": ..., "errors": [{"message", "domain", "reason"}]}}`."""

from __future__ import annotations

from typing import Any


class GoogleError(Exception):
    def __init__(self, status: int, reason: str, message: str, domain: str = "global") -> None:
        super().__init__(f"{reason}: {message}")
        self.status = status
        self.reason = reason
        self.message = message
        self.domain = domain

    def body(self) -> dict[str, Any]:
        return {
            "error": {
                "code": self.status,
                "message": self.message,
                "errors": [{"message": self.message, "domain": self.domain, "reason": self.reason}],
            }
        }


def not_found(path: str) -> GoogleError:
    return GoogleError(404, "notFound", f"The resource '{path}' was not found")


def invalid(message: str) -> GoogleError:
    return GoogleError(400, "invalid", message)


def in_use(path: str, user: str) -> GoogleError:
    return GoogleError(
        400,
        "resourceInUseByAnotherResource",
        f"The resource '{path}' is already being used by '{user}'",
    )


def not_ready(path: str) -> GoogleError:
    return GoogleError(400, "resourceNotReady", f"The resource '{path}' is not ready")


def quota_exceeded(metric: str, limit: int, region: str = "") -> GoogleError:
    """Compute's refusal, quoting the quota's metric and its limit as a float; `region`
    for a regional quota, none for a per-network one (Google says "globally")."""
    where = f"in region {region}" if region else "globally"
    return GoogleError(
        403,
        "quotaExceeded",
        f"Quota '{metric}' exceeded.  Limit: {float(limit)} {where}.",
        domain="usageLimits",
    )
