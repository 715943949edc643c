"""What every Microsoft.Network resource kind has in common: where a request points (its
target) and the envelope of id, name, type, location, tags and etag."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fakeazure.errors import ArmError
from fakeazure.store import Resource

PROVIDER = "Microsoft.Network"


@dataclass(frozen=True)
class Target:
    """The resource a request names, with ids spelled as the request spelled them."""

    subscription: str
    resource_group: str
    id: str
    name: str
    parent_id: str  # the parent resource's id; the resource group's for a top-level one

    @property
    def group_id(self) -> str:
        return f"/subscriptions/{self.subscription}/resourceGroups/{self.resource_group}"


@dataclass(frozen=True)
class Kind:
    """One resource kind: its path under the provider and what PUT, GET and DELETE do."""

    path: tuple[str, ...]  # ("virtualNetworks",) or ("virtualNetworks", "subnets")
    type: str
    # Validate a PUT body against the current state and build the resource to store.
    build: Callable[[Target, dict[str, Any], Resource | None], Resource]
    # ARM's JSON of a stored resource (children and connections filled in).
    render: Callable[[Resource], Resource]
    # Refuse a DELETE (ArmError) or undo what the resource holds, before it goes.
    before_delete: Callable[[Resource], None]
    # ARM answers PUT with 201/200 + Azure-AsyncOperation; some PUTs answer at once.
    long_running_put: bool = True
    # What a PUT writes beside the resource itself (a virtual network's subnets).
    after_put: Callable[[Resource], None] | None = None


def envelope(
    target: Target, resource_type: str, body: dict[str, Any], existing: Resource | None
) -> Resource:
    """A top-level resource's id, name, type, location, tags and a fresh etag."""
    location = body.get("location") or (existing or {}).get("location")
    if not location:
        raise ArmError(
            400, "LocationRequired", "The location property is required for this definition."
        )
    if existing and existing["location"].lower() != str(location).lower():
        raise ArmError(
            400,
            "InvalidResourceLocation",
            f"The resource '{target.name}' already exists in location '{existing['location']}'. "
            "A resource with the same name cannot be created in another location.",
        )
    return {
        "id": target.id,
        "name": target.name,
        "type": resource_type,
        "location": str(location).lower().replace(" ", ""),
        "tags": dict(body.get("tags") or {}),
        "etag": new_etag(),
        "properties": {},
    }


def new_etag() -> str:
    return f'W/"{uuid.uuid4()}"'


def properties(body: dict[str, Any]) -> dict[str, Any]:
    value = body.get("properties") or {}
    if not isinstance(value, dict):
        raise ArmError(400, "InvalidRequestFormat", "properties must be a JSON object.")
    return value


def reference(item: dict[str, Any] | None, field: str) -> str:
    """The `id` of a `{"id": ...}` reference, or a refusal naming the field."""
    if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
        raise ArmError(400, "InvalidRequestFormat", f"{field} must be an object with an id.")
    return str(item["id"])


def named_items(value: Any, field: str) -> list[dict[str, Any]]:
    """A list of sub-resources, each with a unique name."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ArmError(400, "InvalidRequestFormat", f"{field} must be a list of objects.")
    seen: set[str] = set()
    for item in value:
        name = item.get("name")
        if not isinstance(name, str) or not name:
            raise ArmError(400, "InvalidRequestFormat", f"Every item of {field} needs a name.")
        if name.lower() in seen:
            raise ArmError(400, "DuplicateResourceName", f"{field} has two items named '{name}'.")
        seen.add(name.lower())
    return value


def resource_group_of(resource_id: str) -> str:
    """`/subscriptions/S/resourceGroups/G` of any resource id."""
    parts = resource_id.split("/")
    return "/".join(parts[:5])


def subscription_of(resource_id: str) -> str:
    return resource_id.split("/")[2]
