"""Django admin for the platform inventory, accounts, API tokens and the audit trail."""

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from console import (
    actions,
    api_tokens,
    login_throttle_admin,  # noqa: F401  (registers the lockouts' admin)
)
from console.admin_bases import ReadOnlyAdmin, ReadOnlyInline, admin_actor, refusal_told
from console.models import (
    ApiToken,
    AuditEvent,
    HostLabel,
    Membership,
    Project,
    ProjectCA,
    ProjectVPC,
    Service,
    ServiceNode,
    ServiceUser,
    User,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "created"]
    readonly_fields = ["created"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin with the email address in place of a username."""

    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name")}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "privatelink_limit", "created"]
    search_fields = ["name"]
    readonly_fields = ["created"]
    fields = ["name", "privatelink_limit", "created"]
    inlines = [MembershipInline]

    def save_model(self, request: HttpRequest, obj: Project, form: Any, change: bool) -> None:
        # The limit goes through the action, so that every change of it is audited (a new
        # project is saved with the default first).
        if "privatelink_limit" not in form.changed_data:
            super().save_model(request, obj, form, change)
            return
        limit, obj.privatelink_limit = obj.privatelink_limit, form.initial.get("privatelink_limit")
        super().save_model(request, obj, form, change)
        with refusal_told(self, request, "The PrivateLink limit was not changed: "):
            actions.set_privatelink_limit(obj, limit, actor=admin_actor(request), request=request)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The name is in URLs, API paths and its services' host names: fixed once created.
        return [*self.readonly_fields, "name"] if obj else self.readonly_fields


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "project", "role", "created"]
    list_filter = ["role"]
    search_fields = ["user__email", "project__name"]
    autocomplete_fields = ["user", "project"]
    list_select_related = ["user", "project"]


@admin.register(ProjectVPC)
class ProjectVPCAdmin(admin.ModelAdmin):
    list_display = ["project", "cloud", "cidr", "state", "aws_vpc_id", "updated"]
    list_filter = ["state", "cloud"]
    search_fields = ["project__name", "aws_vpc_id", "cidr", "=public_id"]
    list_select_related = ["project"]
    # AWS ids and the observed state are written by the engine from what AWS reports; the
    # public id (the one avn and the API show) is given once, at creation.
    readonly_fields = [
        "public_id",
        "aws_vpc_id",
        "subnets",
        "state",
        "last_error",
        "created",
        "updated",
    ]
    autocomplete_fields = ["project"]


class ServiceNodeInline(admin.TabularInline):
    model = ServiceNode
    extra = 0
    fields = ["name", "private_ip", "availability_zone"]


class ServiceUserInline(ReadOnlyInline):
    """Who logs in to the service; the encrypted password never leaves the database here."""

    model = ServiceUser
    fields = ["username", "type", "access_cert_not_valid_after", "updated"]
    readonly_fields = ["username", "type", "access_cert_not_valid_after", "updated"]


@admin.register(ProjectCA)
class ProjectCAAdmin(ReadOnlyAdmin):
    """Each project's CA certificate; its encrypted key is never shown."""

    list_display = ["project", "created"]
    search_fields = ["project__name"]
    list_select_related = ["project"]
    fields = ["project", "certificate", "created"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "service_type", "plan", "state", "project_vpc", "updated"]
    list_filter = ["service_type", "state", "plan"]
    search_fields = ["name", "project__name"]
    list_select_related = ["project", "project_vpc"]
    readonly_fields = ["host_label", "created", "updated"]
    autocomplete_fields = ["project"]
    inlines = [ServiceNodeInline, ServiceUserInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Project and name address the service (URLs, API); its hosts keep their label.
        return [*self.readonly_fields, "project", "name"] if obj else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: Service, form: Any, change: bool) -> None:
        # A plan change goes through the action, so that nodes follow and it is audited.
        if not (change and "plan" in form.changed_data):
            super().save_model(request, obj, form, change)
            return
        plan, obj.plan = obj.plan, form.initial["plan"]
        super().save_model(request, obj, form, change)
        with refusal_told(self, request, "The plan was not changed: "):
            actions.change_plan(obj, plan, actor=admin_actor(request), request=request)

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        # Nodes and users go with the terminated service; no separate right is needed.
        deleted, counts, _perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    def delete_model(self, request: HttpRequest, obj: Service) -> None:
        # Termination, not a row delete: what was built in AWS goes first, the row last.
        with refusal_told(self, request):
            actions.terminate_service(obj, actor=admin_actor(request), request=request)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Service]) -> None:
        for service in queryset.exclude(state=Service.State.DELETING):
            self.delete_model(request, service)


@admin.register(ServiceNode)
class ServiceNodeAdmin(ReadOnlyAdmin):
    """Nodes are edited inside their service; here they are listed to be replaced."""

    list_display = ["name", "service", "private_ip", "availability_zone"]
    search_fields = ["name", "service__name", "service__project__name", "private_ip"]
    list_select_related = ["service__project"]
    actions = ["replace_nodes"]

    @admin.action(description="Replace the selected nodes (new private IP, as in maintenance)")
    def replace_nodes(self, request: HttpRequest, queryset: QuerySet[ServiceNode]) -> None:
        for node in queryset.select_related("service"):
            with refusal_told(self, request, f"{node.name}: "):
                replaced = actions.replace_node(node, actor=admin_actor(request), request=request)
                self.message_user(request, f"{node.name} now has {replaced.private_ip}.")


# The hash is never shown: it is useless to a person and should not travel further.
API_TOKEN_FIELDS = (
    "user",
    "description",
    "prefix",
    "created",
    "last_used",
    "max_age_seconds",
    "extend_when_used",
    "expires",
    "revoked",
)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued with `manage.py create_api_token`; here they are listed and revoked."""

    list_display = ["prefix", "user", "description", "created", "last_used", "expires", "revoked"]
    list_filter = [("revoked", admin.EmptyFieldListFilter)]
    search_fields = ["user__email", "description", "prefix"]
    list_select_related = ["user"]
    fields = API_TOKEN_FIELDS
    # Only the description can be edited.
    readonly_fields = [name for name in API_TOKEN_FIELDS if name != "description"]
    actions = ["revoke_tokens"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # The clear text must be shown once to whoever creates a token; the command does.
        return False

    @admin.action(description="Revoke the selected tokens")
    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        revoked = 0
        for token in queryset.filter(revoked__isnull=True).select_related("user"):
            # Refused when its owner revoked it meanwhile: already what was asked.
            with refusal_told(self, request, level=messages.WARNING):
                api_tokens.revoke_token(token, actor=admin_actor(request), request=request)
                revoked += 1
        self.message_user(request, f"Revoked {revoked} token(s).", messages.SUCCESS)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The trail is evidence: it can be read and searched, never edited."""

    list_display = ["time", "actor_label", "kind", "action", "project", "service_name", "ip"]
    list_filter = ["kind", "action", ("project", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["actor_label", "action", "service_name", "request_id", "project__name"]
    list_select_related = ["project"]
    date_hierarchy = "time"


@admin.register(HostLabel)
class HostLabelAdmin(ReadOnlyAdmin):
    """Every host label ever given out; kept for good so none is given out twice."""

    list_display = ["label", "project_name", "service_name", "created"]
    search_fields = ["label", "project_name", "service_name"]
