"""Register every extension with moto in this process, once, and tie it to moto's reset."""

from __future__ import annotations

import threading

from moto.moto_api._internal.models import MotoAPIBackend

from fakeaws import (
    connections,
    endpoint_services,
    fast_paths,
    load_balancers,
    security_groups,
    zones,
)
from fakeaws.patching import original, replace
from fakeaws.quotas import quotas
from fakeaws.timing import timeline

_lock = threading.Lock()
_installed = False


def reset_with_extensions(self: MotoAPIBackend) -> None:
    """moto's reset (`POST /moto-api/reset`), then the extensions' clock, delays and quotas."""
    original(MotoAPIBackend, "reset")(self)
    timeline.reset()
    quotas.reset()


def install() -> None:
    """Patch moto's classes; safe to call any number of times."""
    global _installed
    with _lock:
        if _installed:
            return
        load_balancers.install()
        endpoint_services.install()
        connections.install()
        zones.install()
        security_groups.install()
        fast_paths.install()
        replace(MotoAPIBackend, "reset", reset_with_extensions)
        _installed = True
