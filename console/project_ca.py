"""Each project's CA, made once when first needed, and the client certificates it issues to
service users: Kafka clients present one (and trust the CA) on every route, PrivateLink
included. The CA's private key is stored encrypted under the credentials keys."""

from django.db import IntegrityError, transaction

from console import certificates, encryption
from console.models import Project, ProjectCA, ServiceUser


def ca_of(project: Project) -> ProjectCA:
    """The project's CA, created on first use. Two first uses at once both make a key, and
    the one-to-one constraint keeps the first saved."""
    found = ProjectCA.objects.filter(project=project).first()
    if found is not None:
        return found
    pair = certificates.create_ca(project.name)
    try:
        with transaction.atomic():
            return ProjectCA.objects.create(
                project=project,
                certificate=pair.certificate,
                private_key_encrypted=encryption.encrypt(pair.private_key),
            )
    except IntegrityError:
        return ProjectCA.objects.get(project=project)


def issue_certificate(user: ServiceUser) -> None:
    """Give the user a fresh client certificate (CN = user name) and key, on the row only:
    the caller saves it, inside its own transaction."""
    ca = ca_of(user.service.project)
    pair = certificates.issue_client_certificate(
        ca.certificate, encryption.decrypt(ca.private_key_encrypted), user.username
    )
    user.access_cert = pair.certificate
    user.access_key_encrypted = encryption.encrypt(pair.private_key)
    user.access_cert_not_valid_after = pair.not_valid_after
