"""Drop the form data django-axes kept with failed log-ins: a failed password change stored
the old and new passwords there in clear. Every attempt row is kept (the lockouts and
their counts stay as they were); only its copy of the request's parameters goes."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def drop_form_data(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    attempts = apps.get_model("axes", "AccessAttempt")
    attempts.objects.using(schema_editor.connection.alias).exclude(
        get_data="", post_data=""
    ).update(get_data="", post_data="")


class Migration(migrations.Migration):
    dependencies = [
        ("console", "0006_project_privatelink_limit"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(drop_form_data, migrations.RunPython.noop)]
