"""Django admin of login lockouts: who is locked out from where and until when, and a
"clear" action that forgets the failures and leaves an audit event."""

from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from console import login_throttle
from console.admin_bases import ReadOnlyAdmin, admin_actor

# axes' own admin may delete rows without an audit event, and shows their form-data fields.
if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)


class LockedOutFilter(admin.SimpleListFilter):
    title = "lockout"
    parameter_name = "locked"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Past the failure limit")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "yes":
            return queryset.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
        return queryset


@admin.register(AccessAttempt)
class LockoutAdmin(ReadOnlyAdmin):
    """Failed log-ins per account and address (an empty account: API token guessing)."""

    list_display = [
        "username",
        "ip_address",
        "failures_since_start",
        "attempt_time",
        "locked_until",
        "path_info",
        "user_agent",
    ]
    list_filter = [LockedOutFilter]
    search_fields = ["username", "ip_address"]
    ordering = ["-attempt_time"]
    fields = readonly_fields = (
        "username",
        "ip_address",
        "failures_since_start",
        "attempt_time",
        "locked_until",
        "path_info",
        "user_agent",
    )
    actions = ["clear_lockouts"]

    @admin.display(description="Locked until")
    def locked_until(self, row: AccessAttempt) -> str:
        until = login_throttle.pair_locked_until(row.username, row.ip_address)
        return until.strftime("%Y-%m-%d %H:%M:%S UTC") if until else "not locked"

    def has_clear_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("axes.delete_accessattempt")

    @admin.action(description="Clear the selected lockouts", permissions=["clear"])
    def clear_lockouts(self, request: HttpRequest, queryset: QuerySet[AccessAttempt]) -> None:
        cleared = login_throttle.clear_attempts(
            queryset, actor=admin_actor(request), request=request
        )
        self.message_user(
            request, f"Cleared the failed log-ins of {cleared} account and address pairs."
        )
