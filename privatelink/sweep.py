"""The periodic sweep: find PrivateLinks whose cloud side drifted or is in transition (and
Project VPCs in transition), poll connections, and remove leaked resources of this
deployment. It reports what needs a reconcile; the sweep task queues it.

The cloud is observed through each platform account's driver in a few batched calls (this
deployment's published services in one listing, their connections by service id); the
leak scan and the quota refresh run per account too. Allow-lists and ports have no batched
read, so each sweep compares them for a rotating slice of the settled PrivateLinks
(PRIVATELINK_DEEP_CHECK_SWEEPS). The leak scan runs in one sweep of
PRIVATELINK_LEAK_SCAN_SWEEPS; the driver finds the resources of PrivateLinks without a row,
and the sweep removes them once seen for the grace period.
"""

import logging
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from console import catalog
from console.models import ProjectVPC, Service
from privatelink import placement
from privatelink.clouds import registry
from privatelink.clouds.driver import CloudDriver, PublishedService
from privatelink.clouds.errors import GatewayError
from privatelink.engine import connection_dns, lease
from privatelink.engine.reconcile import GatewayFactory
from privatelink.models import (
    Listener,
    OrphanSighting,
    PlatformAccount,
    PrivateLink,
    PrivateLinkConnection,
)

logger = logging.getLogger(__name__)

QUOTA_CHECK_INTERVAL = timedelta(hours=1)
# The platform's own cloud, and that of an account whose region no catalog cloud names.
ACCOUNT_PROVIDER = "aws"


@dataclass
class SweepReport:
    queued: set[int] = field(default_factory=set)  # service ids to reconcile
    project_vpcs: set[int] = field(default_factory=set)  # Project VPC ids to reconcile
    drifted: set[int] = field(default_factory=set)  # service ids
    removed: list[str] = field(default_factory=list)  # leaked resource ids deleted
    leak_scan: bool = False  # whether this sweep looked for leaked resources


def sweep(
    gateway_factory: GatewayFactory | None = None,
    turn: int | None = None,
    provider: str | None = None,
) -> SweepReport:
    """One pass over the PrivateLinks, Project VPCs and accounts of one cloud provider
    (the worker serving its queue loads only its driver), or of every provider; a second
    sweep of the same started meanwhile does nothing.

    `turn` picks the slice of links whose principals and listeners are compared; by
    default it follows the clock, so consecutive sweeps take consecutive slices.
    """
    if turn is None:
        turn = int(time.time() // max(1, settings.PRIVATELINK_SWEEP_SECONDS))
    key = "sweep" if provider is None else f"sweep:{provider}"
    with lease.held(key, seconds=max(60, 2 * settings.PRIVATELINK_SWEEP_SECONDS)) as held:
        if not held.claimed:
            return SweepReport()
        return _sweep(gateway_factory, turn, _Scope(provider))


def deep_check_due(link: PrivateLink, turn: int) -> bool:
    """Whether this sweep compares the link's allow-list and ports with the cloud."""
    every = settings.PRIVATELINK_DEEP_CHECK_SWEEPS
    return link.pk % every == turn % every


def leak_scan_due(turn: int) -> bool:
    return turn % settings.PRIVATELINK_LEAK_SCAN_SWEEPS == 0


@dataclass(frozen=True)
class _Scope:
    """The provider a sweep covers (None: every one), as catalog clouds."""

    provider: str | None

    @property
    def clouds(self) -> list[str]:
        return [c.name for c in catalog.CLOUD_CATALOG.values() if self.covers(c.provider)]

    def covers(self, provider: str) -> bool:
        return self.provider in (None, provider)


def _sweep(gateway_factory: GatewayFactory | None, turn: int, scope: _Scope) -> SweepReport:
    report = SweepReport(leak_scan=leak_scan_due(turn))
    links = list(
        PrivateLink.objects.filter(service__cloud__in=scope.clouds)
        .select_related("service__project", "service__project_vpc__placement", "aws", "azure")
        .prefetch_related("connections", "listeners")
        .order_by("pk")
    )
    settled_by_account: dict[int, list[PrivateLink]] = defaultdict(list)
    for link in links:
        if _needs_work(link):
            report.queued.add(link.service_id)
        elif link.service.project_vpc and not _failed(link):
            settled_by_account[placement.account_id_for(link.service.project_vpc)].append(link)
    # Every link's, whatever its cloud: no resource of a link with a row is a leak.
    known = set(PrivateLink.objects.values_list("pk", flat=True)) if report.leak_scan else set()
    for provider, account in _accounts():
        if not scope.covers(provider):
            continue
        driver = registry.driver_for(
            provider, account.region, account.role_arn, client_factory=gateway_factory
        )
        # Only links whose published service the rows record are compared with the cloud.
        settled = [
            link
            for link in settled_by_account.get(account.pk, [])
            if driver.published_service_id(link)
        ]
        try:
            _refresh_quotas(driver, account)
            ours = driver.published_services() if settled or report.leak_scan else []
            report.drifted |= _drifted(driver, settled, turn, ours)
            if report.leak_scan:
                sightings = _sightings_key(provider, account)
                report.removed += _remove_leaks(driver, known, ours, sightings)
        except GatewayError as exc:
            logger.warning("Sweep of %s stopped early: %s", account, exc)
    report.queued |= report.drifted
    # A terminating service without a PrivateLink only waits for its row to be deleted,
    # and a new one for its build to finish (should its first reconcile have been lost).
    report.queued |= set(
        Service.objects.filter(
            Q(state=Service.State.DELETING, privatelink__isnull=True)
            | Q(state=Service.State.REBUILDING),
            cloud__in=scope.clouds,
        ).values_list("pk", flat=True)
    )
    # VPCs in transition (being built or deleted) until their reconcile finishes.
    in_transition = (ProjectVPC.State.CREATING, ProjectVPC.State.DELETING)
    report.project_vpcs = set(
        ProjectVPC.objects.filter(state__in=in_transition, cloud__in=scope.clouds).values_list(
            "pk", flat=True
        )
    )
    return report


def _accounts() -> list[tuple[str, PlatformAccount]]:
    """Every account configured for a cloud in use, and any that still holds a VPC, with
    the provider whose driver reaches it (the provider of the catalog cloud of its region)."""
    # The platform's own region counts when the catalog offers it.
    home = catalog.cloud_in(ACCOUNT_PROVIDER, settings.AWS_REGION)
    clouds = {home.name} if home else set()
    clouds |= set(ProjectVPC.objects.values_list("cloud", flat=True))
    for cloud in sorted(clouds):
        placement.accounts_of(cloud)
    # By the whole catalog: an account whose VPCs are all gone still has its cloud's driver.
    providers = {c.region: c.provider for c in catalog.CLOUD_CATALOG.values()}
    return [
        (providers.get(account.region, ACCOUNT_PROVIDER), account)
        for account in PlatformAccount.objects.order_by("region", "pk")
    ]


def _sightings_key(provider: str, account: PlatformAccount) -> str:
    """Whose leak sightings a scan compares: an AWS account's by its role ARN (as always);
    another cloud's by provider and region, so that its scan never forgets AWS's."""
    if provider == ACCOUNT_PROVIDER:
        return account.role_arn
    return f"{provider}:{account.region}"


def _refresh_quotas(driver: CloudDriver, account: PlatformAccount) -> None:
    """Quotas change only when raised on request: look at most once an hour."""
    checked = account.quotas_checked
    if checked is None or timezone.now() - checked > QUOTA_CHECK_INTERVAL:
        placement.record_quotas(account, driver.account_limits())


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
    driver: CloudDriver, links: list[PrivateLink], turn: int, ours: Sequence[PublishedService]
) -> set[int]:
    """Service ids of settled PrivateLinks whose cloud side no longer matches the rows."""
    if not links:
        return set()
    drifted: set[int] = set()
    # One listing instead of reads by id: a service missing from it (gone, or its
    # ownership marks removed) is drifted, and its reconcile looks it up by id.
    services = {s.service_id: s for s in ours}
    observed: dict[str, dict[str, str]] = defaultdict(dict)
    for connection in driver.observe_connections(list(services)):
        observed[connection.service_id][connection.endpoint_id] = connection.status.lower()
    for link in links:
        service_id = driver.published_service_id(link)
        service = services.get(service_id)
        if service is None or not service.available:
            drifted.add(link.service_id)
            continue
        known = {c.endpoint_id: c.cloud_state.lower() for c in link.connections.all()}
        # New customer endpoints, and state changes made on the customer's side.
        if any(known.get(e) != s for e, s in observed[service_id].items()):
            drifted.add(link.service_id)
            continue
        if deep_check_due(link, turn) and driver.deep_drifted(link):
            drifted.add(link.service_id)
    return drifted | connection_dns.drifted(
        driver.dns, [link for link in links if link.service_id not in drifted]
    )


def _remove_leaks(
    driver: CloudDriver,
    known_links: set[int],
    ours: Sequence[PublishedService],
    sightings: str,
) -> list[str]:
    """Delete resources marked by this deployment for a PrivateLink that has no row, once
    they have been seen for the grace period. Unmarked resources are never listed."""
    found = driver.leaks(known_links, ours)
    due = _past_grace({leak.resource_id: leak.kind for leak in found}, sightings)
    removed = driver.remove_leaks([leak for leak in found if leak.resource_id in due])
    OrphanSighting.objects.filter(resource_id__in=removed).delete()
    return removed


def _past_grace(seen: dict[str, str], account: str) -> set[str]:
    """Record first sightings; forget resources no longer seen; return those seen long enough.

    Only the sightings of the account scanned (`_sightings_key`) are compared with `seen`.
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
