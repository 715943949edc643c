"""API tokens for the JSON API (`Authorization: aivenv1 <token>`), stored hashed."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from console.models.accounts import User


def hash_token(token: str) -> str:
    # Tokens are 256 random bits, so a fast unsalted hash is enough to make a leaked
    # table useless while keeping the per-request lookup a single indexed query.
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> "ApiTokenQuerySet":
        """Neither revoked nor expired."""
        return self.filter(revoked__isnull=True).filter(
            models.Q(expires__isnull=True) | models.Q(expires__gt=timezone.now())
        )


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens")
    description = models.CharField(max_length=200, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(
        max_length=12, help_text="The first characters, to tell tokens apart."
    )
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    revoked = models.DateTimeField(null=True, blank=True)
    # As the platform's tokens: an optional lifetime, which use may extend.
    max_age_seconds = models.PositiveIntegerField(
        null=True, blank=True, help_text="Lifetime in seconds; empty: until revoked."
    )
    extend_when_used = models.BooleanField(
        default=False, help_text="Each use restarts the lifetime."
    )
    expires = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.description or 'no description'})"

    @classmethod
    def issue(
        cls,
        user: User,
        description: str = "",
        *,
        max_age_seconds: int | None = None,
        extend_when_used: bool = False,
    ) -> tuple["ApiToken", str]:
        """Create a token; the clear text is returned once and never stored."""
        token = secrets.token_urlsafe(32)
        # A leading "-" would make `avn --auth-token TOKEN` read the token as an option.
        while token.startswith("-"):
            token = secrets.token_urlsafe(32)
        row = cls.objects.create(
            user=user,
            description=description,
            token_hash=hash_token(token),
            prefix=token[:8],
            max_age_seconds=max_age_seconds,
            extend_when_used=extend_when_used and max_age_seconds is not None,
            expires=(
                timezone.now() + timedelta(seconds=max_age_seconds) if max_age_seconds else None
            ),
        )
        return row, token

    @property
    def expired(self) -> bool:
        return self.expires is not None and self.expires <= timezone.now()

    def revoke(self) -> None:
        self.revoked = timezone.now()
        self.save(update_fields=["revoked"])
