"""What the Azure and Google drivers record of a Project VPC's network on its row, and in
the audit log: the network active with its subnets, and the row gone with the network."""

from typing import Any

from console import audit_log
from console.models import ProjectVPC


def record_active(
    vpc: ProjectVPC, subnets: list[dict[str, str]], *, was_built: bool, made: dict[str, Any]
) -> ProjectVPC:
    """Save the network's `subnets` on the row, active; the audit event says what was
    `made` when the row was not active and built before."""
    became_active = vpc.state != ProjectVPC.State.ACTIVE or not was_built
    vpc.subnets = subnets
    vpc.state = ProjectVPC.State.ACTIVE
    vpc.last_error = ""
    vpc.save(update_fields=["subnets", "state", "last_error", "updated"])
    if became_active:
        audit_log.record("project_vpc.active", project=vpc.project, after=made)
    return vpc


def record_removed(vpc: ProjectVPC, removed: dict[str, Any]) -> None:
    """Delete the row once its network is removed; the audit event names what was."""
    audit_log.record(
        "project_vpc.deleted",
        project=vpc.project,
        after={"cloud": vpc.cloud, "cidr": vpc.cidr, **removed},
    )
    vpc.delete()
