"""What a user asked of the platform inventory: validate, save with an audit event, announce.

Views, the API and admin call these; none of them writes inventory rows directly.
"""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest

from console import audit_log, catalog, credentials, nodes, signals, user_config
from console.errors import Conflict, InvalidInput, echo
from console.models import Project, ProjectVPC, Service, ServiceNode, ServiceUser, User


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


def set_privatelink_limit(
    project: Project,
    limit: int | None,
    *,
    actor: User | None,
    request: HttpRequest | None = None,
) -> Project:
    """Give the project its own limit of PrivateLinks per region (None: the platform's
    default). Links it has beyond a lowered limit stay; only new ones are refused."""
    if limit is not None and limit < 0:
        raise InvalidInput("The limit cannot be negative.", field="privatelink_limit")
    with transaction.atomic():
        current = Project.objects.select_for_update().get(pk=project.pk)
        if current.privatelink_limit == limit:
            return current
        before = current.privatelink_limit
        current.privatelink_limit = limit
        current.save(update_fields=["privatelink_limit"])
        # Who gave a tenant a larger share of the shared accounts, and when.
        audit_log.record(
            "project.privatelink_limit",
            project=current,
            actor=actor,
            request=request,
            before={"privatelink_limit": before},
            after={"privatelink_limit": limit},
        )
    project.privatelink_limit = limit
    return current


def delete_project_vpc(
    vpc: ProjectVPC, *, actor: User | None, request: HttpRequest | None = None
) -> ProjectVPC:
    """Mark a Project VPC for deletion (state `deleting`); the engine removes it from AWS,
    then its row. Refused while services still run in it, since they would lose their network."""
    with transaction.atomic():
        current = ProjectVPC.objects.select_for_update().select_related("project").get(pk=vpc.pk)
        if current.state == ProjectVPC.State.DELETING:
            raise Conflict(
                f"The Project VPC {current.cidr} in {current.cloud} is already being deleted."
            )
        names = sorted(current.services.values_list("name", flat=True))
        if names:
            raise Conflict(
                f"The Project VPC {current.cidr} in {current.cloud} still has services "
                f"({', '.join(names)}); terminate them or move them out first.",
                field="project_vpc_id",
            )
        current.state = ProjectVPC.State.DELETING
        current.save(update_fields=["state", "updated"])
        audit_log.record(
            "project_vpc.delete",
            project=current.project,
            actor=actor,
            request=request,
            before={"cloud": current.cloud, "cidr": current.cidr, "aws_vpc_id": current.aws_vpc_id},
        )
        _on_commit_send(signals.project_vpc_requested, project_vpc=current)
    return current


def create_service(
    project: Project,
    *,
    name: str,
    service_type: str,
    plan: str,
    project_vpc: ProjectVPC | None,
    cloud: str | None = None,
    config: dict[str, Any] | None = None,
    actor: User | None,
    request: HttpRequest | None = None,
) -> Service:
    """Create a service in `project_vpc` (or none) with as many nodes as its plan runs.

    `cloud` defaults to the VPC's; given with a VPC it must be the VPC's cloud. The service
    is REBUILDING until its nodes are built (`service_nodes_changed`, sent on commit, lets
    the engine finish the build). `config`, its user config, is validated as a later
    change would be, so `privatelink_access` may be set before any PrivateLink exists: it
    is stored, and carried out once a PrivateLink is active.
    """
    if config is not None and not isinstance(config, dict):
        raise InvalidInput("user_config must be an object.", field="user_config")
    if service_type not in catalog.SERVICE_TYPES:
        raise InvalidInput(
            f"Unknown service type {echo(repr(service_type))}; choose one of "
            f"{', '.join(catalog.SERVICE_TYPES)}.",
            field="service_type",
        )
    if plan not in catalog.PLANS:
        raise InvalidInput(f"Choose one of the plans {', '.join(catalog.PLANS)}.", field="plan")
    if cloud is not None and cloud not in catalog.CLOUDS:
        raise InvalidInput(
            f"Unknown cloud {echo(repr(cloud))}; choose one of {', '.join(catalog.CLOUDS)}.",
            field="cloud",
        )
    if project_vpc is not None:
        if project_vpc.project_id != project.pk:
            raise InvalidInput("Choose a Project VPC of this project.", field="project_vpc")
        if project_vpc.state == ProjectVPC.State.DELETING:
            raise Conflict("This Project VPC is being deleted.", field="project_vpc")
        if cloud is not None and cloud != project_vpc.cloud:
            raise InvalidInput(
                f"The Project VPC is in {project_vpc.cloud}, not in {cloud}; "
                "a service runs in its VPC's cloud.",
                field="cloud",
            )
        cloud = project_vpc.cloud
    kind = catalog.get_service_type(service_type)
    count = kind.node_count(plan)
    service = Service(
        project=project,
        name=name,
        service_type=service_type,
        plan=plan,
        project_vpc=project_vpc,
        cloud=cloud or catalog.CLOUDS[0],
        state=Service.State.REBUILDING,
    )
    try:
        service.full_clean(exclude=["project", "project_vpc"], validate_unique=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise InvalidInput(messages[0], field=field) from exc
    try:
        with transaction.atomic():
            service.save()
            nodes.add_nodes(service, count)
            if config:
                # Checked once the nodes exist: the listener budget counts them. A refusal
                # rolls the whole creation back.
                user_config.validate(service, config)
                service.user_config = config
                service.save(update_fields=["user_config"])
            credentials.create_primary_user(service)
            audit_log.record_for_service(
                "service.create",
                service,
                actor=actor,
                request=request,
                after={
                    "service_type": service_type,
                    "plan": plan,
                    "cloud": service.cloud,
                    "node_count": count,
                    "user_config": service.user_config,
                },
            )
            _on_commit_send(signals.service_nodes_changed, service=service)
    except IntegrityError as exc:
        raise Conflict(
            f"A service named {name} already exists in {project.name}.", field="name"
        ) from exc
    return service


def _locked_service(service: Service) -> Service:
    """The row re-read inside the transaction, refusing changes to a terminating service."""
    # Only the service's row is locked: PostgreSQL cannot lock the nullable side of the
    # Project VPC's outer join.
    current = (
        Service.objects.select_for_update(of=("self",))
        .select_related("project", "project_vpc")
        .get(pk=service.pk)
    )
    if current.state == Service.State.DELETING:
        raise Conflict(f"{current.name} is being terminated and can no longer be changed.")
    return current


def change_plan(
    service: Service,
    plan: str,
    *,
    actor: User | None,
    request: HttpRequest | None = None,
) -> Service:
    """Move the service to another plan, adding or removing nodes to the plan's count.

    New nodes take free addresses of the Project VPC, in the emptiest zones; removed nodes
    are the highest-numbered, so the first nodes (and their PrivateLink ports) stay.
    """
    if plan not in catalog.PLANS:
        raise InvalidInput(f"Choose one of the plans {', '.join(catalog.PLANS)}.", field="plan")
    with transaction.atomic():
        current = _locked_service(service)
        if plan == current.plan:
            return current
        before = {
            "plan": current.plan,
            "nodes": sorted(current.nodes.values_list("name", flat=True)),
        }
        wanted = current.type.node_count(plan)
        have = len(before["nodes"])
        try:
            nodes.check_scaling(current, wanted)
        except InvalidInput as exc:
            raise InvalidInput(exc.message, field="plan") from exc
        if wanted > have:
            nodes.add_nodes(current, wanted - have)
        elif wanted < have:
            nodes.remove_nodes(current, have - wanted)
        current.plan = plan
        current.save(update_fields=["plan", "updated"])
        after = {"plan": plan, "nodes": sorted(current.nodes.values_list("name", flat=True))}
        audit_log.record_for_service(
            "service.plan", current, actor=actor, request=request, before=before, after=after
        )
        if wanted != have:
            _on_commit_send(signals.service_nodes_changed, service=current)
    return current


def replace_node(
    node: ServiceNode, *, actor: User | None, request: HttpRequest | None = None
) -> ServiceNode:
    """Replace one node, as maintenance does: same name and zone, a new private IP from its
    zone's subnet. The PrivateLink re-registers the node's targets; the others are untouched."""
    with transaction.atomic():
        service = _locked_service(node.service)
        current = ServiceNode.objects.get(pk=node.pk)
        before = current.private_ip
        (current.private_ip,) = nodes.free_addresses(
            service, current.availability_zone, 1, also_taken={before}
        )
        current.save(update_fields=["private_ip"])
        audit_log.record_for_service(
            "service.node_replace",
            service,
            actor=actor,
            request=request,
            before={"node": current.name, "private_ip": before},
            after={"node": current.name, "private_ip": current.private_ip},
        )
        _on_commit_send(signals.service_nodes_changed, service=service)
    return current


def terminate_service(
    service: Service, *, actor: User | None, request: HttpRequest | None = None
) -> Service:
    """Mark the service for termination (state DELETING). The engine tears down what was
    built for it (its PrivateLink, in AWS's order) and deletes the row once AWS is clean."""
    with transaction.atomic():
        current = _locked_service(service)
        current.state = Service.State.DELETING
        current.save(update_fields=["state", "updated"])
        before = {
            "service_type": current.service_type,
            "plan": current.plan,
            "cloud": current.cloud,
            "nodes": sorted(current.nodes.values_list("name", flat=True)),
        }
        audit_log.record_for_service(
            "service.terminate", current, actor=actor, request=request, before=before
        )
        _on_commit_send(signals.service_terminating, service=current)
    return current


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
        current = _locked_service(service)
        before = current.user_config
        after = user_config.merge(before, change)
        user_config.validate(current, after)
        if after == before:
            return current
        current.user_config = after
        current.save(update_fields=["user_config", "updated"])
        audit_log.record_for_service(
            "service.user_config", current, actor=actor, request=request, before=before, after=after
        )
        _on_commit_send(signals.user_config_changed, service=current, before=before, after=after)
    return current


# The platform accepts passwords of 8 to 256 characters when one is given.
GIVEN_PASSWORD_LENGTH = range(8, 257)


def _service_user(service: Service, username: str) -> ServiceUser:
    user = ServiceUser.objects.filter(service=service, username=username).first()
    if user is None:
        raise Http404(f"Service {service.name} has no user {username}.")
    return user


def reveal_password(
    service: Service, username: str, *, actor: User | None, request: HttpRequest | None = None
) -> str:
    """A user's clear-text password for a person who may see it; every reveal is audited."""
    user = _service_user(service, username)
    audit_log.record_for_service(
        "service_user.reveal", service, actor=actor, request=request, after={"username": username}
    )
    return credentials.decrypt(user.password_encrypted)


def access_certificate(service: Service, username: str) -> str:
    """A user's client certificate (not a secret: no audit); refused for types without one."""
    user = _service_user(service, username)
    if not user.access_cert:
        raise Http404(
            f"{service.name} is a {service.type.label} service: its users have no certificate."
        )
    return user.access_cert


def reveal_access_key(
    service: Service,
    username: str,
    *,
    actor: User | None,
    request: HttpRequest | None = None,
    how: str = "reveal",
) -> str:
    """A user's client private key for a person who may see it; every reveal or download is
    audited (`how` says which)."""
    user = _service_user(service, username)
    if not user.access_key_encrypted:
        raise Http404(f"{service.name} is a {service.type.label} service: its users have no key.")
    audit_log.record_for_service(
        f"service_user.{how}_access_key",
        service,
        actor=actor,
        request=request,
        after={"username": username},
    )
    return credentials.decrypt(user.access_key_encrypted)


def reset_password(
    service: Service,
    username: str,
    new_password: str | None = None,
    *,
    actor: User | None,
    request: HttpRequest | None = None,
) -> ServiceUser:
    """Give the user a new password (generated unless given); every route shows it at once,
    since they all read the one stored password. Audited without the password."""
    if new_password is not None and (
        not isinstance(new_password, str)
        or len(new_password) not in GIVEN_PASSWORD_LENGTH
        or not new_password.isprintable()
    ):
        raise InvalidInput(
            "A new password has 8 to 256 printable characters; leave it out to have one generated.",
            field="new_password",
        )
    with transaction.atomic():
        user = _service_user(service, username)
        user.password_encrypted = credentials.encrypt(
            new_password or credentials.generate_password()
        )
        user.save(update_fields=["password_encrypted", "updated"])
        audit_log.record_for_service(
            "service_user.reset_password",
            service,
            actor=actor,
            request=request,
            after={"username": username, "generated": new_password is None},
        )
    return user


# As the path parameter of the API names them: a letter first, then letters, digits, - and _.
USERNAME = re.compile(r"[a-z][a-z0-9_-]{0,62}")


def create_service_user(
    service: Service, username: str, *, actor: User | None, request: HttpRequest | None = None
) -> ServiceUser:
    """A new user with a generated password and, on Kafka, a client certificate of its own
    from the project's CA. Audited without the secrets."""
    if not isinstance(username, str) or not USERNAME.fullmatch(username):
        raise InvalidInput(
            f"Invalid user name {echo(repr(username))}: use 1 to 63 lower-case letters, digits, "
            "'-' or '_', starting with a letter.",
            field="username",
        )
    with transaction.atomic():
        current = _locked_service(service)
        if ServiceUser.objects.filter(service=current, username=username).exists():
            raise Conflict(f"{current.name} already has a user {username}.", field="username")
        user = credentials.create_user(current, username)
        audit_log.record_for_service(
            "service_user.create",
            current,
            actor=actor,
            request=request,
            after={"username": username, "certificate": bool(user.access_cert)},
        )
    return user


def delete_service_user(
    service: Service, username: str, *, actor: User | None, request: HttpRequest | None = None
) -> None:
    """Remove a user; the primary user stays, since the service's URIs log in with it."""
    with transaction.atomic():
        current = _locked_service(service)
        user = _service_user(current, username)
        if user.type == ServiceUser.Type.PRIMARY:
            raise InvalidInput(
                f"{username} is the primary user of {current.name} and cannot be deleted; "
                "reset its password instead (avn service user-password-reset).",
                field="username",
            )
        user.delete()
        audit_log.record_for_service(
            "service_user.delete",
            current,
            actor=actor,
            request=request,
            before={"username": username, "type": user.type},
        )
