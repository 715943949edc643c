"""The periodic sweep: find PrivateLinks whose AWS side drifted or is in transition (and
Project VPCs in transition), poll connections, and remove leaked resources of this
deployment. It reports what needs a reconcile; the sweep task queues it.

AWS is observed in a few batched calls per platform account and region (this deployment's
endpoint services by tag, their connections by ServiceIds), in the largest batches AWS
allows; the leak scan and the quota refresh run per account too. Principals and
listeners have no batched describe, so each sweep compares them for a rotating slice of
the settled PrivateLinks (PRIVATELINK_DEEP_CHECK_SWEEPS). The leak scan runs in one sweep
of PRIVATELINK_LEAK_SCAN_SWEEPS, and describes the tags only of load balancers and target
groups whose name says they belong to a PrivateLink without a row.
"""

import logging
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from console import catalog
from console.models import ProjectVPC, Service
from privatelink import hosts, placement
from privatelink.clouds.aws.gateway import AwsEndpointService, Gateway, GatewayError, Tagged
from privatelink.clouds.aws.gateway.route53 import DnsRecord
from privatelink.engine import lease, naming
from privatelink.engine.reconcile import GatewayFactory
from privatelink.hosts import connection_host
from privatelink.models import (
    Listener,
    OrphanSighting,
    PlatformAccount,
    PrivateLink,
    PrivateLinkConnection,
)

logger = logging.getLogger(__name__)

QUOTA_CHECK_INTERVAL = timedelta(hours=1)


@dataclass
class SweepReport:
    queued: set[int] = field(default_factory=set)  # service ids to reconcile
    project_vpcs: set[int] = field(default_factory=set)  # Project VPC ids to reconcile
    drifted: set[int] = field(default_factory=set)  # service ids
    removed: list[str] = field(default_factory=list)  # leaked resource ids deleted
    leak_scan: bool = False  # whether this sweep looked for leaked resources


def sweep(gateway_factory: GatewayFactory | None = None, turn: int | None = None) -> SweepReport:
    """One pass over every PrivateLink; a second sweep started meanwhile does nothing.

    `turn` picks the slice of links whose principals and listeners are compared; by
    default it follows the clock, so consecutive sweeps take consecutive slices.
    """
    if turn is None:
        turn = int(time.time() // max(1, settings.PRIVATELINK_SWEEP_SECONDS))
    with lease.held("sweep", seconds=max(60, 2 * settings.PRIVATELINK_SWEEP_SECONDS)) as held:
        if not held.claimed:
            return SweepReport()
        return _sweep(gateway_factory, turn)


def deep_check_due(link: PrivateLink, turn: int) -> bool:
    """Whether this sweep compares the link's principals and listeners with AWS."""
    every = settings.PRIVATELINK_DEEP_CHECK_SWEEPS
    return link.pk % every == turn % every


def leak_scan_due(turn: int) -> bool:
    return turn % settings.PRIVATELINK_LEAK_SCAN_SWEEPS == 0


def _sweep(gateway_factory: GatewayFactory | None, turn: int) -> SweepReport:
    report = SweepReport(leak_scan=leak_scan_due(turn))
    links = list(
        PrivateLink.objects.select_related("service__project", "service__project_vpc__placement")
        .prefetch_related("connections", "listeners")
        .order_by("pk")
    )
    settled_by_account: dict[int, list[PrivateLink]] = defaultdict(list)
    for link in links:
        if _needs_work(link):
            report.queued.add(link.service_id)
        elif link.aws_service_id and link.service.project_vpc and not _failed(link):
            settled_by_account[placement.account_id_for(link.service.project_vpc)].append(link)
    for account in _accounts():
        gateway = (gateway_factory or Gateway)(account.region, role_arn=account.role_arn)
        settled = settled_by_account.get(account.pk, [])
        try:
            _refresh_quotas(gateway, account)
            ours = gateway.our_endpoint_services() if settled or report.leak_scan else []
            report.drifted |= _drifted(gateway, settled, turn, ours)
            if report.leak_scan:
                report.removed += _remove_leaks(gateway, {link.pk for link in links}, ours, account)
        except GatewayError as exc:
            logger.warning("Sweep of %s stopped early: %s", account, exc)
    report.queued |= report.drifted
    # A terminating service without a PrivateLink only waits for its row to be deleted,
    # and a new one for its build to finish (should its first reconcile have been lost).
    report.queued |= set(
        Service.objects.filter(
            Q(state=Service.State.DELETING, privatelink__isnull=True)
            | Q(state=Service.State.REBUILDING)
        ).values_list("pk", flat=True)
    )
    # VPCs in transition (being built or deleted) until their reconcile finishes.
    in_transition = (ProjectVPC.State.CREATING, ProjectVPC.State.DELETING)
    report.project_vpcs = set(
        ProjectVPC.objects.filter(state__in=in_transition).values_list("pk", flat=True)
    )
    return report


def _accounts() -> list[PlatformAccount]:
    """Every account configured for a cloud in use, and any that still holds a VPC."""
    # The platform's own region counts when the catalog offers it.
    home = catalog.cloud_in("aws", settings.AWS_REGION)
    clouds = {home.name} if home else set()
    clouds |= set(ProjectVPC.objects.values_list("cloud", flat=True))
    for cloud in sorted(clouds):
        placement.accounts_of(cloud)
    return list(PlatformAccount.objects.order_by("region", "pk"))


def _refresh_quotas(gateway: Gateway, account: PlatformAccount) -> None:
    """Quotas change only when raised on request: look at most once an hour."""
    checked = account.quotas_checked
    if checked is None or timezone.now() - checked > QUOTA_CHECK_INTERVAL:
        placement.record_quotas(account, gateway.account_limits())


def _failed(link: PrivateLink) -> bool:
    return link.generation_failed


def _needs_work(link: PrivateLink) -> bool:
    """Unconverged or in transition, judged from the database alone."""
    if link.state == PrivateLink.State.DELETING:
        return True
    if _failed(link):
        return False
    if link.state == PrivateLink.State.CREATING or link.observed_generation < link.generation:
        return True
    if any(c.state in PrivateLinkConnection.SETTLING for c in link.connections.all()):
        return True
    return any(row.health not in Listener.SETTLED_HEALTH for row in link.listeners.all())


def _drifted(
    gateway: Gateway, links: list[PrivateLink], turn: int, ours: list[AwsEndpointService]
) -> set[int]:
    """Service ids of settled PrivateLinks whose AWS side no longer matches the rows."""
    if not links:
        return set()
    drifted: set[int] = set()
    # One listing by tag instead of describes by id: a service missing from it (gone, or
    # its tags removed) is drifted, and its reconcile looks it up by id.
    services = {s.service_id: s for s in ours}
    observed: dict[str, dict[str, str]] = defaultdict(dict)
    for connection in gateway.connections(list(services)):
        observed[connection.service_id][connection.vpc_endpoint_id] = connection.state.lower()
    for link in links:
        service = services.get(link.aws_service_id)
        if service is None or service.state != "Available":
            drifted.add(link.service_id)
            continue
        known = {c.vpc_endpoint_id: c.aws_state.lower() for c in link.connections.all()}
        # New customer endpoints, and state changes made on the customer's side.
        if any(known.get(e) != s for e, s in observed[link.aws_service_id].items()):
            drifted.add(link.service_id)
            continue
        if not deep_check_due(link, turn):
            continue
        if gateway.allowed_principals(link.aws_service_id) != set(link.principals):
            drifted.add(link.service_id)
            continue
        ports = {listener.port for listener in gateway.listeners(link.nlb_arn)}
        if ports != {row.port for row in link.listeners.all()}:
            drifted.add(link.service_id)
            continue
        if link.nlb_arn and not gateway.cross_zone_enabled(link.nlb_arn):
            drifted.add(link.service_id)
    return drifted | _dns_drifted(
        gateway, [link for link in links if link.service_id not in drifted]
    )


def _dns_drifted(gateway: Gateway, links: list[PrivateLink]) -> set[int]:
    """Service ids whose published connection records are missing, point elsewhere or lack
    their ownership record."""
    expected = {
        connection_host(link.service, c.number): (
            link.service_id,
            DnsRecord(target=c.dns_name, owner=naming.dns_owner(link.pk)),
        )
        for link in links
        for c in link.connections.all()
        if c.dns_record_published
    }
    if not expected:
        return set()
    zone = gateway.hosted_zone(hosts.domain())
    records = gateway.dns_records(zone, expected)
    return {
        service_id for host, (service_id, record) in expected.items() if records.get(host) != record
    }


def _remove_leaks(
    gateway: Gateway,
    known_links: set[int],
    ours: list[AwsEndpointService],
    account: PlatformAccount,
) -> list[str]:
    """Delete resources tagged by this deployment for a PrivateLink that has no row, once
    they have been seen for the grace period. Untagged resources are never listed."""

    def leaked(resource: Tagged) -> bool:
        link_id = naming.privatelink_id_of(resource.owner)
        return link_id is not None and link_id not in known_links

    def maybe_leaked(name: str) -> bool:
        # Names are deterministic: only these need their tags described to be sure.
        link_id = naming.privatelink_id_of_name(name)
        return link_id is not None and link_id not in known_links

    services = [s for s in ours if leaked(s)]
    balancers = [lb for lb in gateway.our_load_balancers(maybe_leaked) if leaked(lb)]
    groups = [tg for tg in gateway.our_target_groups(maybe_leaked) if leaked(tg)]
    seen = {
        **{s.service_id: "endpoint-service" for s in services},
        **{lb.arn: "load-balancer" for lb in balancers},
        **{tg.arn: "target-group" for tg in groups},
    }
    due = _past_grace(seen, account.role_arn)
    removed: list[str] = []
    # AWS's order: endpoint services, then listeners and load balancers, then target groups.
    for service in services:
        if service.service_id in due and _try(gateway.delete_endpoint_service, service.service_id):
            removed.append(service.service_id)
    for balancer in balancers:
        if balancer.arn in due:
            for listener in gateway.listeners(balancer.arn):
                gateway.delete_listener(listener.arn)
            if _try(gateway.delete_load_balancer, balancer.arn):
                removed.append(balancer.arn)
    for group in groups:
        if group.arn in due and _try(gateway.delete_target_group, group.arn):
            removed.append(group.arn)
    OrphanSighting.objects.filter(resource_id__in=removed).delete()
    return removed


def _past_grace(seen: dict[str, str], account: str) -> set[str]:
    """Record first sightings; forget resources no longer seen; return those seen long enough.

    Only the sightings of the account scanned (its role ARN) are compared with `seen`.
    """
    now = timezone.now()
    sightings = OrphanSighting.objects.filter(account=account)
    known = {s.resource_id: s for s in sightings}
    sightings.exclude(resource_id__in=list(seen)).delete()
    OrphanSighting.objects.bulk_create(
        [
            OrphanSighting(resource_id=r, kind=k, account=account)
            for r, k in seen.items()
            if r not in known
        ],
        ignore_conflicts=True,
    )
    cutoff = now - timedelta(seconds=settings.PRIVATELINK_ORPHAN_GRACE_SECONDS)
    return {r for r in seen if (known[r].first_seen if r in known else now) <= cutoff}


def _try(delete: Callable[[str], None], resource_id: str) -> bool:
    try:
        delete(resource_id)
    except GatewayError as exc:
        # A target group still in use by a deleting NLB: the next sweep gets it.
        logger.info("Leaked %s not removed yet: %s", resource_id, exc)
        return False
    return True
