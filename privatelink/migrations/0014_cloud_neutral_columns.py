"""The AWS columns leave PrivateLink (their values are in AwsPrivateLink now), and a
connection's columns take names every cloud shares: endpoint_id (a VPC endpoint id on AWS, a
private endpoint's resource id on Azure), owner (an account or a subscription) and
cloud_state. Renamed, not replaced: every row keeps its values."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("privatelink", "0013_aws_details_copied"),
    ]

    operations = [
        migrations.RemoveField(model_name="privatelink", name="aws_service_id"),
        migrations.RemoveField(model_name="privatelink", name="aws_service_name"),
        migrations.RemoveField(model_name="privatelink", name="nlb_arn"),
        migrations.RemoveField(model_name="privatelink", name="nlb_state"),
        migrations.RemoveField(model_name="privatelink", name="endpoint_service_state"),
        migrations.AlterField(
            model_name="privatelink",
            name="principals",
            field=models.JSONField(
                default=list,
                help_text="The allow-list, sorted: IAM principals on AWS, subscription ids on Azure.",
            ),
        ),
        # The constraint names its columns: dropped around the rename, made again on the new
        # name (still one connection per customer endpoint and PrivateLink).
        migrations.RemoveConstraint(
            model_name="privatelinkconnection", name="connection_endpoint_unique"
        ),
        migrations.RenameField(
            model_name="privatelinkconnection", old_name="vpc_endpoint_id", new_name="endpoint_id"
        ),
        migrations.AddConstraint(
            model_name="privatelinkconnection",
            constraint=models.UniqueConstraint(
                fields=("privatelink", "endpoint_id"), name="connection_endpoint_unique"
            ),
        ),
        migrations.RenameField(
            model_name="privatelinkconnection", old_name="owner_account", new_name="owner"
        ),
        migrations.RenameField(
            model_name="privatelinkconnection", old_name="aws_state", new_name="cloud_state"
        ),
        migrations.AlterField(
            model_name="privatelinkconnection",
            name="cloud_state",
            field=models.CharField(blank=True, max_length=32, verbose_name="state in the cloud"),
        ),
    ]
