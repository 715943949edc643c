"""Deterministic names, owners and idempotency tokens of the AWS resources we create.

A re-run after a crash finds what an earlier run created by these names and tags instead
of creating it twice. NLB and target-group names stay within AWS's 32 characters.
"""

import hashlib

from django.conf import settings


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


def dns_owner(privatelink_id: int) -> str:
    """The value of the ownership TXT record beside each host the PrivateLink publishes (as
    external-dns marks its records): another PrivateLink, or another deployment sharing the
    zone, leaves a host so marked alone."""
    deployment = settings.DEPLOYMENT_ID
    return f"heritage=privatelink-console,deployment={deployment},owner={owner(privatelink_id)}"
