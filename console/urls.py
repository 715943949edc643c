from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from console import account_views, credential_views, token_views, views
from console.api.errors import unknown_path

PROJECT = "projects/<slug:project>/"
SERVICE = f"{PROJECT}services/<slug:service>/"

urlpatterns = [
    path("", views.index, name="index"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", account_views.password_change, name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/password/reset/", account_views.password_reset, name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        account_views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/confirm/", credential_views.reauth, name="reauth"),
    path("accounts/tokens/", token_views.token_list, name="api-tokens"),
    path(
        "accounts/tokens/<int:token_id>/revoke/",
        token_views.token_revoke,
        name="api-token-revoke",
    ),
    path("projects/", views.project_list, name="project-list"),
    path(PROJECT, views.service_list, name="service-list"),
    path(f"{PROJECT}vpcs/new", views.create_project_vpc, name="project-vpc-create"),
    path(f"{PROJECT}services/new", views.create_service, name="service-create"),
    path(f"{SERVICE}activity", views.service_activity, name="service-activity"),
    path(f"{SERVICE}terminate", views.service_terminate, name="service-terminate"),
    path(f"{SERVICE}plan", views.service_plan, name="service-plan"),
    path(f"{SERVICE}users/new", credential_views.service_user_create, name="service-user-create"),
    path(
        f"{SERVICE}users/<str:username>/delete",
        credential_views.service_user_delete,
        name="service-user-delete",
    ),
    path(
        f"{SERVICE}users/<str:username>/reveal",
        credential_views.service_user_reveal,
        name="service-user-reveal",
    ),
    path(
        f"{SERVICE}users/<str:username>/service.cert",
        credential_views.service_user_certificate,
        name="service-user-certificate",
    ),
    path(
        f"{SERVICE}users/<str:username>/service.key",
        credential_views.service_user_key,
        name="service-user-key",
    ),
    path(f"{PROJECT}ca.pem", credential_views.project_ca_download, name="project-ca"),
    path(SERVICE, views.service_overview, name="service-overview"),
    path("", include("privatelink.urls")),
    path("v1/", include("console.api.urls")),
    path("v1/", include("privatelink.api.urls")),
    # Last: a /v1/ path no API endpoint answers gets a JSON 404 (even with DEBUG on),
    # because the API's clients cannot read the HTML 404 page.
    re_path(r"^v1/", unknown_path),
]
