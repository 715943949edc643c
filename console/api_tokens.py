"""What a person asks of their API tokens: issue and revoke, each with an audit event."""

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from console import audit_log
from console.errors import Conflict
from console.models import User
from console.models.tokens import ApiToken


def issue_token(
    user: User,
    description: str,
    *,
    max_age_seconds: int | None = None,
    extend_when_used: bool = False,
    request: HttpRequest | None = None,
) -> tuple[ApiToken, str]:
    """A new token for `user`; the clear text is returned once and is never stored."""
    with transaction.atomic():
        row, token = ApiToken.issue(
            user,
            description=description.strip(),
            max_age_seconds=max_age_seconds,
            extend_when_used=extend_when_used,
        )
        audit_log.record(
            "api_token.create",
            project=None,
            actor=user,
            request=request,
            after={
                "token": row.prefix,
                "description": row.description,
                "user": user.email,
                "max_age_seconds": row.max_age_seconds,
                "extend_when_used": row.extend_when_used,
            },
        )
    return row, token


def _record_revoke(
    row: ApiToken,
    owner: User,
    *,
    actor: User | None,
    request: HttpRequest | None,
    after: dict[str, str] | None = None,
) -> None:
    """One payload for every revoke, whichever page, command or admin action asked."""
    audit_log.record(
        "api_token.revoke",
        project=None,
        actor=actor,
        request=request,
        before={"token": row.prefix, "description": row.description, "user": owner.email},
        after=after,
    )


def revoke_all_tokens(user: User, *, request: HttpRequest | None = None) -> int:
    """Revoke every live token of `user` (after a password change), each audited."""
    with transaction.atomic():
        rows = list(ApiToken.objects.active().filter(user=user).select_for_update())
        now = timezone.now()
        for row in rows:
            row.revoked = now
            row.save(update_fields=["revoked"])
            _record_revoke(
                row, user, actor=user, request=request, after={"reason": "password change"}
            )
    return len(rows)


def revoke_token(
    row: ApiToken, *, actor: User | None, request: HttpRequest | None = None
) -> ApiToken:
    """Revoke one token; Conflict if it already is. Without an actor the event is a system one."""
    if row.revoked is not None:
        raise Conflict(f"The token {row.prefix}… is already revoked.")
    with transaction.atomic():
        row.revoke()
        _record_revoke(row, row.user, actor=actor, request=request)
    return row
