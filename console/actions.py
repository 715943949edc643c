"""What a user asked of the platform inventory: validate, save with an audit event, announce.

Views, the API and admin call these; none of them writes inventory rows directly.
"""

import ipaddress
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest

from console import audit_log, catalog, signals, user_config
from console.errors import Conflict, InvalidInput, echo
from console.models import Project, ProjectVPC, Service, ServiceNode, User


def _on_commit_send(signal: Any, **kwargs: Any) -> None:
    transaction.on_commit(lambda: signal.send(sender=Service, **kwargs))


def create_project_vpc(
    project: Project,
    cloud: str,
    cidr: str,
    *,
    actor: User | None,
    request: HttpRequest | None = None,
) -> ProjectVPC:
    if cloud not in catalog.CLOUDS:
        raise InvalidInput(f"Choose one of the clouds {', '.join(catalog.CLOUDS)}.", field="cloud")
    vpc = ProjectVPC(project=project, cloud=cloud, cidr=cidr.strip())
    from django.core.exceptions import ValidationError

    try:
        vpc.clean()
    except ValidationError as exc:
        raise InvalidInput(exc.message_dict["cidr"][0], field="cidr") from exc
    with transaction.atomic():
        if ProjectVPC.objects.filter(project=project, cloud=cloud).exists():
            raise Conflict(f"Project {project.name} already has a VPC in {cloud}.", field="cloud")
        vpc.save()
        audit_log.record(
            "project_vpc.create",
            project=project,
            actor=actor,
            request=request,
            after={"cloud": cloud, "cidr": vpc.cidr},
        )
        _on_commit_send(signals.project_vpc_requested, project_vpc=vpc)
    return vpc


def node_addresses(vpc: ProjectVPC, count: int, taken: set[str]) -> list[str]:
    """Free addresses for new nodes, from the VPC's first /24 upwards (.10 on)."""
    found: list[str] = []
    for address in vpc.network.hosts():
        if int(address) & 0xFF < 10 or str(address) in taken:
            continue
        found.append(str(address))
        if len(found) == count:
            return found
    raise InvalidInput(
        f"The VPC {vpc.cidr} has no room for {count} more nodes.", field="node_count"
    )


def create_service(
    project: Project,
    *,
    name: str,
    service_type: str,
    plan: str,
    project_vpc: ProjectVPC | None,
    node_count: int | None = None,
    actor: User | None,
    request: HttpRequest | None = None,
) -> Service:
    if service_type not in catalog.SERVICE_TYPES:
        raise InvalidInput(
            f"Unknown service type {echo(repr(service_type))}.", field="service_type"
        )
    if plan not in catalog.PLANS:
        raise InvalidInput(f"Choose one of the plans {', '.join(catalog.PLANS)}.", field="plan")
    kind = catalog.get_service_type(service_type)
    count = node_count or kind.default_nodes
    if not 1 <= count <= 9:
        raise InvalidInput("A service has 1 to 9 nodes.", field="node_count")
    if project_vpc is not None and project_vpc.project_id != project.pk:
        raise InvalidInput("Choose a Project VPC of this project.", field="project_vpc")
    service = Service(
        project=project, name=name, service_type=service_type, plan=plan, project_vpc=project_vpc
    )
    from django.core.exceptions import ValidationError

    try:
        service.full_clean(exclude=["project", "project_vpc"], validate_unique=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise InvalidInput(messages[0], field=field) from exc
    try:
        with transaction.atomic():
            service.save()
            zones = [s["availability_zone"] for s in project_vpc.subnets] if project_vpc else []
            zones = zones or [f"{service.cloud.removeprefix('aws-')}{z}" for z in "abc"]
            addresses = (
                node_addresses(
                    project_vpc,
                    count,
                    set(
                        ServiceNode.objects.filter(service__project_vpc=project_vpc).values_list(
                            "private_ip", flat=True
                        )
                    ),
                )
                if project_vpc
                else [str(ipaddress.IPv4Address("10.255.0.10") + i) for i in range(count)]
            )
            ServiceNode.objects.bulk_create(
                ServiceNode(
                    service=service,
                    name=f"{name}-{i + 1}",
                    private_ip=address,
                    availability_zone=zones[i % len(zones)],
                )
                for i, address in enumerate(addresses)
            )
            audit_log.record(
                "service.create",
                project=project,
                service=service,
                actor=actor,
                request=request,
                after={"service_type": service_type, "plan": plan, "node_count": count},
            )
    except IntegrityError as exc:
        raise Conflict(
            f"A service named {name} already exists in {project.name}.", field="name"
        ) from exc
    return service


def update_user_config(
    service: Service,
    change: dict[str, Any],
    *,
    actor: User | None,
    request: HttpRequest | None = None,
) -> Service:
    """Merge `change` into the service's user config, validate the result, save it."""
    if not isinstance(change, dict):
        raise InvalidInput("user_config must be an object.", field="user_config")
    with transaction.atomic():
        # Re-read inside the transaction so that two concurrent edits merge, not overwrite.
        current = Service.objects.select_related("project", "project_vpc").get(pk=service.pk)
        before = current.user_config
        after = user_config.merge(before, change)
        user_config.validate(current, after)
        if after == before:
            return current
        current.user_config = after
        current.save(update_fields=["user_config", "updated"])
        audit_log.record(
            "service.user_config",
            project=current.project,
            service=current,
            actor=actor,
            request=request,
            before=before,
            after=after,
        )
        _on_commit_send(signals.user_config_changed, service=current, before=before, after=after)
    return current
