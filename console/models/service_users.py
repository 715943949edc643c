"""The users a service's clients log in with; passwords are kept encrypted at rest."""

from django.db import models

from console.models.inventory import Service
from console.models.timestamps import Timestamped


class ServiceUser(Timestamped):
    class Type(models.TextChoices):
        # The platform calls the user created with the service "primary".
        PRIMARY = "primary", "Primary"
        NORMAL = "normal", "Normal"

    service = models.ForeignKey(Service, models.CASCADE, related_name="users")
    username = models.CharField(max_length=64)
    type = models.CharField(max_length=16, choices=Type.choices, default=Type.NORMAL)
    # Fernet token of the password (console.credentials); never the clear text.
    password_encrypted = models.TextField()
    # Kafka's users also log in with a client certificate signed by the project's CA
    # (console.project_ca); empty for other types. The key is a Fernet token like the password.
    access_cert = models.TextField(blank=True)
    access_key_encrypted = models.TextField(blank=True)
    access_cert_not_valid_after = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["service", "username"]
        constraints = [
            # A user name logs in to one service: it names one user there.
            models.UniqueConstraint(
                fields=["service", "username"], name="serviceuser_username_unique_in_service"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.username} of {self.service}"
