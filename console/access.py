"""The one access check: every view, fragment and API endpoint fetches objects through here.

Outsiders get 404 (a project's existence is not revealed); read-only members get 403
when they try to change something.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from console.models import Membership, Project, Service, User


def get_membership_for(
    user: User | AnonymousUser, project_name: str, write: bool = False
) -> Membership:
    """The user's membership of the named project; 404 for outsiders, 403 for read-only writes."""
    if not user.is_authenticated:
        raise Http404("No such project")
    membership = (
        Membership.objects.select_related("project")
        .filter(user=user, project__name=project_name)
        .first()
    )
    if membership is None:
        raise Http404("No such project")
    if write and not membership.can_write:
        raise PermissionDenied("Your role in this project is read-only.")
    return membership


def get_project_for(user: User | AnonymousUser, project_name: str, write: bool = False) -> Project:
    return get_membership_for(user, project_name, write).project


def get_service_for(
    user: User | AnonymousUser, project_name: str, service_name: str, write: bool = False
) -> Service:
    """The named service of a project the user belongs to, with its project and VPC loaded."""
    project = get_project_for(user, project_name, write)
    service = (
        Service.objects.select_related("project", "project_vpc")
        .filter(project=project, name=service_name)
        .first()
    )
    if service is None:
        raise Http404("No such service")
    return service


def projects_visible_to(user: User | AnonymousUser) -> list[Project]:
    if not user.is_authenticated:
        return []
    return list(Project.objects.filter(memberships__user=user).order_by("name"))
