"""The load balancer, the private link service and its visibility of one PrivateLink.

Each step reads first: what an earlier (possibly crashed) run made is found by its
deterministic name and taken only if its tags say it is this link's. What Azure reports is
written to the link's `AzurePrivateLink` row (load balancer id, alias, service id, state).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

from privatelink.clouds.azure.errors import Terminal
from privatelink.clouds.azure.load_balancers import AzureLoadBalancer
from privatelink.clouds.azure.names import load_balancer_name, private_link_service_name
from privatelink.clouds.azure.operations import AzureGateway
from privatelink.clouds.azure.private_link import AzurePrivateLinkService
from privatelink.clouds.errors import InProgress
from privatelink.engine.run import Run
from privatelink.models import AzurePrivateLink, PrivateLink

SUCCEEDED = "Succeeded"
FAILED = "Failed"


@dataclass(frozen=True)
class PublishedPrivateLinkService:
    """The private link service as the engine sees a published service."""

    service: AzurePrivateLinkService

    @property
    def service_id(self) -> str:
        return self.service.id

    @property
    def available(self) -> bool:
        return self.service.provisioning_state == SUCCEEDED


def details(link: PrivateLink) -> AzurePrivateLink:
    """The link's Azure row (made here for a link created before it had one)."""
    try:
        return link.azure
    except AzurePrivateLink.DoesNotExist:
        row, _ = AzurePrivateLink.objects.get_or_create(privatelink=link)
        link.azure = row
        return row


def _refuse_foreign(found: AzureLoadBalancer | AzurePrivateLinkService | None, run: Run) -> None:
    if found is not None and not found.owned_by(run.owner):
        raise Terminal(
            "NameTakenByAnother",
            f"{found.id} exists without this console's tags for {run.owner}; it is left "
            "alone. Remove or rename it.",
            "find",
        )


def _settled(run: Run, what: str, state: str) -> bool:
    """Whether a resource in ARM's `state` is ready; a failed one stops the run."""
    if state == SUCCEEDED:
        return True
    if state == FAILED:
        raise Terminal("ProvisioningFailed", f"Azure reports the {what} as failed.", "")
    # Found still provisioning: look again when the gateway would have (no worker waits).
    run.wait(settings.AZURE_POLLING_INTERVAL)
    return False


def ensure_load_balancer(
    run: Run, gateway: AzureGateway, frontend_subnet_id: Callable[[], str]
) -> AzureLoadBalancer | None:
    """The link's load balancer once provisioned; None (and a requeue) until then.

    `frontend_subnet_id` is asked only when the load balancer must be created."""
    link = run.privatelink
    name = load_balancer_name(link.pk)
    balancer = gateway.load_balancer(name)
    _refuse_foreign(balancer, run)
    if balancer is None:
        try:
            balancer = gateway.create_load_balancer(name, frontend_subnet_id(), run.owner)
        except InProgress:
            # Made, and still being provisioned: a later run finds it by its name.
            run.event("load_balancer_created", load_balancer=name)
            raise
        run.event("load_balancer_created", load_balancer=name)
    details(link).save_changes(load_balancer_id=balancer.id)
    return balancer if _settled(run, "load balancer", balancer.provisioning_state) else None


def ensure_private_link_service(
    run: Run, gateway: AzureGateway, balancer: AzureLoadBalancer, nat_subnet_id: Callable[[], str]
) -> PublishedPrivateLinkService | None:
    """The private link service behind the load balancer's frontend once provisioned."""
    link = run.privatelink
    name = private_link_service_name(link.pk)
    service = gateway.private_link_service(name)
    _refuse_foreign(service, run)
    row = details(link)
    if service is None:
        if row.service_id:
            run.event("drift_repaired", resource="private link service", missing=row.service_id)
        service = gateway.create_private_link_service(
            name, balancer.frontend_id, nat_subnet_id(), link.principals, run.owner
        )
    was_ready = row.provisioning_state == SUCCEEDED
    row.save_changes(
        service_alias=service.alias,
        service_id=service.id,
        provisioning_state=service.provisioning_state,
    )
    if not _settled(run, "private link service", service.provisioning_state):
        return None
    if not was_ready:
        run.event("private_link_service_available", service_alias=service.alias)
    return PublishedPrivateLinkService(service)


def ensure_visibility(run: Run, gateway: AzureGateway, service_id: str, settled: bool) -> None:
    """The subscriptions that see the service are exactly the link's allow-list.

    `settled`: the user changed nothing since the last run, so a difference was made behind
    the console's back and is reported as repaired drift."""
    name = service_name(service_id)
    found = gateway.private_link_service(name)
    desired = frozenset(run.privatelink.principals)
    current = found.visibility if found else frozenset()
    if found is None or current == desired:
        return
    gateway.set_visibility(name, desired)
    if settled:
        run.event(
            "drift_repaired",
            resource="visible subscriptions",
            added=sorted(desired - current),
            removed=sorted(current - desired),
        )


def service_name(service_id: str) -> str:
    """A private link service's name, from its resource id."""
    return service_id.rstrip("/").rsplit("/", 1)[-1]
