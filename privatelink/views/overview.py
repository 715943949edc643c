"""The PrivateLink panels of the Service Overview page: Connection information with its
access-route switch, and the privatelink_access part of Advanced configuration."""

from collections.abc import Sized
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from console.catalog import Component, ComponentPort
from console.credentials import masked_primary, uses_client_certificates
from console.errors import ActionError
from console.http import AuthenticatedHttpRequest
from console.models import Membership, Service
from privatelink import actions
from privatelink.engine import planner
from privatelink.forms import ComponentAccessForm
from privatelink.models import Listener, PrivateLink, PrivateLinkConnection
from privatelink.routes import Route, live_connections, privatelink_routes
from privatelink.views import rendering

TEMPLATE = "privatelink/overview.html"
DYNAMIC = "dynamic"
ACCESS_CHANGED = "privatelink-access-changed"
# Component statuses that change without the user: the panel polls while one is shown.
UNSETTLED_ACCESS = {"pending", "deleting"}


@dataclass(frozen=True)
class Endpoint:
    """One line of Connection information: where a component answers on the chosen route
    (Kafka: once per authentication method, each on its own port)."""

    component_port: ComponentPort
    host: str
    port: int
    uri: str
    route: Route | None = None

    @property
    def component(self) -> Component:
        return self.component_port.component

    @property
    def name(self) -> str:
        return self.component_port.name

    @property
    def label(self) -> str:
        return self.component_port.label

    @property
    def pending(self) -> bool:
        return self.route is not None and self.route.health not in Listener.SETTLED_HEALTH


@dataclass(frozen=True)
class ComponentAccess:
    component: Component
    enabled: bool
    # "off", "no-privatelink" (switched on, but there is no PrivateLink), "deleting" (the
    # PrivateLink is being deleted), "waiting" (no active connection), "pending" (listeners
    # not healthy), "healthy", "unhealthy"
    status: str


def _dynamic_endpoints(service: Service, userinfo: str) -> list[Endpoint]:
    host = service.dynamic_host
    return [
        Endpoint(p, host, p.dynamic_port, c.uri(host, p.dynamic_port, userinfo))
        for c in service.type.components
        for p in service.ports_of(c)
    ]


def _route_choices(routes: list[Route]) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for route in routes:
        seen.setdefault(
            route.privatelink_connection_id,
            f"PrivateLink {route.connection_number} ({route.privatelink_connection_id})",
        )
    return [(DYNAMIC, "Dynamic (public or VPC peering)"), *seen.items()]


def connection_info_context(
    service: Service,
    membership: Membership,
    route_choice: str,
    privatelink: PrivateLink | None,
    routes: list[Route],
) -> dict[str, Any]:
    choices = _route_choices(routes)
    chosen = route_choice if route_choice in dict(choices) else DYNAMIC
    # The same user on every route; the page masks the password (it has its own reveal).
    user = masked_primary(service)
    userinfo = user.userinfo
    if chosen == DYNAMIC:
        endpoints = _dynamic_endpoints(service, userinfo)
    else:
        endpoints = [
            Endpoint(
                component.port_for(r.kafka_authentication_method),
                r.host,
                r.port,
                component.uri(r.host, r.port, userinfo),
                r,
            )
            for r in routes
            if r.privatelink_connection_id == chosen
            and (component := service.type.component(r.component)) is not None
        ]
    pending = any(e.pending for e in endpoints)
    transitional = privatelink is not None and (
        privatelink.state != PrivateLink.State.ACTIVE or not privatelink.converged
    )
    return {
        **rendering.base_context(service, membership),
        "privatelink": privatelink,
        "route_choices": choices,
        "route": chosen,
        "endpoints": endpoints,
        "connectivity_pending": pending,
        "connection_info_settled": not pending and not transitional,
        "service_user": user,
        "client_certificates": uses_client_certificates(service),
    }


def _component_access(
    service: Service, privatelink: PrivateLink | None, routes: list[Route], just_saved: bool
) -> list[ComponentAccess]:
    access = service.privatelink_access()
    # Right after a save the reconcile may not have been queued yet (it is, on commit), so
    # the link can still look converged: treat a fresh save as not carried out.
    converged = privatelink is None or (privatelink.converged and not just_saved)
    rows = []
    for component in service.type.privatelink_components:
        healths = {r.health for r in routes if r.component == component.name}
        if not access[component.name]:
            status = "off"
        elif privatelink is None:
            # The switch outlives a deleted PrivateLink, and works again with a new one.
            status = "no-privatelink"
        elif privatelink.state == PrivateLink.State.DELETING:
            status = "deleting"
        elif not converged or any(h not in Listener.SETTLED_HEALTH for h in healths):
            status = "pending"
        elif not healths:
            status = "waiting"
        elif Listener.Health.worst(healths) == Listener.Health.HEALTHY:
            status = "healthy"
        else:
            status = "unhealthy"
        rows.append(ComponentAccess(component, access[component.name], status))
    return rows


@dataclass(frozen=True)
class Counts:
    """What the listener budget is computed from, when the caller has read it already."""

    nodes: int
    live_connections: int


def access_context(
    service: Service,
    membership: Membership,
    privatelink: PrivateLink | None,
    routes: list[Route],
    form: ComponentAccessForm | None = None,
    saved: bool = False,
    counts: Counts | None = None,
) -> dict[str, Any]:
    components = _component_access(service, privatelink, routes, saved)
    form = form or ComponentAccessForm(service=service)
    used, limit = _listener_budget(service, privatelink, counts)
    return {
        "listeners_used": used,
        "listeners_limit": limit,
        **rendering.base_context(service, membership),
        "privatelink": privatelink,
        "access_form": form,
        "access_rows": [(row, form[row.component.name]) for row in components],
        "method_fields": form.method_fields(),
        "access_saved": saved,
        "access_settled": not any(row.status in UNSETTLED_ACCESS for row in components),
    }


def _listener_budget(
    service: Service, privatelink: PrivateLink | None, known: Counts | None
) -> tuple[int, int]:
    """(listeners the current configuration takes, the NLB's limit): from the counts the
    caller read, else one query for the node and live-connection counts."""
    if privatelink is None:
        return 0, planner.MAX_LISTENERS_PER_NLB
    if known is not None:
        return planner.listener_budget(service, known.nodes, known.live_connections)
    counts = Service.objects.filter(pk=service.pk).aggregate(
        nodes=Count("nodes", distinct=True),
        connections=Count(
            "privatelink__connections",
            filter=Q(privatelink__connections__state__in=PrivateLinkConnection.LIVE),
            distinct=True,
        ),
    )
    return planner.listener_budget(service, counts["nodes"], counts["connections"])


def overview_context(
    service: Service, membership: Membership, route_choice: str, nodes: Sized
) -> dict[str, Any]:
    """Both panels' context for the Overview page: two queries, whatever the size (the
    PrivateLink comes with the page's access query, see `PrivateLinkConfig.ready`; `nodes`
    are the ones the page has listed already)."""
    privatelink = rendering.privatelink_of(service)
    live = live_connections(service) if privatelink else []
    routes = privatelink_routes(service, live) if live else []
    context = connection_info_context(service, membership, route_choice, privatelink, routes)
    counts = Counts(nodes=len(nodes), live_connections=len(live))
    context.update(access_context(service, membership, privatelink, routes, counts=counts))
    return context


@rendering.polled_fragment("route")
def connection_info(request: AuthenticatedHttpRequest, poll: rendering.Poll) -> HttpResponse:
    svc, privatelink = poll.service, poll.privatelink
    routes = privatelink_routes(svc) if privatelink else []
    context = connection_info_context(
        svc, poll.membership, request.GET.get("route", DYNAMIC), privatelink, routes
    )
    return rendering.fragment(request, TEMPLATE, "connection-info", context)


@rendering.polled_fragment()
def access_panel(request: AuthenticatedHttpRequest, poll: rendering.Poll) -> HttpResponse:
    """The privatelink_access panel, polled while listeners settle."""
    return _access_panel(request, poll.service, poll.membership, poll.privatelink)


@login_required
@require_POST
def save_component_access(
    request: AuthenticatedHttpRequest, project: str, service: str
) -> HttpResponse:
    """Save every toggle at once."""
    svc, membership = rendering.service_for(request, project, service, write=True)
    form = ComponentAccessForm(request.POST, service=svc)
    status = 200
    if form.is_valid():
        try:
            svc = actions.set_component_access(
                svc,
                form.access(),
                kafka_authentication=form.authentication(),
                actor=request.user,
                request=request,
            )
        except ActionError as exc:
            form.add_action_error(exc)
            status = exc.status
        else:
            if not rendering.is_fragment_request(request):
                return redirect(reverse("service-overview", args=[project, service]))
            return _access_panel(
                request, svc, membership, rendering.fresh_privatelink(svc), saved=True
            )
    return _access_panel(
        request, svc, membership, rendering.fresh_privatelink(svc), form, status=status
    )


@require_http_methods(["GET", "POST"])
def component_access(request: AuthenticatedHttpRequest, project: str, service: str) -> HttpResponse:
    """The panel's one URL: its fragment polls it with GET, and its form posts to it."""
    view = save_component_access if request.method == "POST" else access_panel
    return view(request, project, service)


def _access_panel(
    request: AuthenticatedHttpRequest,
    svc: Service,
    membership: Membership,
    privatelink: PrivateLink | None,
    form: ComponentAccessForm | None = None,
    saved: bool = False,
    status: int = 200,
) -> HttpResponse:
    routes = privatelink_routes(svc) if privatelink else []
    context = access_context(svc, membership, privatelink, routes, form, saved)
    response = rendering.fragment(request, TEMPLATE, "access", context, status=status)
    if saved:
        # Connection information listens, to show the routes the save adds or removes at
        # once (it also polls itself, so health changes reach it without this).
        trigger_client_event(response, ACCESS_CHANGED)
    if saved:
        rendering.announce(response, "Saved the advanced configuration.")
    return response
