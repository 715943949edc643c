"""Listeners name the Kafka authentication method they serve; every Kafka listener made
before served client certificates, the only method there was."""

from django.db import migrations, models


def kafka_listeners_served_certificates(apps, schema_editor):
    Listener = apps.get_model("privatelink", "Listener")
    Listener.objects.filter(component="kafka").update(kafka_authentication_method="certificate")


class Migration(migrations.Migration):
    dependencies = [
        ("privatelink", "0008_platform_account_pool"),
    ]

    operations = [
        migrations.AddField(
            model_name="listener",
            name="kafka_authentication_method",
            field=models.CharField(
                blank=True,
                choices=[("certificate", "certificate"), ("sasl", "sasl")],
                max_length=16,
            ),
        ),
        # Reversing drops the column, so there is nothing to undo.
        migrations.RunPython(kafka_listeners_served_certificates, migrations.RunPython.noop),
    ]
