"""moto's costs per request that AWS does not have, cut to what the answer needs: the same
answers, errors and delays, in less of the fake's one core (a burst of 200 links waits for
nothing else but the fake's answers).

- A resource's EC2 tags are read from its own entry: moto scanned every tag of the account
  with a regular expression per entry, so a describe filtered by tag over N endpoint
  services cost N x (all tags): 54 ms a call at 200 services, 4 ms now (round trip).
- moto's server lists its own package directory (about 85 `stat` calls) to route each
  request, and lists the methods of the response class (`inspect.getmembers` over a few
  hundred) to find the action: both never change while the server runs, so each is done once.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from moto import backends
from moto.core import responses
from moto.ec2.models.core import TaggedEC2Resource
from moto.ec2.utils import EC2_PREFIX_TO_RESOURCE, get_prefix

from fakeaws.patching import original, replace


def get_tags(self: TaggedEC2Resource) -> list[dict[str, str]]:
    """moto's `describe_tags(filters={"resource-id": [self.id]})`, whose pattern matches this
    id alone, as one lookup: the same entries, in the same order."""
    resource_id = self.id  # type: ignore[attr-defined]
    if not resource_id:
        return []
    tags = self.ec2_backend.tags.get(resource_id, {})  # type: ignore[attr-defined]
    kind = EC2_PREFIX_TO_RESOURCE.get(get_prefix(resource_id), "")
    return [
        {"resource_id": resource_id, "key": key, "value": value, "resource_type": kind}
        for key, value in tags.items()
    ]


@functools.cache
def _moto_modules() -> tuple[str, ...]:
    return tuple(original(backends, "list_of_moto_modules")())


def list_of_moto_modules() -> Iterable[str]:
    return _moto_modules()


@functools.cache
def _method_names(clazz: type) -> frozenset[str]:
    names: list[str] = original(responses, "method_names_from_class")(clazz)
    return frozenset(names)


def method_names_from_class(clazz: object) -> frozenset[str]:
    # Each response class is complete (and patched, see fakeaws.install) before the first
    # request: its methods are listed once.
    return _method_names(clazz if isinstance(clazz, type) else type(clazz))


def install() -> None:
    replace(TaggedEC2Resource, "get_tags", get_tags)
    replace(backends, "list_of_moto_modules", list_of_moto_modules)
    replace(responses, "method_names_from_class", method_names_from_class)
