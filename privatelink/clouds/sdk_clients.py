"""How the Azure and Google gateways keep their SDKs' clients. An SDK's client holds a
requests session, not meant to be shared between threads, and the worker runs reconciles
in threads: each thread keeps its own, made again when the settings it was made from
change (a test pointing elsewhere). What threads share is the credential, one per mode
(the real cloud or its fake), which caches or refreshes its token for all of them."""

import threading
from collections.abc import Callable, Hashable


class PerThread[T]:
    """One value for each thread, made on first use and again when its key changes."""

    def __init__(self) -> None:
        self._local = threading.local()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        kept: tuple[Hashable, T] | None = getattr(self._local, "kept", None)
        if kept is not None and kept[0] == key:
            return kept[1]
        made = make()
        self._local.kept = (key, made)
        return made


class Shared[T]:
    """One value for each key, made once for every thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._made: dict[Hashable, T] = {}

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        with self._lock:
            if key not in self._made:
                self._made[key] = make()
            return self._made[key]
