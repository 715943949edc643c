"""/v1/ paths of the PrivateLink API, as the platform names them."""

from django.urls import path

from privatelink.api import views

_AWS = "project/<str:project>/service/<str:service>/privatelink/aws"

urlpatterns = [
    path(_AWS, views.privatelink_aws, name="api-privatelink-aws"),
    path(f"{_AWS}/refresh", views.privatelink_refresh, name="api-privatelink-aws-refresh"),
    path(
        f"{_AWS}/connections",
        views.privatelink_connections,
        name="api-privatelink-aws-connections",
    ),
    path(
        "project/<str:project>/privatelink-availability",
        views.privatelink_availability,
        name="api-privatelink-availability",
    ),
]
