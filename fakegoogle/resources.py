"""What every Compute resource kind has in common: where a request points (its target),
links between resources, and the envelope of kind, id, name, selfLink and timestamps."""

from __future__ import annotations

import base64
import datetime
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fakegoogle.addresses import LINK_PREFIX
from fakegoogle.errors import GoogleError, invalid, not_found
from fakegoogle.store import Resource, new_id, store

# RFC 1035, as Compute names are.
NAME = re.compile(r"^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$")


@dataclass(frozen=True)
class Target:
    """The resource a request names."""

    project: str
    region: str  # "" for a global resource
    collection: str  # "networks", "serviceAttachments", ...
    name: str

    @property
    def scope(self) -> str:
        return f"projects/{self.project}/" + (f"regions/{self.region}" if self.region else "global")

    @property
    def path(self) -> str:
        return f"{self.scope}/{self.collection}/{self.name}"


@dataclass(frozen=True)
class Kind:
    """One resource kind: its collection and what insert, patch, read and delete do."""

    collection: str
    kind: str  # "compute#serviceAttachment"
    regional: bool
    # Validate an insert's body against the current state; the resource to store.
    build: Callable[[Target, dict[str, Any]], Resource]
    # Compute's JSON of a stored resource (computed fields filled in).
    render: Callable[[Resource], Resource]
    # Refuse a delete (GoogleError) or undo what the resource holds, before it goes.
    before_delete: Callable[[Resource], None]
    # Validate a patch's body and apply it to the stored resource; None: not patchable.
    patch: Callable[[Resource, dict[str, Any]], None] | None = None
    # What an insert does beside storing the resource (a consumer endpoint's connection).
    after_insert: Callable[[Resource], None] | None = None


def path_of(link: str) -> str:
    """A resource's path from any link to it: Google's full URL, or a relative one."""
    text = str(link)
    index = text.find("projects/")
    return text[index:] if index >= 0 else text


def link(path: str) -> str:
    return LINK_PREFIX + path


def region_link(project: str, region: str) -> str:
    return link(f"projects/{project}/regions/{region}")


def referenced(field: str, value: Any, collection: str, *, region: str = "") -> Resource:
    """The resource a field links to; it must exist (and be in `region`, when given)."""
    if not value:
        raise invalid(f"Invalid value for field '{field}': ''. A link is required.")
    path = path_of(str(value))
    parts = path.split("/")
    if len(parts) < 2 or parts[-2] != collection:
        raise invalid(f"Invalid value for field '{field}': '{value}'. Not a {collection} link.")
    found = store.get(path)
    if found is None:
        raise not_found(path)
    if region and found.get("_region", "") != region:
        raise invalid(
            f"Invalid value for field '{field}': '{value}'. It must be in region {region}."
        )
    return found


def envelope(target: Target, kind: str, body: dict[str, Any]) -> Resource:
    """A new resource's kind, id, name, links, description and creation time."""
    if not NAME.match(target.name):
        raise invalid(
            f"Invalid value for field 'resource.name': '{target.name}'. Must be a match of "
            "regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?|[1-9][0-9]{0,19})'"
        )
    resource: Resource = {
        "kind": kind,
        "id": new_id(),
        "creationTimestamp": datetime.datetime.now(datetime.UTC).isoformat(timespec="milliseconds"),
        "name": target.name,
        "description": str(body.get("description") or ""),
        "selfLink": link(target.path),
        "_path": target.path,
        "_project": target.project,
        "_region": target.region,
    }
    if target.region:
        resource["region"] = region_link(target.project, target.region)
    return resource


def fingerprint() -> str:
    """A fresh fingerprint: what an update must quote to write over this version."""
    return base64.b64encode(os.urandom(8)).decode()


def check_fingerprint(resource: Resource, body: dict[str, Any]) -> None:
    """Compute's optimistic locking: a patch writes only over the fingerprint it quotes."""
    given = body.get("fingerprint")
    if not given:
        raise invalid(
            "Required field 'resource.fingerprint' not specified: read the resource and "
            "send its fingerprint."
        )
    if given != resource.get("fingerprint"):
        raise GoogleError(
            412,
            "conditionNotMet",
            "Supplied fingerprint does not match current resource fingerprint.",
        )


def whole_number(field: str, value: Any, default: int) -> int:
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise invalid(f"Invalid value for field '{field}': '{value}'.") from None
