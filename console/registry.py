"""An ordered set of things other apps add when Django starts (panels, checks, sources).

The console reads these registries without importing the apps that fill them, which keeps
the dependency one-way (privatelink imports console, never the reverse). Adding the same
thing twice keeps one, so a `ready()` that runs again changes nothing.
"""

from collections.abc import Iterator


class Registry[T]:
    def __init__(self) -> None:
        self._items: list[T] = []

    def add(self, item: T) -> T:
        if item not in self._items:
            self._items.append(item)
        return item

    def __iter__(self) -> Iterator[T]:
        # A copy, so that a caller may register while it iterates.
        return iter(list(self._items))
