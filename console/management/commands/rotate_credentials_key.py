"""`manage.py rotate_credentials_key`: re-encrypt every service password under the first key
of CREDENTIALS_ENCRYPTION_KEYS, so that the older keys can then be dropped."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from console import credentials
from console.models import ServiceUser


class Command(BaseCommand):
    help = "Re-encrypt service passwords under the newest CREDENTIALS_ENCRYPTION_KEYS key."

    def handle(self, *args: Any, **options: Any) -> None:
        cipher = credentials.cipher()
        rotated = 0
        with transaction.atomic():
            for user in ServiceUser.objects.select_for_update().only("pk", "password_encrypted"):
                token = cipher.rotate(user.password_encrypted.encode()).decode()
                ServiceUser.objects.filter(pk=user.pk).update(password_encrypted=token)
                rotated += 1
        self.stdout.write(f"Re-encrypted {rotated} service password(s) under the newest key.")
