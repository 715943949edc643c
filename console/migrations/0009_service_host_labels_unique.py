"""Every service gets a host label unique across the platform, reserved in HostLabel.

Existing services keep `<service>-<project>` as their label (so their hosts do not change)
unless another service took it first: of two services whose names give the same label
(`demo/my-kafka` and `kafka-demo/my`), the one created first keeps it and the other gets
the label cut short with a suffix derived from its names, as new services do. A label
longer than 47 characters (no room for `privatelink-N-` in one DNS label) is shortened
the same way. The PrivateLink side follows in privatelink's migration of the same change.
"""

import hashlib

import django.utils.timezone
from django.db import migrations, models

LABEL_MAX = 47
SUFFIX_LENGTH = 6


def _candidates(project, service):
    plain = f"{service}-{project}"
    if len(plain) <= LABEL_MAX:
        yield plain
    stem = plain[: LABEL_MAX - SUFFIX_LENGTH - 1].rstrip("-")
    attempt = 0
    while True:
        digest = hashlib.sha256(f"{project}/{service}/{attempt}".encode()).hexdigest()
        yield f"{stem}-{digest[:SUFFIX_LENGTH]}"
        attempt += 1


def give_labels(apps, schema_editor):
    Service = apps.get_model("console", "Service")
    HostLabel = apps.get_model("console", "HostLabel")
    AuditEvent = apps.get_model("console", "AuditEvent")
    taken = set(HostLabel.objects.values_list("label", flat=True))
    for service in Service.objects.select_related("project").order_by("created", "pk"):
        project, name = service.project.name, service.name
        label = next(c for c in _candidates(project, name) if c not in taken)
        taken.add(label)
        HostLabel.objects.create(label=label, project_name=project, service_name=name)
        service.host_label = label
        service.save(update_fields=["host_label"])
        plain = f"{name}-{project}"
        if label != plain:
            # Its hosts change: said on the service's Activity page.
            AuditEvent.objects.create(
                project=service.project,
                service=service,
                service_name=name,
                actor_label="system",
                kind="system",
                action="service.host_label_changed",
                before={"host_label": plain},
                after={
                    "host_label": label,
                    "reason": "another service had this host first"
                    if len(plain) <= LABEL_MAX
                    else f"a host label has at most {LABEL_MAX} characters",
                },
            )


class Migration(migrations.Migration):
    dependencies = [
        ("console", "0008_projectvpc_public_id"),
    ]

    operations = [
        migrations.CreateModel(
            name="HostLabel",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("label", models.CharField(max_length=63, unique=True)),
                ("project_name", models.CharField(max_length=63)),
                ("service_name", models.CharField(max_length=63)),
                ("created", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["project_name", "service_name"], name="hostlabel_names"
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="service",
            name="host_label",
            field=models.CharField(default="", editable=False, max_length=63),
            preserve_default=False,
        ),
        migrations.RunPython(give_labels, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="service",
            constraint=models.UniqueConstraint(
                fields=("host_label",), name="service_host_label_unique"
            ),
        ),
    ]
