"""What both apps' admin pages build on: the staff member acting, for the audit trail, and
read-only bases for what a platform admin may read but never add, change or delete (rows
the engine writes from what AWS reports, and the audit trail)."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest

from console.errors import ActionError
from console.models import User


def admin_actor(request: HttpRequest) -> User | None:
    """The signed-in staff member (the admin site lets no one else in), as actions take it."""
    return request.user if isinstance(request.user, User) else None


@contextmanager
def refusal_told(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    prefix: str = "",
    level: int = messages.ERROR,
) -> Iterator[None]:
    """Run an action for an admin page: changes go through the actions, so they are
    validated, audited and carried out as from the pages. A refusal is told to the admin
    (after `prefix`), and the rest of the block is skipped."""
    try:
        yield
    except ActionError as exc:
        model_admin.message_user(request, prefix + exc.message, level)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
