"""Project VPCs get the UUID the API knows them by; every existing row receives its own."""

import uuid

from django.db import migrations, models


def give_each_vpc_a_uuid(apps, schema_editor):
    ProjectVPC = apps.get_model("console", "ProjectVPC")
    for vpc in ProjectVPC.objects.filter(public_id__isnull=True).only("pk"):
        ProjectVPC.objects.filter(pk=vpc.pk).update(public_id=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("console", "0007_scrub_login_attempt_form_data"),
    ]

    operations = [
        # Nullable first: a default on AddField would give every existing row the same UUID.
        migrations.AddField(
            model_name="projectvpc",
            name="public_id",
            field=models.UUIDField(editable=False, null=True, verbose_name="Project VPC id"),
        ),
        migrations.RunPython(give_each_vpc_a_uuid, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="projectvpc",
            name="public_id",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="Project VPC id"
            ),
        ),
    ]
