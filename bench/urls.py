"""The console's URLs plus two baselines the figures are compared to: /bench/trivial, a view
that does nothing but answer, and /bench/access/..., a view that only logs in and runs the
access check every service page and fragment runs."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from privatelink.views.rendering import service_for


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


@login_required
def access_only(request: HttpRequest, project: str, service: str) -> HttpResponse:
    found, _membership = service_for(request, project, service)
    return HttpResponse(found.name.encode(), content_type="text/plain")


urlpatterns = [
    path("bench/trivial", trivial, name="bench-trivial"),
    path("bench/access/<slug:project>/<slug:service>", access_only, name="bench-access"),
    path("", include("console.urls")),
]
