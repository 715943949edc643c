"""The audit trail: every security-relevant change, by a person or by the system."""

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    class Kind(models.TextChoices):
        AUDIT = "audit", "Change by a person"
        SYSTEM = "system", "System event"

        @property
        def plural(self) -> str:
            """What a list of events of this kind is called (the activity page's filter)."""
            return {"audit": "Changes by people", "system": "System events"}[self.value]

    project = models.ForeignKey("console.Project", models.CASCADE, null=True, related_name="+")
    # Kept as text too: the trail outlives a deleted service or user.
    service = models.ForeignKey(
        "console.Service", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    service_name = models.CharField(max_length=63, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=254, help_text='Email of the person, or "system".')
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.AUDIT)
    action = models.CharField(max_length=64)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    time = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-time", "-id"]
        indexes = [
            # The Activity page: one service's events, newest first.
            models.Index(fields=["service", "-time"], name="auditevent_service_time"),
        ]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"
