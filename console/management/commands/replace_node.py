"""`manage.py replace_node PROJECT SERVICE NODE`: replace one node as maintenance does (a new
private IP); the PrivateLink re-registers its targets."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from console import actions
from console.errors import ActionError
from console.models import ServiceNode


class Command(BaseCommand):
    help = "Replace one node of a service: it gets a new private IP from the Project VPC."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("project")
        parser.add_argument("service")
        parser.add_argument("node", help="the node's name, such as my-kafka-1")

    def handle(self, *args: Any, project: str, service: str, node: str, **options: Any) -> None:
        found = (
            ServiceNode.objects.select_related("service")
            .filter(service__project__name=project, service__name=service, name=node)
            .first()
        )
        if found is None:
            raise CommandError(f"No node {node} in service {service} of project {project}.")
        before = found.private_ip
        try:
            replaced = actions.replace_node(found, actor=None)
        except ActionError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Replaced {node}: {before} -> {replaced.private_ip}.")
