"""Each project's certificate authority, which signs its service users' client certificates."""

from django.db import models

from console.models.accounts import Project
from console.models.timestamps import Timestamped


class ProjectCA(Timestamped):
    # One CA per project, made the first time something needs it (console.project_ca).
    project = models.OneToOneField(Project, models.CASCADE, related_name="ca")
    certificate = models.TextField(help_text="PEM; public, clients trust it.")
    # Fernet token of the PEM private key (console.credentials); never the clear text.
    private_key_encrypted = models.TextField()

    class Meta:
        verbose_name = "project CA"

    def __str__(self) -> str:
        return f"CA of {self.project}"
