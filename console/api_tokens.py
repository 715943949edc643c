"""What a person asks of their API tokens: issue and revoke, each with an audit event."""

from django.db import transaction
from django.http import HttpRequest

from console import audit_log
from console.errors import Conflict
from console.models import User
from console.models.tokens import ApiToken


def issue_token(
    user: User, description: str, *, request: HttpRequest | None = None
) -> tuple[ApiToken, str]:
    """A new token for `user`; the clear text is returned once and is never stored."""
    with transaction.atomic():
        row, token = ApiToken.issue(user, description=description.strip())
        audit_log.record(
            "api_token.create",
            project=None,
            actor=user,
            request=request,
            after={"token": row.prefix, "description": row.description, "user": user.email},
        )
    return row, token


def revoke_token(row: ApiToken, *, actor: User, request: HttpRequest | None = None) -> ApiToken:
    if row.revoked is not None:
        raise Conflict(f"The token {row.prefix}… is already revoked.")
    with transaction.atomic():
        row.revoke()
        audit_log.record(
            "api_token.revoke",
            project=None,
            actor=actor,
            request=request,
            before={"token": row.prefix, "description": row.description, "user": row.user.email},
        )
    return row
