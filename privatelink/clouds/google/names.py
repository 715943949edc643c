"""Deterministic names of a PrivateLink's Google resources: a re-run after a crash finds
what an earlier run made by its name (and its marks say whose it is) instead of making
another.

The deployment's hash keeps two deployments sharing a project apart; Compute names are
RFC 1035: up to 63 lower case letters, digits and '-', starting with a letter.
"""

import hashlib

from django.conf import settings


def _prefix() -> str:
    return f"pl-{hashlib.sha256(settings.DEPLOYMENT_ID.encode()).hexdigest()[:6]}-"


def network_name(project_vpc_id: int) -> str:
    # "vpc" before the number: no PrivateLink id is read out of a network's name.
    return f"{_prefix()}vpc{project_vpc_id}"


def nodes_subnet_name(project_vpc_id: int) -> str:
    return f"{_prefix()}vpc{project_vpc_id}-nodes"


def nat_subnet_name(privatelink_id: int) -> str:
    """Each service attachment has its own PSC NAT subnet: Google lets none serve two."""
    return f"{_prefix()}{privatelink_id}-psc-nat"


def health_check_name(privatelink_id: int) -> str:
    return f"{_prefix()}{privatelink_id}-hc"


def backend_service_name(privatelink_id: int) -> str:
    return f"{_prefix()}{privatelink_id}-bes"


def endpoint_group_name(privatelink_id: int) -> str:
    return f"{_prefix()}{privatelink_id}-neg"


def forwarding_rule_name(privatelink_id: int) -> str:
    return f"{_prefix()}{privatelink_id}-ilb"


def service_attachment_name(privatelink_id: int) -> str:
    return f"{_prefix()}{privatelink_id}-psc"


def privatelink_id_of_name(name: str) -> int | None:
    """The PrivateLink id in the name of one of this deployment's resources, else None."""
    prefix = _prefix()
    pk = name.removeprefix(prefix).split("-")[0] if name.startswith(prefix) else ""
    return int(pk) if pk.isdigit() else None
