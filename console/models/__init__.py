"""The platform inventory and accounts: who may see what, and what runs where."""

from console.models.accounts import Membership, Project, Role, User
from console.models.audit import AuditEvent
from console.models.host_labels import HostLabel
from console.models.inventory import ProjectVPC, Service, ServiceNode
from console.models.project_ca import ProjectCA
from console.models.service_users import ServiceUser
from console.models.tokens import ApiToken

__all__ = [
    "ApiToken",
    "AuditEvent",
    "HostLabel",
    "Membership",
    "Project",
    "ProjectCA",
    "ProjectVPC",
    "Role",
    "Service",
    "ServiceNode",
    "ServiceUser",
    "User",
]
