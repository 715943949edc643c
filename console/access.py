"""The one access check: every view, fragment and API endpoint fetches objects through here.

Outsiders get 404 (a project's existence is not revealed); read-only members get 403
when they try to change something.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import F, QuerySet
from django.http import Http404

from console import changes
from console.models import Membership, Project, Service, User


def _check_write(membership: Membership, write: bool) -> None:
    if write and not membership.can_write:
        raise PermissionDenied("Your role in this project is read-only.")


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
    _check_write(membership, write)
    return membership


def get_project_for(user: User | AnonymousUser, project_name: str, write: bool = False) -> Project:
    return get_membership_for(user, project_name, write).project


def get_service_and_membership_for(
    user: User | AnonymousUser,
    project_name: str,
    service_name: str,
    write: bool = False,
    services: QuerySet[Service] | None = None,
) -> tuple[Service, Membership]:
    """The named service (project and VPC loaded) and the user's membership, in one query.

    Fragments poll every two seconds, so the check costs one query, not one per object.
    `services` lets a caller load more in that same query (`select_related`, `annotate`).
    """
    if not user.is_authenticated:
        raise Http404("No such project")
    # A join on the membership (one per user and project), not subqueries: the ORM builds
    # this query on every poll, and a join costs a fraction of the Python time to compile.
    found = (
        (Service.objects.all() if services is None else services)
        .select_related("project", "project_vpc")
        .filter(project__name=project_name, name=service_name, project__memberships__user=user)
        .annotate(
            viewer_membership_id=F("project__memberships__id"),
            viewer_role=F("project__memberships__role"),
        )
        .order_by()  # at most one row: sorting it is wasted work
    )
    service = next(iter(found[:1]), None)
    # An outsider learns nothing, not even whether the project or service exists.
    if service is None or service.viewer_membership_id is None:
        raise Http404("No such service")
    membership = Membership(
        pk=service.viewer_membership_id,
        user=user,
        project=service.project,
        role=service.viewer_role,
    )
    _check_write(membership, write)
    # Polls find the service's change token by its id (console.changes).
    changes.remember_service_id(project_name, service_name, service.pk)
    return service, membership


def get_service_for(
    user: User | AnonymousUser, project_name: str, service_name: str, write: bool = False
) -> Service:
    """The named service of a project the user belongs to, with its project and VPC loaded."""
    return get_service_and_membership_for(user, project_name, service_name, write)[0]


def projects_visible_to(user: User | AnonymousUser) -> list[Project]:
    if not user.is_authenticated:
        return []
    return list(Project.objects.filter(memberships__user=user).order_by("name"))
