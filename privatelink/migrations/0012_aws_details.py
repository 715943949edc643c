"""AWS's details of a PrivateLink get a row of their own beside it (AwsPrivateLink), as
Azure's have; the next migrations fill it from the link's columns and then drop those."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("privatelink", "0011_azure_details"),
    ]

    operations = [
        migrations.CreateModel(
            name="AwsPrivateLink",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "service_id",
                    models.CharField(
                        blank=True, max_length=64, verbose_name="AWS endpoint service id"
                    ),
                ),
                (
                    "service_name",
                    models.CharField(
                        blank=True, max_length=255, verbose_name="AWS endpoint service name"
                    ),
                ),
                ("nlb_arn", models.CharField(blank=True, max_length=255, verbose_name="NLB ARN")),
                (
                    "nlb_state",
                    models.CharField(blank=True, max_length=32, verbose_name="NLB state"),
                ),
                (
                    "endpoint_service_state",
                    models.CharField(
                        blank=True, max_length=32, verbose_name="AWS endpoint service state"
                    ),
                ),
                ("updated", models.DateTimeField(auto_now=True)),
                (
                    "privatelink",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="aws",
                        to="privatelink.privatelink",
                    ),
                ),
            ],
            options={
                "verbose_name": "AWS PrivateLink",
            },
        ),
    ]
