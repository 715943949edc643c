"""The template tag through which the Service Overview page shows the PrivateLink panels,
so the console renders them without importing privatelink."""

from typing import Any

from django import template

from console.polling import poll_intervals
from privatelink.views.overview import DYNAMIC, overview_context

register = template.Library()


@register.inclusion_tag("privatelink/overview.html", takes_context=True)
def privatelink_panels(context: template.Context) -> dict[str, Any]:
    request = context["request"]
    # The page lists the nodes above the panels: their count costs no query of its own.
    panel_context = overview_context(
        context["service"],
        context["membership"],
        request.GET.get("route", DYNAMIC),
        context["nodes"],
    )
    panel_context["request"] = request
    panel_context["csrf_token"] = context.get("csrf_token")
    # An inclusion tag's template gets only what it is given, not the context processors'.
    panel_context.update(poll_intervals(request))
    return panel_context
