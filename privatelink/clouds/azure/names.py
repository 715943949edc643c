"""Deterministic names of a PrivateLink's Azure resources: a re-run after a crash finds what
an earlier run made by its name (and its tags say whose it is) instead of making another.

The deployment's hash keeps two deployments sharing a resource group apart; Azure allows
80 characters, letters, digits, '-', '_' and '.', ending in a letter, digit or '_'.
"""

import hashlib

from django.conf import settings


def _prefix() -> str:
    return f"pl-{hashlib.sha256(settings.DEPLOYMENT_ID.encode()).hexdigest()[:6]}-"


def load_balancer_name(privatelink_id: int) -> str:
    return f"{_prefix()}{privatelink_id}-lb"


def private_link_service_name(privatelink_id: int) -> str:
    return f"{_prefix()}{privatelink_id}-pls"


def privatelink_id_of_name(name: str) -> int | None:
    """The PrivateLink id in the name of one of this deployment's resources, else None."""
    prefix = _prefix()
    pk = name.removeprefix(prefix).split("-")[0] if name.startswith(prefix) else ""
    return int(pk) if pk.isdigit() else None


def virtual_network_name(project_vpc_id: int) -> str:
    # "vpc" before the number: no PrivateLink id is read out of a network's name.
    return f"{_prefix()}vpc{project_vpc_id}-vnet"
