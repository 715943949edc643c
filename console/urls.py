from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from console import views

urlpatterns = [
    path("", views.index, name="index"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("projects/", views.project_list, name="project-list"),
    path("projects/<slug:project>/", views.service_list, name="service-list"),
    path(
        "projects/<slug:project>/services/<slug:service>/",
        views.service_overview,
        name="service-overview",
    ),
    path("", include("privatelink.urls")),
    path("v1/", include("console.api.urls")),
    path("v1/", include("privatelink.api.urls")),
]
