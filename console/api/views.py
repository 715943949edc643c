"""/v1/ endpoints of the platform inventory: projects, services and service types."""

import uuid

from django.db import transaction
from django.http import Http404, JsonResponse

from console import actions, catalog, project_ca
from console.access import (
    get_membership_for,
    get_project_for,
    get_service_and_membership_for,
    get_service_for,
    projects_visible_to,
)
from console.api.body import json_object
from console.api.endpoint import endpoint, handles
from console.api.parsers import (
    ABSENT,
    password_reset_request,
    project_vpc_request,
    service_request,
    service_update_request,
    service_user_create_request,
)
from console.api.serializers import (
    cloud_json,
    project_json,
    project_vpc_json,
    service_json,
    service_type_json,
    user_json,
)
from console.credentials import credentials_of, may_see_passwords
from console.errors import InvalidInput, echo
from console.http import AuthenticatedHttpRequest
from console.models import Project, ProjectVPC, Service


@handles("GET")
def project_list(request: AuthenticatedHttpRequest) -> JsonResponse:
    projects = projects_visible_to(request.user)
    # The platform's list also says how the caller belongs to each project; avn reads only
    # the projects.
    return JsonResponse({"projects": [project_json(p) for p in projects], "project_membership": {}})


@handles("GET")
def project_detail(request: AuthenticatedHttpRequest, project: str) -> JsonResponse:
    return JsonResponse({"project": project_json(get_project_for(request.user, project))})


def service_list(request: AuthenticatedHttpRequest, project: str) -> JsonResponse:
    membership = get_membership_for(request.user, project)
    services = (
        Service.objects.filter(project=membership.project)
        .select_related("project", "project_vpc")
        .prefetch_related("nodes", "users")
        .order_by("name")
    )
    shown = may_see_passwords(membership)
    return JsonResponse({"services": [service_json(s, with_passwords=shown) for s in services]})


def _vpc_of(project: Project, vpc_id: object) -> ProjectVPC | None:
    """The project's VPC with this UUID; None for anything else, malformed or another
    project's (which is not revealed: it reads as unknown)."""
    if not isinstance(vpc_id, str):
        return None
    try:
        public_id = uuid.UUID(vpc_id)
    except ValueError:
        return None
    # uuid.UUID also reads braces, "urn:uuid:" and hex without hyphens; the API prints
    # and takes the canonical form only.
    if str(public_id) != vpc_id.lower():
        return None
    return ProjectVPC.objects.filter(project=project, public_id=public_id).first()


def service_create(request: AuthenticatedHttpRequest, project: str) -> JsonResponse:
    found = get_project_for(request.user, project, write=True)
    wanted = service_request(json_object(request))
    vpc: ProjectVPC | None = None
    if wanted.project_vpc_id is ABSENT:
        # As on the platform: a service goes into the project's VPC of its cloud, if any.
        vpc = ProjectVPC.objects.filter(
            project=found, cloud=wanted.cloud or catalog.CLOUDS[0]
        ).first()
    elif wanted.project_vpc_id is not None:
        vpc = _vpc_of(found, wanted.project_vpc_id)
        if vpc is None:
            raise InvalidInput(
                f"Project {found.name} has no Project VPC {echo(str(wanted.project_vpc_id))}; "
                "give one of the ids avn vpc list prints.",
                field="project_vpc_id",
            )
    created = actions.create_service(
        found,
        name=wanted.name,
        service_type=wanted.service_type,
        plan=wanted.plan,
        project_vpc=vpc,
        cloud=wanted.cloud,
        config=wanted.user_config,
        actor=request.user,
        request=request,
    )
    # Only writers create services, and writers may see passwords.
    return JsonResponse({"service": service_json(created, with_passwords=True)})


service_collection = endpoint(GET=service_list, POST=service_create)


def project_vpc_list(request: AuthenticatedHttpRequest, project: str) -> JsonResponse:
    found = get_project_for(request.user, project)
    vpcs = ProjectVPC.objects.filter(project=found).order_by("cloud")
    return JsonResponse({"vpcs": [project_vpc_json(v, listed=True) for v in vpcs]})


def project_vpc_create(request: AuthenticatedHttpRequest, project: str) -> JsonResponse:
    found = get_project_for(request.user, project, write=True)
    wanted = project_vpc_request(json_object(request))
    vpc = actions.create_project_vpc(
        found, wanted.cloud, wanted.cidr, actor=request.user, request=request
    )
    return JsonResponse(project_vpc_json(vpc))


project_vpcs = endpoint(GET=project_vpc_list, POST=project_vpc_create)


def _project_vpc_for(
    request: AuthenticatedHttpRequest, project: str, vpc_id: str, write: bool
) -> ProjectVPC:
    found = get_project_for(request.user, project, write=write)
    vpc = _vpc_of(found, vpc_id)
    if vpc is None:
        raise Http404(
            f"Project {found.name} has no Project VPC {echo(str(vpc_id))}; "
            "see avn vpc list for the ids."
        )
    return vpc


def project_vpc_get(
    request: AuthenticatedHttpRequest, project: str, project_vpc_id: str
) -> JsonResponse:
    return JsonResponse(project_vpc_json(_project_vpc_for(request, project, project_vpc_id, False)))


def project_vpc_delete(
    request: AuthenticatedHttpRequest, project: str, project_vpc_id: str
) -> JsonResponse:
    vpc = _project_vpc_for(request, project, project_vpc_id, True)
    deleted = actions.delete_project_vpc(vpc, actor=request.user, request=request)
    return JsonResponse(project_vpc_json(deleted))


project_vpc_detail = endpoint(GET=project_vpc_get, DELETE=project_vpc_delete)


def service_get(request: AuthenticatedHttpRequest, project: str, service: str) -> JsonResponse:
    found, membership = get_service_and_membership_for(request.user, project, service)
    shown = may_see_passwords(membership)
    return JsonResponse({"service": service_json(found, with_passwords=shown)})


def service_update(request: AuthenticatedHttpRequest, project: str, service: str) -> JsonResponse:
    found = get_service_for(request.user, project, service, write=True)
    wanted = service_update_request(json_object(request), found)
    actor = request.user
    # One transaction: a refused user config change leaves the plan unchanged too.
    with transaction.atomic():
        updated = found
        if wanted.plan is not None:
            updated = actions.change_plan(found, wanted.plan, actor=actor, request=request)
        if wanted.user_config:
            updated = actions.update_user_config(
                updated, wanted.user_config, actor=actor, request=request
            )
    return JsonResponse({"service": service_json(updated, with_passwords=True)})


def service_terminate(
    request: AuthenticatedHttpRequest, project: str, service: str
) -> JsonResponse:
    """`avn service terminate`: the service shows DELETING until its PrivateLink is gone
    from AWS, then its row goes."""
    found = get_service_for(request.user, project, service, write=True)
    actions.terminate_service(found, actor=request.user, request=request)
    return JsonResponse({"message": f"Service {found.name} is being terminated."})


service_detail = endpoint(GET=service_get, PUT=service_update, DELETE=service_terminate)


def _service_type(name: str) -> catalog.ServiceType:
    if name not in catalog.SERVICE_TYPES:
        raise Http404(
            f"Unknown service type {echo(repr(name))}; "
            f"known types: {', '.join(catalog.SERVICE_TYPES)}."
        )
    return catalog.get_service_type(name)


@handles("GET")
def service_type_detail(
    request: AuthenticatedHttpRequest, project: str, service_type: str
) -> JsonResponse:
    get_project_for(request.user, project)
    return JsonResponse(service_type_json(_service_type(service_type), with_plans=False))


def _service_types() -> JsonResponse:
    return JsonResponse(
        {
            "service_types": {
                name: service_type_json(kind) for name, kind in catalog.SERVICE_TYPES.items()
            }
        }
    )


@handles("GET")
def service_type_list(request: AuthenticatedHttpRequest, project: str) -> JsonResponse:
    """`avn service types` and `avn service plans` with a project."""
    get_project_for(request.user, project)
    return _service_types()


@handles("GET")
def public_service_type_list(request: AuthenticatedHttpRequest) -> JsonResponse:
    """`avn service types` and `avn service plans` without a project: the same catalog."""
    return _service_types()


def _clouds() -> JsonResponse:
    return JsonResponse({"clouds": [cloud_json(c) for c in catalog.CLOUD_CATALOG.values()]})


@handles("GET")
def cloud_list(request: AuthenticatedHttpRequest) -> JsonResponse:
    """`avn cloud list`: the clouds this console offers."""
    return _clouds()


@handles("GET")
def project_cloud_list(request: AuthenticatedHttpRequest, project: str) -> JsonResponse:
    """`avn cloud list --project P`: every project may use every cloud offered."""
    get_project_for(request.user, project)
    return _clouds()


def _user_json(service: Service, username: str, with_passwords: bool) -> JsonResponse:
    user = next(
        (
            u
            for u in credentials_of(service, with_passwords=with_passwords)
            if u.username == username
        ),
        None,
    )
    if user is None:
        raise Http404(f"Service {service.name} has no user {username}.")
    return JsonResponse({"user": user_json(user)})


def service_user_get(
    request: AuthenticatedHttpRequest, project: str, service: str, username: str
) -> JsonResponse:
    found, membership = get_service_and_membership_for(request.user, project, service)
    return _user_json(found, username, may_see_passwords(membership))


def service_user_update(
    request: AuthenticatedHttpRequest, project: str, service: str, username: str
) -> JsonResponse:
    """`avn service user-password-reset`: `{"operation": "reset-credentials"}`, with an
    optional `new_password`."""
    found = get_service_for(request.user, project, service, write=True)
    new_password = password_reset_request(json_object(request))
    actions.reset_password(found, username, new_password, actor=request.user, request=request)
    # As the platform: the whole service, whose users and URIs carry the new password.
    return JsonResponse({"service": service_json(found, with_passwords=True)})


def service_user_create(
    request: AuthenticatedHttpRequest, project: str, service: str
) -> JsonResponse:
    """`avn service user-create`: a user with its own password (and, on Kafka, certificate)."""
    found = get_service_for(request.user, project, service, write=True)
    username = service_user_create_request(json_object(request))
    actions.create_service_user(found, username, actor=request.user, request=request)
    return _user_json(found, username, True)


def service_user_delete(
    request: AuthenticatedHttpRequest, project: str, service: str, username: str
) -> JsonResponse:
    """`avn service user-delete`; the primary user cannot be deleted."""
    found = get_service_for(request.user, project, service, write=True)
    actions.delete_service_user(found, username, actor=request.user, request=request)
    return JsonResponse({"message": f"Deleted user {username} of {found.name}."})


service_users = endpoint(POST=service_user_create)
service_user = endpoint(GET=service_user_get, PUT=service_user_update, DELETE=service_user_delete)


@handles("GET")
def project_ca_get(request: AuthenticatedHttpRequest, project: str) -> JsonResponse:
    """`avn project ca-get`: the CA every Kafka client of the project trusts (public, so any
    member may read it)."""
    found = get_project_for(request.user, project)
    return JsonResponse({"certificate": project_ca.ca_of(found).certificate})
