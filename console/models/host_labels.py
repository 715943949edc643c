"""Host labels: the first label of every host of a service, unique across the platform."""

import hashlib
from collections.abc import Iterator

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from console.host_names import HOST_LABEL_MAX

# Length of the distinguishing suffix of a label whose plain form is taken.
_SUFFIX_LENGTH = 6


def _candidates(project: str, service: str) -> Iterator[str]:
    """`<service>-<project>`, then that name cut short with a suffix derived from both names,
    so the label stays within HOST_LABEL_MAX whatever the names."""
    plain = f"{service}-{project}"
    if len(plain) <= HOST_LABEL_MAX:
        yield plain
    stem = plain[: HOST_LABEL_MAX - _SUFFIX_LENGTH - 1].rstrip("-")
    attempt = 0
    while True:
        digest = hashlib.sha256(f"{project}/{service}/{attempt}".encode()).hexdigest()
        yield f"{stem}-{digest[:_SUFFIX_LENGTH]}"
        attempt += 1


class HostLabel(models.Model):
    """Every host label ever given to a service, with the names it was given for.

    The unique label is what makes host names unique by construction: `demo/my-kafka` and
    `kafka-demo/my` both want `my-kafka-demo`, and only the first gets it. Rows outlive
    their service, so a label a customer may still resolve goes to no other service; a
    later service of the same project and name takes its predecessor's label back.
    """

    label = models.CharField(max_length=63, unique=True)
    project_name = models.CharField(max_length=63)
    service_name = models.CharField(max_length=63)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # `reserve` looks up the label an earlier service of the same names had.
            models.Index(fields=["project_name", "service_name"], name="hostlabel_names"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.project_name}/{self.service_name})"

    @classmethod
    def reserve(cls, project: str, service: str) -> str:
        """The label for a new service `project/service`: its predecessor's if no live
        service holds it, else the first candidate no one ever had, reserved for good."""
        # Imported here: the Service model imports this module.
        from console.models.inventory import Service

        earlier = cls.objects.filter(project_name=project, service_name=service).order_by("-pk")
        for row in earlier:
            if not Service.objects.filter(host_label=row.label).exists():
                return row.label
        for label in _candidates(project, service):
            if cls.objects.filter(label=label).exists():
                continue
            try:
                # A savepoint: a concurrent reservation of the same label loses here and
                # tries the next candidate, leaving the caller's transaction usable.
                with transaction.atomic():
                    cls.objects.create(label=label, project_name=project, service_name=service)
            except IntegrityError:
                continue
            return label
        raise AssertionError("unreachable: the candidates never end")
