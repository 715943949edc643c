"""/v1/ endpoints of the platform inventory: projects, services and service types."""

from django.http import Http404, HttpRequest, JsonResponse

from console import actions, catalog
from console.access import get_project_for, get_service_for, projects_visible_to
from console.api.body import json_object
from console.api.endpoint import acting_user, endpoint, handles
from console.api.parsers import user_config_change
from console.api.serializers import project_json, service_json, service_type_json
from console.errors import echo
from console.models import Service


@handles("GET")
def project_list(request: HttpRequest) -> JsonResponse:
    projects = projects_visible_to(request.user)
    return JsonResponse({"projects": [project_json(p) for p in projects]})


@handles("GET")
def project_detail(request: HttpRequest, project: str) -> JsonResponse:
    return JsonResponse({"project": project_json(get_project_for(request.user, project))})


@handles("GET")
def service_list(request: HttpRequest, project: str) -> JsonResponse:
    found = get_project_for(request.user, project)
    services = (
        Service.objects.filter(project=found)
        .select_related("project", "project_vpc")
        .prefetch_related("nodes")
        .order_by("name")
    )
    return JsonResponse({"services": [service_json(s) for s in services]})


def service_get(request: HttpRequest, project: str, service: str) -> JsonResponse:
    return JsonResponse({"service": service_json(get_service_for(request.user, project, service))})


def service_update(request: HttpRequest, project: str, service: str) -> JsonResponse:
    found = get_service_for(request.user, project, service, write=True)
    change = user_config_change(json_object(request), found)
    updated = actions.update_user_config(found, change, actor=acting_user(request), request=request)
    return JsonResponse({"service": service_json(updated)})


service_detail = endpoint(GET=service_get, PUT=service_update)


def _service_type(name: str) -> catalog.ServiceType:
    if name not in catalog.SERVICE_TYPES:
        raise Http404(
            f"Unknown service type {echo(repr(name))}; "
            f"known types: {', '.join(catalog.SERVICE_TYPES)}."
        )
    return catalog.get_service_type(name)


@handles("GET")
def service_type_detail(request: HttpRequest, project: str, service_type: str) -> JsonResponse:
    get_project_for(request.user, project)
    return JsonResponse(service_type_json(_service_type(service_type)))


@handles("GET")
def service_type_list(request: HttpRequest, project: str) -> JsonResponse:
    get_project_for(request.user, project)
    return JsonResponse(
        {
            "service_types": {
                name: service_type_json(kind) for name, kind in catalog.SERVICE_TYPES.items()
            }
        }
    )
