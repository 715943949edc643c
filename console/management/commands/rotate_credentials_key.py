"""`manage.py rotate_credentials_key`: re-encrypt every secret at rest (service passwords,
client keys, project CA keys) under the first key of CREDENTIALS_ENCRYPTION_KEYS, so that
the older keys can then be dropped."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from console import encryption
from console.models import ProjectCA, ServiceUser


def _rotated(token: str) -> str:
    if not token:
        return token
    return encryption.cipher().rotate(token.encode()).decode()


class Command(BaseCommand):
    help = "Re-encrypt service credentials under the newest CREDENTIALS_ENCRYPTION_KEYS key."

    def handle(self, *args: Any, **options: Any) -> None:
        users = cas = 0
        with transaction.atomic():
            for user in ServiceUser.objects.select_for_update().only(
                "pk", "password_encrypted", "access_key_encrypted"
            ):
                ServiceUser.objects.filter(pk=user.pk).update(
                    password_encrypted=_rotated(user.password_encrypted),
                    access_key_encrypted=_rotated(user.access_key_encrypted),
                )
                users += 1
            for ca in ProjectCA.objects.select_for_update().only("pk", "private_key_encrypted"):
                ProjectCA.objects.filter(pk=ca.pk).update(
                    private_key_encrypted=_rotated(ca.private_key_encrypted)
                )
                cas += 1
        self.stdout.write(
            f"Re-encrypted {users} service user(s) and {cas} project CA key(s) "
            "under the newest key."
        )
