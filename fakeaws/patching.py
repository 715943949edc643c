"""Replace attributes of moto's classes and modules at start-up, once, keeping the originals.

moto's files stay untouched: the serving process swaps methods on moto's classes before it
answers its first request.
"""

from __future__ import annotations

from typing import Any

_originals: dict[tuple[object, str], Any] = {}


def replace(owner: object, name: str, value: Any) -> None:
    """Set `owner.name` to `value`; the first original is kept for `original()`."""
    key = (owner, name)
    if key not in _originals:
        _originals[key] = getattr(owner, name, None)
    setattr(owner, name, value)


def original(owner: object, name: str) -> Any:
    """moto's own attribute as it was before `replace()`."""
    return _originals[(owner, name)]
