"""Pages of the platform inventory: projects, services, the Service Overview shell."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from console import actions, audit_log, catalog, freshness
from console import answer_marks as marks
from console.access import (
    get_membership_for,
    get_service_and_membership_for,
    projects_visible_to,
)
from console.credentials import uses_client_certificates
from console.errors import ActionError
from console.forms import ProjectVPCForm, ServiceForm
from console.http import AuthenticatedHttpRequest
from console.models import AuditEvent, Membership, Service
from console.overview_users import service_users, with_service_users
from console.panels import overview_panels, overview_relations


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    return redirect("project-list")


@login_required
@require_GET
def project_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request, "console/project_list.html", {"projects": projects_visible_to(request.user)}
    )


@login_required
@require_GET
def service_list(request: AuthenticatedHttpRequest, project: str) -> HttpResponse:
    membership = get_membership_for(request.user, project)
    services = (
        Service.objects.filter(project=membership.project)
        .select_related("project_vpc")
        .order_by("name")
    )
    template = "console/service_list.html"
    if request.htmx and not request.htmx.boosted:
        # The page polls its services and VPCs, so that changes made elsewhere show.
        template += "#inventory"
    response = render(
        request,
        template,
        {
            "project": membership.project,
            "membership": membership,
            "services": services,
            "vpcs": membership.project.vpcs.all(),
        },
    )
    # The fragment and the page share the URL: a cache must not serve one for the other.
    patch_vary_headers(response, ["HX-Request"])
    return response


def _overview_service(
    request: AuthenticatedHttpRequest, project: str, service: str, write: bool = False
) -> tuple[Service, Membership]:
    # The relations the Overview panels name come in the access query itself.
    return get_service_and_membership_for(
        request.user,
        project,
        service,
        write,
        services=with_service_users(Service.objects.select_related(*overview_relations())),
    )


def _overview_page(
    request: AuthenticatedHttpRequest,
    svc: Service,
    membership: Membership,
    confirm_error: str = "",
    status: int = 200,
    shared: freshness.Shared | None = None,
) -> HttpResponse:
    return render(
        request,
        "console/service_overview.html",
        {
            "project": membership.project,
            "membership": membership,
            "service": svc,
            "nodes": list(svc.nodes.all()),
            "service_users": service_users(svc),
            "client_certificates": uses_client_certificates(svc),
            "panels": overview_panels(),
            # Under which the panels are rendered once for every viewer of the role
            # (`freshness.shared_panel`); None renders them for this request alone.
            "shared_panels": shared,
            "plans": [
                (plan, f"{plan} ({_nodes(svc.type.node_count(plan))})") for plan in catalog.PLANS
            ],
            "confirm_error": confirm_error,
            "confirm_name": request.POST.get("confirm_name", "") if confirm_error else "",
            **_marks_if_shared(request),
        },
        status=status,
    )


def _marks_if_shared(request: HttpRequest) -> dict[str, object]:
    """A page shared by role is rendered with marks where it names its viewer and where
    its forms carry the CSRF token; `freshness.share` puts this request's own there."""
    if not freshness.shares_by_role(request):
        return {}
    return {"user": marks.MarkedViewer(), "csrf_token": marks.CSRF_MARK}


def _nodes(count: int) -> str:
    return ngettext("%(count)d node", "%(count)d nodes", count) % {"count": count}


@freshness.answers_shared_by_role("route")
@login_required
@require_GET
def service_overview(request: AuthenticatedHttpRequest, project: str, service: str) -> HttpResponse:
    """The page is opened often and reloaded by hand: an unchanged one answers 304, and the
    version this viewer was shown last comes from the cache (`freshness.from_cache`); a
    version is rendered once for every viewer of a role (`freshness.share`)."""
    tokens = freshness.tokens_before_reading(request, project, service)
    svc, membership = _overview_service(request, project, service)
    tag = freshness.validators_after_check(request, tokens, project, svc.pk, membership.role)
    if tag is not None and (unchanged := freshness.not_modified(request, tag)) is not None:
        return unchanged
    shared = tokens.shared(tag, svc.pk, membership.role)
    response = _overview_page(request, svc, membership, shared=shared)
    freshness.share(request, response, tag, shared, viewer_name=request.user.email)
    freshness.remember_viewer_name(request, tokens, request.user.email)
    freshness.mark(response, tag)
    freshness.keep(request, response, tag, tokens.access)
    return response


@login_required
@require_POST
def service_plan(request: AuthenticatedHttpRequest, project: str, service: str) -> HttpResponse:
    """Change the plan from the Overview page: nodes are added or removed to match it."""
    svc, _ = get_service_and_membership_for(request.user, project, service, write=True)
    try:
        changed = actions.change_plan(
            svc,
            request.POST.get("plan", ""),
            actor=request.user,
            request=request,
        )
    except ActionError as exc:
        messages.error(request, f"The plan was not changed: {exc.message}")
    else:
        messages.success(
            request, f"{changed.name} is on {changed.plan}: {_nodes(changed.nodes.count())}."
        )
    return redirect("service-overview", project, service)


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


def _add_action_error(form: forms.Form, error: ActionError) -> None:
    """Show an action's error next to the field it names, else above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


@login_required
@require_http_methods(["GET", "POST"])
def create_project_vpc(request: AuthenticatedHttpRequest, project: str) -> HttpResponse:
    membership = get_membership_for(request.user, project, write=True)
    form = ProjectVPCForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.create_project_vpc(
                membership.project,
                form.cleaned_data["cloud"],
                form.cleaned_data["cidr"],
                actor=request.user,
                request=request,
            )
        except ActionError as exc:
            _add_action_error(form, exc)
        else:
            messages.success(request, "The Project VPC is being created.")
            return redirect("service-list", project)
    return render(
        request,
        "console/project_vpc_create.html",
        {"project": membership.project, "membership": membership, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def create_service(request: AuthenticatedHttpRequest, project: str) -> HttpResponse:
    membership = get_membership_for(request.user, project, write=True)
    form = ServiceForm(request.POST or None, project=membership.project)
    if request.method == "POST" and form.is_valid():
        try:
            created = actions.create_service(
                membership.project,
                name=form.cleaned_data["name"].strip(),
                service_type=form.cleaned_data["service_type"],
                plan=form.cleaned_data["plan"],
                project_vpc=form.cleaned_data["project_vpc"],
                config=form.cleaned_data["user_config"],
                actor=request.user,
                request=request,
            )
        except ActionError as exc:
            if (exc.field or "").startswith("user_config.privatelink_access"):
                form.add_error("privatelink_access", exc.message)
            else:
                _add_action_error(form, exc)
        else:
            return redirect("service-overview", project, created.name)
    return render(
        request,
        "console/service_create.html",
        {"project": membership.project, "membership": membership, "form": form},
        status=400 if form.errors else 200,
    )


ACTIVITY_PAGE_SIZE = 25


@login_required
@require_GET
def service_activity(request: AuthenticatedHttpRequest, project: str, service: str) -> HttpResponse:
    """Audit and system events of one service, newest first (index auditevent_service_time)."""
    svc, membership = get_service_and_membership_for(request.user, project, service)
    events = AuditEvent.objects.filter(service=svc).order_by("-time", "-id")
    kind = request.GET.get("kind", "")
    if kind in AuditEvent.Kind.values:
        events = events.filter(kind=kind)
    page = Paginator(events, ACTIVITY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "console/service_activity.html",
        {
            "project": membership.project,
            "membership": membership,
            "service": svc,
            "page": page,
            "rows": [(event, audit_log.event_changes(event)) for event in page.object_list],
            "kind": kind,
            "kinds": [(choice.value, choice.plural) for choice in AuditEvent.Kind],
        },
    )


@login_required
@require_POST
def service_terminate(
    request: AuthenticatedHttpRequest, project: str, service: str
) -> HttpResponse:
    """ "Delete service" on the Overview page, confirmed by typing the service's name."""
    svc, membership = _overview_service(request, project, service, write=True)
    if request.POST.get("confirm_name", "").strip() != svc.name:
        # The page again, the error at the field and what was typed kept, so that the
        # person sees what differs from the name.
        error = f"The service was not deleted: type {svc.name} exactly to confirm."
        return _overview_page(request, svc, membership, confirm_error=error, status=400)
    try:
        actions.terminate_service(
            svc,
            actor=request.user,
            request=request,
        )
    except ActionError as exc:
        messages.error(request, f"The service was not deleted: {exc.message}")
        return redirect("service-overview", project, service)
    messages.success(
        request,
        f"{svc.name} is being deleted: its PrivateLink is torn down first, then it disappears.",
    )
    return redirect("service-list", project)
