"""`regions.get`: a region of a project with the quotas the fake enforces there, each as
Compute reports it (`{"metric", "limit", "usage"}`, numbers as floats), the usage counted
from the store."""

from __future__ import annotations

import zlib
from typing import Any

from fakegoogle.addresses import LINK_PREFIX
from fakegoogle.private_link import SERVICE_ATTACHMENT_METRIC, attachments_in
from fakegoogle.quotas import quotas


def region(project: str, name: str) -> dict[str, Any]:
    """The region's resource; every region exists, as every project does in the fake."""
    return {
        "kind": "compute#region",
        "id": str(zlib.crc32(name.encode())),  # the same at every read
        "name": name,
        "status": "UP",
        "selfLink": f"{LINK_PREFIX}projects/{project}/regions/{name}",
        "quotas": [
            {
                "metric": SERVICE_ATTACHMENT_METRIC,
                "limit": float(quotas.current.service_attachments),
                "usage": float(attachments_in(project, name)),
            }
        ],
    }
