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

    def handle(self, *args: Any, email: str, description: str, **options: Any) -> None:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user with the email address {email!r}; create one first.")
        if not user.is_active:
            raise CommandError(f"The user {user.email} is deactivated; activate them first.")
        if len(description) > 200:
            raise CommandError("The description is longer than 200 characters.")
        with transaction.atomic():
            row, token = ApiToken.issue(user, description)
            audit_log.record(
                "api_token.create",
                project=None,
                after={"owner": user.email, "token": row.prefix, "description": description},
            )
        self.stderr.write(
            f"Token {row.prefix}… for {user.email}. It is shown only now; "
            "use it as `avn --auth-token TOKEN` or `Authorization: aivenv1 TOKEN`."
        )
        self.stdout.write(token)
