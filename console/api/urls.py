"""/v1/ paths of the inventory API, as the platform names them."""

from django.urls import path

from console.api import views
from console.api.openapi import openapi_document

PROJECT = "project/<str:project>"
SERVICE = f"{PROJECT}/service/<str:service>"
SERVICE_TYPE = f"{PROJECT}/service-types/<str:service_type>"

urlpatterns = [
    path("openapi.json", openapi_document, name="api-openapi"),
    path("clouds", views.cloud_list, name="api-cloud-list"),
    path("service_types", views.public_service_type_list, name="api-public-service-type-list"),
    path("project", views.project_list, name="api-project-list"),
    path(f"{PROJECT}/clouds", views.project_cloud_list, name="api-project-cloud-list"),
    # `avn cloud list` without --project and without a default project asks this path.
    path("project//clouds", views.cloud_list, name="api-cloud-list-no-project"),
    path(PROJECT, views.project_detail, name="api-project"),
    path(f"{PROJECT}/service", views.service_collection, name="api-service-list"),
    path(f"{PROJECT}/vpcs", views.project_vpcs, name="api-project-vpc-list"),
    path(f"{PROJECT}/vpcs/<str:project_vpc_id>", views.project_vpc_detail, name="api-project-vpc"),
    path(SERVICE, views.service_detail, name="api-service"),
    path(f"{SERVICE}/user", views.service_users, name="api-service-user-list"),
    path(f"{SERVICE}/user/<str:username>", views.service_user, name="api-service-user"),
    path(f"{PROJECT}/kms/ca", views.project_ca_get, name="api-project-ca"),
    path(f"{PROJECT}/service_types", views.service_type_list, name="api-service-type-list"),
    path(SERVICE_TYPE, views.service_type_detail, name="api-service-type"),
]
