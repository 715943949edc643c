"""The template tag through which the Service Overview page shows the PrivateLink panels,
so the console renders them without importing privatelink."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from console import freshness
from console.polling import poll_intervals
from privatelink.views.overview import DYNAMIC, overview_context

register = template.Library()


@register.simple_tag(takes_context=True)
def privatelink_panels(context: template.Context) -> SafeString:
    """Both panels, rendered once for every viewer of the role while the service's version
    stands (`freshness.shared_panel`): they show nothing of the viewer but the role."""
    request = context["request"]
    route = request.GET.get("route", DYNAMIC)

    def render(csrf_token: str | None) -> str:
        # The page lists the nodes above the panels: their count costs no query of its own.
        panel_context = overview_context(
            context["service"], context["membership"], route, context["nodes"]
        )
        panel_context["csrf_token"] = csrf_token or context.get("csrf_token")
        # The panels' template gets only what it is given, not the context processors'.
        panel_context.update(poll_intervals(request))
        return render_to_string("privatelink/overview.html", panel_context)

    shared = context.get("shared_panels")
    panels = freshness.shared_panel(request, shared, f"privatelink-panels:{route}", render)
    # A template's output, escaped as it was rendered; only the token and nonce are put in.
    return mark_safe(panels)  # noqa: S308
