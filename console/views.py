"""Pages of the platform inventory: projects, services, the Service Overview shell."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from console.access import get_membership_for, get_service_for, projects_visible_to
from console.models import Service
from console.panels import overview_panels


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return redirect("project-list")


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "console/project_list.html", {"projects": projects_visible_to(request.user)}
    )


@login_required
def service_list(request: HttpRequest, project: str) -> HttpResponse:
    membership = get_membership_for(request.user, project)
    services = (
        Service.objects.filter(project=membership.project)
        .select_related("project_vpc")
        .order_by("name")
    )
    return render(
        request,
        "console/service_list.html",
        {
            "project": membership.project,
            "membership": membership,
            "services": services,
            "vpcs": membership.project.vpcs.all(),
        },
    )


@login_required
def service_overview(request: HttpRequest, project: str, service: str) -> HttpResponse:
    membership = get_membership_for(request.user, project)
    svc = get_service_for(request.user, project, service)
    return render(
        request,
        "console/service_overview.html",
        {
            "project": membership.project,
            "membership": membership,
            "service": svc,
            "nodes": svc.nodes.all(),
            "panels": overview_panels(),
        },
    )


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for the container: the database answers and the broker accepts a connection."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # any failure means unhealthy
        checks["database"] = f"error: {exc.__class__.__name__}"
    from console.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        checks["broker"] = "ok"
    except Exception as exc:
        checks["broker"] = f"error: {exc.__class__.__name__}"
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )
