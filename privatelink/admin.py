"""Django admin for PrivateLinks: desired state edited through the actions (so every change
is validated and audited), AWS ids read-only, and a "reconcile now" action."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from console.admin_bases import ReadOnlyAdmin, ReadOnlyInline, admin_actor, refusal_told
from console.models import ProjectVPC
from privatelink import actions, placement
from privatelink.forms import PrincipalsField
from privatelink.models import (
    Listener,
    OrphanSighting,
    PlatformAccount,
    PrivateLink,
    PrivateLinkConnection,
    ProjectVpcPlacement,
    RateBudget,
    ReconcileLease,
)
from privatelink.principals import MAX_PRINCIPALS, MIN_PRINCIPALS


class ConnectionInline(ReadOnlyInline):
    model = PrivateLinkConnection
    fields = [
        "number",
        "privatelink_connection_id",
        "vpc_endpoint_id",
        "owner_account",
        "state",
        "aws_state",
        "rejection_reason",
        "dns_name",
        "dns_record_published",
    ]


class ListenerInline(ReadOnlyInline):
    model = Listener
    fields = [
        "component",
        "kafka_authentication_method",
        "slot",
        "port",
        "health",
        "listener_arn",
        "target_group_arn",
    ]


class PrivateLinkForm(forms.ModelForm):
    principals = PrincipalsField(
        help_text=f"One IAM principal ARN (or *) per line, {MIN_PRINCIPALS} to {MAX_PRINCIPALS}.",
        widget=forms.Textarea(attrs={"rows": 4}),
        # An empty list is refused by the principals check itself, in the actions' words.
        required=False,
    )

    class Meta:
        model = PrivateLink
        fields = ["service", "principals"]


@admin.register(PrivateLink)
class PrivateLinkAdmin(admin.ModelAdmin):
    form = PrivateLinkForm
    list_display = [
        "service",
        "state",
        "platform_account",
        "aws_service_id",
        "nlb_state",
        "endpoint_service_state",
        "generation",
        "observed_generation",
        "last_reconciled",
        "has_error",
    ]
    list_filter = ["state", "service__service_type", "service__project"]
    search_fields = [
        "service__name",
        "service__project__name",
        "aws_service_id",
        "aws_service_name",
        "nlb_arn",
        "connections__vpc_endpoint_id",
        "connections__privatelink_connection_id",
    ]
    list_select_related = ["service__project", "service__project_vpc__placement__account"]
    readonly_fields = [
        "state",
        "platform_account",
        "aws_service_id",
        "aws_service_name",
        "nlb_arn",
        "nlb_state",
        "endpoint_service_state",
        "generation",
        "observed_generation",
        "failed_generation",
        "last_error",
        "last_reconciled",
        "created",
        "updated",
    ]
    inlines = [ConnectionInline, ListenerInline]
    actions = ["reconcile_now"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The service of an existing PrivateLink never changes.
        return [*self.readonly_fields, "service"] if obj else self.readonly_fields

    @admin.display(boolean=True, description="Error")
    def has_error(self, obj: PrivateLink) -> bool:
        return bool(obj.last_error)

    @admin.display(description="Platform account")
    def platform_account(self, obj: PrivateLink) -> str:
        return account_label(obj.service.project_vpc)

    def save_model(self, request: HttpRequest, obj: PrivateLink, form: Any, change: bool) -> None:
        # Through the actions, so admin edits are validated, audited and carried out.
        with refusal_told(self, request):
            if not change:
                created = actions.create_privatelink(
                    obj.service, obj.principals, actor=admin_actor(request), request=request
                )
                obj.pk = created.link.pk
            elif "principals" in form.changed_data:
                actions.replace_principals(
                    obj, obj.principals, actor=admin_actor(request), request=request
                )

    def delete_model(self, request: HttpRequest, obj: PrivateLink) -> None:
        with refusal_told(self, request):
            actions.delete_privatelink(obj, actor=admin_actor(request), request=request)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[PrivateLink]) -> None:
        for privatelink in queryset.exclude(state=PrivateLink.State.DELETING):
            self.delete_model(request, privatelink)

    @admin.action(description="Reconcile now (also retries a failed change)")
    def reconcile_now(self, request: HttpRequest, queryset: QuerySet[PrivateLink]) -> None:
        queued = sum(
            actions.retry_reconcile(privatelink, actor=admin_actor(request), request=request)
            for privatelink in queryset.select_related("service__project")
        )
        self.message_user(request, f"Queued {queued} of {queryset.count()} reconcile(s).")


@admin.register(ReconcileLease)
class ReconcileLeaseAdmin(ReadOnlyAdmin):
    list_display = ["key", "holder", "expires"]
    search_fields = ["key"]


@admin.register(OrphanSighting)
class OrphanSightingAdmin(ReadOnlyAdmin):
    list_display = ["resource_id", "kind", "first_seen"]
    list_filter = ["kind"]


@admin.register(RateBudget)
class RateBudgetAdmin(ReadOnlyAdmin):
    list_display = ["key", "tokens", "updated"]


def account_label(vpc: ProjectVPC | None) -> str:
    """`111111111111 in eu-west-1`, or a dash while the VPC is not placed yet."""
    if vpc is None:
        return "-"
    try:
        return str(vpc.placement.account)
    except ProjectVpcPlacement.DoesNotExist:
        return "-"


@admin.register(PlatformAccount)
class PlatformAccountAdmin(ReadOnlyAdmin):
    """The pool as configured (AWS_PLATFORM_ACCOUNTS), with its quotas and what it holds."""

    list_display = [
        "account_id",
        "region",
        "role_arn",
        "project_vpcs",
        "load_balancers",
        "load_balancer_quota",
        "target_group_quota",
        "quotas_checked",
    ]
    list_filter = ["region"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[PlatformAccount]:
        return super().get_queryset(request).annotate(vpc_count=models.Count("placements"))

    @admin.display(description="Project VPCs", ordering="vpc_count")
    def project_vpcs(self, obj: PlatformAccount) -> int:
        return int(getattr(obj, "vpc_count", 0))

    @admin.display(description="NLBs (PrivateLinks)")
    def load_balancers(self, obj: PlatformAccount) -> int:
        return placement.load_balancers_in(obj)


@admin.register(ProjectVpcPlacement)
class ProjectVpcPlacementAdmin(ReadOnlyAdmin):
    list_display = ["project_vpc", "account", "created"]
    list_select_related = ["project_vpc__project", "account"]
    list_filter = ["account__region", "account"]
    search_fields = ["project_vpc__project__name", "project_vpc__aws_vpc_id"]
