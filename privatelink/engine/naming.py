"""Deterministic names, owners and idempotency tokens of the AWS resources we create.

A re-run after a crash finds what an earlier run created by these names and tags instead
of creating it twice. NLB and target-group names stay within AWS's 32 characters.
"""

import hashlib
from collections.abc import Callable

from django.conf import settings

from privatelink import hosts
from privatelink.models import PrivateLink


def _deployment_hash() -> str:
    return hashlib.sha256(settings.DEPLOYMENT_ID.encode()).hexdigest()[:6]


def owner(privatelink_id: int) -> str:
    return f"privatelink/{privatelink_id}"


def privatelink_id_of(owner_tag: str) -> int | None:
    kind, _, pk = owner_tag.partition("/")
    return int(pk) if kind == "privatelink" and pk.isdigit() else None


def project_vpc_owner(project_vpc_id: int) -> str:
    return f"project-vpc/{project_vpc_id}"


def load_balancer_name(privatelink_id: int) -> str:
    return f"pl-{_deployment_hash()}-{privatelink_id}"


def target_group_name(privatelink_id: int, port: int) -> str:
    return f"pl-{_deployment_hash()}-{privatelink_id}-{port}"


def privatelink_id_of_name(name: str) -> int | None:
    """The PrivateLink id in the name of one of this deployment's NLBs or target groups."""
    prefix = f"pl-{_deployment_hash()}-"
    pk = name.removeprefix(prefix).split("-")[0] if name.startswith(prefix) else ""
    return int(pk) if pk.isdigit() else None


def client_token(privatelink_id: int) -> str:
    return f"privatelink-{settings.DEPLOYMENT_ID}-{privatelink_id}"[:64]


def is_record_of(privatelink: PrivateLink) -> Callable[[str], bool]:
    """Whether a DNS name is one of this PrivateLink's: privatelink-N-<service>-<project>."""
    return hosts.is_host_of(privatelink.service)
