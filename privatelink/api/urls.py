"""/v1/ paths of the PrivateLink API, as the platform names them."""

from django.urls import path

from privatelink.api import azure_views, google_views, views

_AWS = "project/<str:project>/service/<str:service>/privatelink/aws"
_AZURE = "project/<str:project>/service/<str:service>/privatelink/azure"
_GOOGLE = "project/<str:project>/service/<str:service>/privatelink/google"

urlpatterns = [
    path(_AWS, views.privatelink_aws, name="api-privatelink-aws"),
    path(f"{_AWS}/refresh", views.privatelink_refresh, name="api-privatelink-aws-refresh"),
    path(
        f"{_AWS}/connections",
        views.privatelink_connections,
        name="api-privatelink-aws-connections",
    ),
    path(_AZURE, azure_views.privatelink_azure, name="api-privatelink-azure"),
    path(f"{_AZURE}/refresh", azure_views.azure_refresh, name="api-privatelink-azure-refresh"),
    path(
        f"{_AZURE}/connections",
        azure_views.azure_connections,
        name="api-privatelink-azure-connections",
    ),
    path(
        f"{_AZURE}/connections/<str:connection>",
        azure_views.azure_connection_update,
        name="api-privatelink-azure-connection",
    ),
    path(
        f"{_AZURE}/connections/<str:connection>/approve",
        azure_views.azure_connection_approve,
        name="api-privatelink-azure-connection-approve",
    ),
    path(_GOOGLE, google_views.privatelink_google, name="api-privatelink-google"),
    path(f"{_GOOGLE}/refresh", google_views.google_refresh, name="api-privatelink-google-refresh"),
    path(
        f"{_GOOGLE}/connections",
        google_views.google_connections,
        name="api-privatelink-google-connections",
    ),
    path(
        f"{_GOOGLE}/connections/<str:connection>/approve",
        google_views.google_connection_approve,
        name="api-privatelink-google-connection-approve",
    ),
    path(
        "project/<str:project>/privatelink-availability",
        views.privatelink_availability,
        name="api-privatelink-availability",
    ),
]
