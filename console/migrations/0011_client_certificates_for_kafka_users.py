"""Kafka users created before client certificates existed get one, signed by their
project's CA (made here when the project has none yet). Every row is kept."""

from django.db import migrations


def issue_certificates(apps, schema_editor):
    from console.certificates import create_ca, issue_client_certificate
    from console.encryption import decrypt, encrypt

    ProjectCA = apps.get_model("console", "ProjectCA")
    ServiceUser = apps.get_model("console", "ServiceUser")
    users = ServiceUser.objects.filter(service__service_type="kafka", access_cert="")
    for user in users.select_related("service__project"):
        project = user.service.project
        ca = ProjectCA.objects.filter(project=project).first()
        if ca is None:
            pair = create_ca(project.name)
            ca = ProjectCA.objects.create(
                project=project,
                certificate=pair.certificate,
                private_key_encrypted=encrypt(pair.private_key),
            )
        issued = issue_client_certificate(
            ca.certificate, decrypt(ca.private_key_encrypted), user.username
        )
        user.access_cert = issued.certificate
        user.access_key_encrypted = encrypt(issued.private_key)
        user.access_cert_not_valid_after = issued.not_valid_after
        user.save(update_fields=["access_cert", "access_key_encrypted", "access_cert_not_valid_after"])


class Migration(migrations.Migration):
    dependencies = [
        ("console", "0010_project_ca_and_client_certificates"),
    ]

    operations = [
        migrations.RunPython(issue_certificates, migrations.RunPython.noop),
    ]
