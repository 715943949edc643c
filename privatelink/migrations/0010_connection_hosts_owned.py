"""Each connection host records the PrivateLink that owns it in DNS.

Hosts now start with the service's unique host label (console's migration of the same
change). Every existing connection owns its host under that label; a connection whose
service had to take a new label (the later of two services whose names gave the same
host) also keeps its old host, so that its own reconcile deletes the old DNS record, and
is set back to `connected` and unpublished, so that the next reconcile publishes its new
host. The other service's records are left to it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def record_owners(apps, schema_editor):
    Connection = apps.get_model("privatelink", "PrivateLinkConnection")
    ConnectionHost = apps.get_model("privatelink", "ConnectionHost")
    domain = (settings.PRIVATELINK_DOMAIN or settings.PLATFORM_DOMAIN).rstrip(".")
    rows = list(
        Connection.objects.select_related("privatelink__service__project").order_by("pk")
    )
    # First every connection's host under the new labels: these are unique, so each is
    # given to its own connection's PrivateLink.
    for row in rows:
        host = f"privatelink-{row.number}-{row.privatelink.service.host_label}.{domain}"
        ConnectionHost.objects.update_or_create(
            host=host, defaults={"privatelink_id": row.privatelink_id}
        )
    # Then the old hosts of connections whose label changed, where no one owns them now.
    for row in rows:
        service = row.privatelink.service
        old = f"privatelink-{row.number}-{service.name}-{service.project.name}.{domain}"
        new = f"privatelink-{row.number}-{service.host_label}.{domain}"
        if old == new:
            continue
        ConnectionHost.objects.get_or_create(
            host=old, defaults={"privatelink_id": row.privatelink_id}
        )
        ConnectionHost.objects.filter(host=old, privatelink=None).update(
            privatelink_id=row.privatelink_id
        )
        if row.dns_record_published:
            row.dns_record_published = False
            if row.state == "active":
                row.state = "connected"
            row.save(update_fields=["dns_record_published", "state"])


class Migration(migrations.Migration):
    dependencies = [
        ("console", "0009_service_host_labels_unique"),
        ("privatelink", "0009_listener_kafka_authentication_method"),
    ]

    operations = [
        migrations.AddField(
            model_name="connectionhost",
            name="privatelink",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="hosts",
                to="privatelink.privatelink",
            ),
        ),
        migrations.RunPython(record_owners, migrations.RunPython.noop),
    ]
