"""The real `azure-mgmt-network` client, pointed at the fake.

Two things of the SDK meet a local ARM: azure-core's bearer-token policy refuses plain
HTTP (so the fake speaks HTTPS and the client trusts its certificate with
`connection_verify`), and long-running operations poll every 30 s unless told otherwise
(so the client sets `polling_interval`). Any token will do: the credential here is a stub.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from azure.core.credentials import AccessToken
from azure.mgmt.network import NetworkManagementClient

TOKEN_LIFETIME = 3600


class StubCredential:
    """A TokenCredential that hands out a token the fake accepts and Azure would not."""

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        return AccessToken("fakeazure-token", int(time.time()) + TOKEN_LIFETIME)


def network_client(
    subscription_id: str,
    endpoint_url: str,
    certificate: Path | str,
    *,
    polling_interval: float = 1,
    **kwargs: Any,
) -> NetworkManagementClient:
    """A NetworkManagementClient of `subscription_id` that talks to the fake at endpoint_url.

    An operation over at its first poll is not waited for whatever the interval; one held by
    a delay is polled each `polling_interval` seconds (0 would poll without pause).
    """
    return NetworkManagementClient(
        StubCredential(),
        subscription_id,
        base_url=endpoint_url,
        connection_verify=str(certificate),
        polling_interval=polling_interval,
        **kwargs,
    )
