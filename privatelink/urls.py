"""PrivateLink pages and fragments, mounted under a service's URL."""

from django.urls import path

from privatelink.views import azure, connections, overview, page, principals

SERVICE = "projects/<slug:project>/services/<slug:service>/"
BASE = SERVICE + "privatelink/"

urlpatterns = [
    path(BASE, page.privatelink_page, name="privatelink"),
    path(BASE + "create", page.create, name="privatelink-create"),
    path(BASE + "summary", page.summary, name="privatelink-summary"),
    path(BASE + "connections", connections.connections, name="privatelink-connections"),
    path(BASE + "connections/refresh", connections.refresh, name="privatelink-refresh"),
    path(BASE + "principals", principals.principals, name="privatelink-principals"),
    path(BASE + "principals/add-row", page.add_row, name="privatelink-principal-add-row"),
    path(BASE + "principals/add", principals.add_principal, name="privatelink-principal-add"),
    path(
        BASE + "principals/remove", principals.remove_principal, name="privatelink-principal-remove"
    ),
    path(BASE + "principals/check", principals.check_principal, name="privatelink-principal-check"),
    path(BASE + "subscriptions/add", azure.add_subscription, name="privatelink-subscription-add"),
    path(
        BASE + "subscriptions/remove",
        azure.remove_subscription,
        name="privatelink-subscription-remove",
    ),
    path(
        BASE + "connections/<str:connection>/approve",
        connections.approve,
        name="privatelink-connection-approve",
    ),
    path(
        BASE + "connections/<str:connection>/address",
        azure.set_address,
        name="privatelink-connection-address",
    ),
    path(BASE + "delete", page.delete, name="privatelink-delete"),
    path(SERVICE + "connection-info", overview.connection_info, name="connection-info"),
    path(SERVICE + "privatelink-access", overview.component_access, name="privatelink-access"),
]
