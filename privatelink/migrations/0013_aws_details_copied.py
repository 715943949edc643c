"""Every link that has AWS values, or whose service is on an AWS cloud, gets its AWS row
(AwsPrivateLink) with the values it has; backwards, the values go back onto the link.

Its own migration, between the one that makes the table and the one that drops the old
columns, so that each runs in a transaction of its own on PostgreSQL.
"""

from django.db import migrations

AWS_COLUMNS = ("nlb_arn", "nlb_state", "endpoint_service_state")


def copy_aws_details(apps, schema_editor):
    PrivateLink = apps.get_model("privatelink", "PrivateLink")
    AwsPrivateLink = apps.get_model("privatelink", "AwsPrivateLink")
    rows = []
    for link in PrivateLink.objects.select_related("service").order_by("pk"):
        values = {
            "service_id": link.aws_service_id,
            "service_name": link.aws_service_name,
            **{column: getattr(link, column) for column in AWS_COLUMNS},
        }
        # Cloud names start with their provider's ("aws-eu-west-1"), as in the catalog.
        if any(values.values()) or link.service.cloud.startswith("aws-"):
            rows.append(AwsPrivateLink(privatelink=link, **values))
    AwsPrivateLink.objects.bulk_create(rows)


def copy_aws_details_back(apps, schema_editor):
    PrivateLink = apps.get_model("privatelink", "PrivateLink")
    AwsPrivateLink = apps.get_model("privatelink", "AwsPrivateLink")
    for row in AwsPrivateLink.objects.order_by("pk"):
        PrivateLink.objects.filter(pk=row.privatelink_id).update(
            aws_service_id=row.service_id,
            aws_service_name=row.service_name,
            **{column: getattr(row, column) for column in AWS_COLUMNS},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("privatelink", "0012_aws_details"),
    ]

    operations = [
        migrations.RunPython(copy_aws_details, copy_aws_details_back),
    ]
