"""/v1/ paths of the inventory API, as the platform names them."""

from django.urls import path

from console.api import views
from console.api.openapi import openapi_document

urlpatterns = [
    path("openapi.json", openapi_document, name="api-openapi"),
    path("project", views.project_list, name="api-project-list"),
    path("project/<str:project>", views.project_detail, name="api-project"),
    path("project/<str:project>/service", views.service_collection, name="api-service-list"),
    path("project/<str:project>/vpcs", views.project_vpcs, name="api-project-vpc-list"),
    path(
        "project/<str:project>/vpcs/<str:project_vpc_id>",
        views.project_vpc_detail,
        name="api-project-vpc",
    ),
    path("project/<str:project>/service/<str:service>", views.service_detail, name="api-service"),
    path(
        "project/<str:project>/service/<str:service>/user/<str:username>",
        views.service_user,
        name="api-service-user",
    ),
    path(
        "project/<str:project>/service_types",
        views.service_type_list,
        name="api-service-type-list",
    ),
    path(
        "project/<str:project>/service-types/<str:service_type>",
        views.service_type_detail,
        name="api-service-type",
    ),
]
