"""Django admin for PrivateLinks: desired state edited through the actions (so every change
is validated and audited), the clouds' ids read-only, and a "reconcile now" action."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from console import catalog
from console.admin_bases import ReadOnlyAdmin, ReadOnlyInline, admin_actor, refusal_told
from console.errors import InvalidInput
from console.models import ProjectVPC, Service, User
from privatelink import actions, azure_actions, google_actions, placement
from privatelink.forms import PrincipalsField
from privatelink.google_projects import clean_projects
from privatelink.models import (
    AwsPrivateLink,
    AzurePrivateLink,
    GooglePrivateLink,
    Listener,
    OrphanSighting,
    PlatformAccount,
    PrivateLink,
    PrivateLinkConnection,
    ProjectVpcPlacement,
    RateBudget,
    ReconcileLease,
)
from privatelink.principals import MAX_PRINCIPALS, MIN_PRINCIPALS, clean_principals
from privatelink.subscriptions import clean_subscriptions


class ConnectionInline(ReadOnlyInline):
    model = PrivateLinkConnection
    fields = [
        "number",
        "privatelink_connection_id",
        "endpoint_id",
        "owner",
        "state",
        "cloud_state",
        "user_ip_address",
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


class AwsDetailsInline(ReadOnlyInline):
    model = AwsPrivateLink
    fields = ["service_id", "service_name", "nlb_arn", "nlb_state", "endpoint_service_state"]


class AzureDetailsInline(ReadOnlyInline):
    model = AzurePrivateLink
    fields = ["service_alias", "service_id", "load_balancer_id", "provisioning_state"]


class GoogleDetailsInline(ReadOnlyInline):
    model = GooglePrivateLink
    fields = ["service_attachment", "forwarding_rule", "nat_subnet", "status"]


def _provider(service: Service) -> str:
    return catalog.get_cloud(service.cloud).provider


def _create_google(
    service: Service, projects: list[str], *, actor: User | None, request: HttpRequest
) -> actions.Saved:
    # A Google link starts with no project: its approvals list them.
    return google_actions.create_google_privatelink(service, actor=actor, request=request)


# Each cloud's allow-list: its entries' check (the one its actions use), how a link is
# created with it, and how it is replaced.
_CHECKS: dict[str, Callable[[list[str]], list[str]]] = {
    "aws": clean_principals,
    "azure": clean_subscriptions,
    "google": clean_projects,
}
_CREATES: dict[str, Callable[..., actions.Saved]] = {
    "aws": actions.create_privatelink,
    "azure": azure_actions.create_azure_privatelink,
    "google": _create_google,
}
_REPLACES: dict[str, Callable[..., actions.Saved]] = {
    "aws": actions.replace_principals,
    "azure": azure_actions.replace_subscriptions,
    "google": google_actions.replace_projects,
}


class PrivateLinkForm(forms.ModelForm):
    principals = PrincipalsField(
        label="Allow-list",
        help_text=(
            f"One entry per line, {MIN_PRINCIPALS} to {MAX_PRINCIPALS}: IAM principal ARNs "
            "(or *) on AWS, subscription ids on Azure; on Google, project ids (none to "
            "start with: approving an endpoint lists its project)."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        # Checked in clean(), once the service says whose cloud's entries they are; an
        # empty list is refused by that check itself, in the actions' words.
        check=list,
        required=False,
    )

    class Meta:
        model = PrivateLink
        fields = ["service", "principals"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        service = data.get("service") or (self.instance.service if self.instance.pk else None)
        if service is not None and "principals" in data:
            try:
                data["principals"] = _CHECKS[_provider(service)](data["principals"])
            except InvalidInput as exc:
                self.add_error("principals", exc.message)
        return data


@admin.register(PrivateLink)
class PrivateLinkAdmin(admin.ModelAdmin):
    form = PrivateLinkForm
    list_display = [
        "service",
        "state",
        "platform_account",
        "aws_service_id",
        "aws_nlb_state",
        "aws_endpoint_service_state",
        "generation",
        "observed_generation",
        "last_reconciled",
        "has_error",
    ]
    list_filter = ["state", "service__service_type", "service__project"]
    search_fields = [
        "service__name",
        "service__project__name",
        "aws__service_id",
        "aws__service_name",
        "aws__nlb_arn",
        "connections__endpoint_id",
        "connections__privatelink_connection_id",
    ]
    list_select_related = [
        "service__project",
        "service__project_vpc__placement__account",
        "aws",
    ]
    readonly_fields = [
        "state",
        "platform_account",
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

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> Any:
        # What the link's cloud adds, on the links that have it.
        if obj is not None and AwsPrivateLink.objects.filter(privatelink=obj).exists():
            return [AwsDetailsInline, *self.inlines]
        if obj is not None and AzurePrivateLink.objects.filter(privatelink=obj).exists():
            return [AzureDetailsInline, *self.inlines]
        if obj is not None and GooglePrivateLink.objects.filter(privatelink=obj).exists():
            return [GoogleDetailsInline, *self.inlines]
        return self.inlines

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The service of an existing PrivateLink never changes.
        return [*self.readonly_fields, "service"] if obj else self.readonly_fields

    @admin.display(boolean=True, description="Error")
    def has_error(self, obj: PrivateLink) -> bool:
        return bool(obj.last_error)

    # The change list's AWS columns, from the AWS row loaded with the link (empty before
    # AWS was first observed, and on other clouds).

    @admin.display(description="AWS endpoint service id")
    def aws_service_id(self, obj: PrivateLink) -> str:
        return obj.aws_details.service_id

    @admin.display(description="NLB state")
    def aws_nlb_state(self, obj: PrivateLink) -> str:
        return obj.aws_details.nlb_state

    @admin.display(description="AWS endpoint service state")
    def aws_endpoint_service_state(self, obj: PrivateLink) -> str:
        return obj.aws_details.endpoint_service_state

    @admin.display(description="Platform account")
    def platform_account(self, obj: PrivateLink) -> str:
        return account_label(obj.service.project_vpc)

    def save_model(self, request: HttpRequest, obj: PrivateLink, form: Any, change: bool) -> None:
        # Through the actions, so admin edits are validated, audited and carried out.
        provider = _provider(obj.service)
        actor = admin_actor(request)
        with refusal_told(self, request):
            if not change:
                create = _CREATES[provider]
                obj.pk = create(obj.service, obj.principals, actor=actor, request=request).link.pk
            elif "principals" in form.changed_data:
                _REPLACES[provider](obj, obj.principals, actor=actor, request=request)

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
        # Google's, on the region's Google account; empty on AWS's and until first read.
        "service_attachment_quota",
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
