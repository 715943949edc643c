"""`manage.py create_api_token EMAIL`: issue an API token, printed once alone on the last line."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from console import audit_log
from console.models import ApiToken, User


class Command(BaseCommand):
    help = "Issue an API token for a user; the token is printed once and stored hashed."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("email", help="email address of the user the token acts for")
        parser.add_argument("--description", default="", help="what the token is for")
        parser.add_argument(
            "--max-age-seconds", type=int, default=None, help="lifetime; default: until revoked"
        )
        parser.add_argument(
            "--extend-when-used", action="store_true", help="each use restarts the lifetime"
        )

    def handle(
        self,
        *args: Any,
        email: str,
        description: str,
        max_age_seconds: int | None,
        extend_when_used: bool,
        **options: Any,
    ) -> None:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user with the email address {email!r}; create one first.")
        if not user.is_active:
            raise CommandError(f"The user {user.email} is deactivated; activate them first.")
        if len(description) > 200:
            raise CommandError("The description is longer than 200 characters.")
        if max_age_seconds is not None and max_age_seconds < 60:
            raise CommandError("--max-age-seconds must be at least 60.")
        if extend_when_used and max_age_seconds is None:
            raise CommandError("--extend-when-used needs --max-age-seconds.")
        with transaction.atomic():
            row, token = ApiToken.issue(
                user,
                description,
                max_age_seconds=max_age_seconds,
                extend_when_used=extend_when_used,
            )
            audit_log.record(
                "api_token.create",
                project=None,
                after={
                    "owner": user.email,
                    "token": row.prefix,
                    "description": description,
                    "max_age_seconds": max_age_seconds,
                    "extend_when_used": row.extend_when_used,
                },
            )
        self.stderr.write(
            f"Token {row.prefix}… for {user.email}. It is shown only now; "
            "use it as `avn --auth-token TOKEN` or `Authorization: aivenv1 TOKEN`."
        )
        self.stdout.write(token)
