"""Who an API request acts for: the owner of the token in `Authorization: aivenv1 <token>`."""

from datetime import timedelta

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from console.models import User
from console.models.tokens import ApiToken, hash_token

# The platform's clients send `aivenv1`; `Bearer` is the generic spelling other tools use.
SCHEMES = ("aivenv1", "bearer")
# last_used is for people deciding which token to revoke; minute precision is plenty and
# spares the database a write on every request.
LAST_USED_PRECISION = timedelta(minutes=1)


def token_from_header(request: HttpRequest) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() not in SCHEMES or not token.strip():
        return None
    return token.strip()


def user_for_token(token: str) -> User | None:
    """The active owner of an unrevoked, unexpired token, noting its use; else None."""
    row = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(token_hash=hash_token(token), user__is_active=True)
        .first()
    )
    if row is None:
        return None
    now = timezone.now()
    due = Q(last_used__isnull=True) | Q(last_used__lt=now - LAST_USED_PRECISION)
    changes: dict[str, object] = {"last_used": now}
    if row.extend_when_used and row.max_age_seconds:
        lifetime = timedelta(seconds=row.max_age_seconds)
        changes["expires"] = now + lifetime
        # Extended once the lifetime has run down by a tenth (at most a minute), so that
        # a short lifetime never lapses between two writes.
        due |= Q(expires__lt=now + lifetime - min(LAST_USED_PRECISION, lifetime / 10))
    # A conditional UPDATE, so that concurrent requests with one token write at most once.
    ApiToken.objects.filter(pk=row.pk).filter(due).update(**changes)
    return row.user
