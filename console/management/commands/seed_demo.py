"""`manage.py seed_demo`: the documented example set-up, created once and kept on re-runs.

User demo@example.com (admin of project demo), a read-only viewer@example.com, a Project
VPC in aws-eu-west-1 (10.0.0.0/16) with the services my-kafka and my-pg, and one in
azure-eastus (10.30.0.0/16) with the service my-kafka-eastus, and one in google-us-east1
(10.40.0.0/16) with the service my-pg-useast. Everything goes through
console.actions, so the engine builds the VPCs as it would for a person.
"""

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from console import actions, signals
from console.models import Membership, Project, ProjectVPC, Role, Service, User

DEMO_EMAIL = "demo@example.com"
VIEWER_EMAIL = "viewer@example.com"
PROJECT = "demo"


@dataclass(frozen=True)
class DemoVPC:
    """A Project VPC of the demo and the services that run in it."""

    cloud: str
    cidr: str
    services: tuple[dict[str, str], ...]


DEMO_VPCS = (
    DemoVPC(
        "aws-eu-west-1",
        "10.0.0.0/16",
        (
            {"name": "my-kafka", "service_type": "kafka", "plan": "business-4"},
            {"name": "my-pg", "service_type": "pg", "plan": "business-4"},
        ),
    ),
    # Not azure-westeurope: the README's Azure walkthrough creates the project's VPC there,
    # and a project has one VPC per cloud.
    DemoVPC(
        "azure-eastus",
        "10.30.0.0/16",
        ({"name": "my-kafka-eastus", "service_type": "kafka", "plan": "business-4"},),
    ),
    # Not google-europe-west1, for the same reason; clear of 172.24.0.0/16, which Google's
    # Private Service Connect NAT subnets take.
    DemoVPC(
        "google-us-east1",
        "10.40.0.0/16",
        ({"name": "my-pg-useast", "service_type": "pg", "plan": "business-4"},),
    ),
)


def demo_password() -> tuple[str, str]:
    """DEMO_PASSWORD, else the one generated on the first run (kept under var/), else a new one."""
    given = os.environ.get("DEMO_PASSWORD", "")
    if given:
        return given, "from DEMO_PASSWORD"
    saved = Path(settings.VAR_DIR) / "demo-password"
    if saved.exists() and saved.read_text().strip():
        return saved.read_text().strip(), f"kept in {saved}"
    password = secrets.token_urlsafe(12)
    saved.parent.mkdir(parents=True, exist_ok=True)
    saved.touch(mode=0o600)
    saved.write_text(password + "\n")
    return password, f"generated, kept in {saved}"


class Command(BaseCommand):
    help = "Create the demo users, project, Project VPCs and services (keeps what exists)."

    def handle(self, *args: Any, **options: Any) -> None:
        password, origin = demo_password()
        demo = self._user(DEMO_EMAIL, password)
        viewer = self._user(VIEWER_EMAIL, password)
        project, _ = Project.objects.get_or_create(name=PROJECT)
        Membership.objects.update_or_create(
            user=demo, project=project, defaults={"role": Role.ADMIN}
        )
        Membership.objects.update_or_create(
            user=viewer, project=project, defaults={"role": Role.READ_ONLY}
        )

        for demo_vpc in DEMO_VPCS:
            self._vpc_with_services(project, demo_vpc, demo)
        self.stdout.write(
            f"Log in as {DEMO_EMAIL} (admin) or {VIEWER_EMAIL} (read-only) "
            f"with the password {password} ({origin})."
        )

    def _vpc_with_services(self, project: Project, demo_vpc: DemoVPC, actor: User) -> None:
        vpc = ProjectVPC.objects.filter(project=project, cloud=demo_vpc.cloud).first()
        if vpc is None:
            vpc = actions.create_project_vpc(project, demo_vpc.cloud, demo_vpc.cidr, actor=actor)
            self.stdout.write(f"Created the Project VPC {demo_vpc.cidr} in {demo_vpc.cloud}.")
        else:
            # The local fake clouds forget everything when they stop: ask the engine to
            # make sure the VPC exists again. Reconciling is idempotent, so this is
            # harmless when it does.
            signals.project_vpc_requested.send(sender=Service, project_vpc=vpc)
        for spec in demo_vpc.services:
            if Service.objects.filter(project=project, name=spec["name"]).exists():
                continue
            actions.create_service(project, project_vpc=vpc, actor=actor, **spec)  # type: ignore[arg-type]
            self.stdout.write(f"Created the service {spec['name']}.")

    def _user(self, email: str, password: str) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            return User.objects.create_user(email, password)
        if not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        return user
