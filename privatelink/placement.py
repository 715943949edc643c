"""The pool of platform accounts: which account holds a Project VPC, and whether it has room
for one more PrivateLink, within the project's own share (a limit per project and region).

A new Project VPC goes to the region's account with the most NLB headroom (AWS quota as
last reported by `DescribeAccountLimits`, minus the PrivateLinks counted in the database);
ties go to the account holding fewer VPCs, then to the one listed first. Google has one
platform project, an account per region, whose room is its regional quota of service
attachments (as `regions.get` last reported it) minus the PrivateLinks counted there.
Decided from the database alone, so actions may call it; the reconciler and the sweep
refresh the quotas.
"""

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from console import audit_log, catalog
from console.errors import Conflict
from console.models import Project, ProjectVPC
from privatelink.models import Listener, PlatformAccount, PrivateLink, ProjectVpcPlacement

logger = logging.getLogger(__name__)


# The provider whose platform accounts form a pool of roles (AWS_PLATFORM_ACCOUNTS).
POOLED_PROVIDER = "aws"
# Google's name of its regional quota of service attachments (`compute_v1.Quota.Metric`),
# and its default: what a Google account holds until `regions.get` was first read.
GOOGLE_PROVIDER = "google"
SERVICE_ATTACHMENTS = "SERVICE_ATTACHMENTS"
GOOGLE_DEFAULTS = {SERVICE_ATTACHMENTS: 100}


def configured_roles(cloud: str) -> list[str]:
    """The role ARNs of an AWS cloud's pool; one account (maybe the own credentials) if
    none. Another cloud has one platform account, reached with its provider's own
    credentials (Azure: AZURE_SUBSCRIPTION_ID): "", never an AWS role."""
    if catalog.get_cloud(cloud).provider != POOLED_PROVIDER:
        return [""]
    pool: dict[str, list[str]] = settings.AWS_PLATFORM_ACCOUNTS
    return pool.get(cloud) or [settings.AWS_PLATFORM_ROLE_ARN]


def accounts_of(cloud: str) -> list[PlatformAccount]:
    """The configured accounts of the cloud's region, with a row each, in configured order."""
    region = catalog.region_of(cloud)
    accounts = []
    for role_arn in configured_roles(cloud):
        account, _ = PlatformAccount.objects.get_or_create(region=region, role_arn=role_arn)
        accounts.append(account)
    return accounts


def _links_in(account: PlatformAccount) -> models.QuerySet[PrivateLink]:
    return PrivateLink.objects.filter(service__project_vpc__placement__account=account)


def _listeners_in(account: PlatformAccount) -> models.QuerySet[Listener]:
    return Listener.objects.filter(privatelink__service__project_vpc__placement__account=account)


def load_balancers_in(account: PlatformAccount) -> int:
    """NLBs the account holds or is about to hold: one per PrivateLink of its VPCs."""
    return _links_in(account).count()


def target_groups_in(account: PlatformAccount) -> int:
    """Target groups the account holds: one per listener of its PrivateLinks."""
    return _listeners_in(account).count()


def held_by(account: PlatformAccount) -> tuple[int, int]:
    """load_balancers_in and target_groups_in together, in one query: a create counts
    them while it holds the account's lock, which every other create then waits for."""

    def counted(rows: models.QuerySet[Any]) -> models.Subquery:
        return models.Subquery(
            rows.order_by().annotate(n=models.Func("pk", function="COUNT")).values("n")
        )

    load_balancers, target_groups = (
        PlatformAccount.objects.filter(pk=account.pk)
        .values_list(counted(_links_in(account)), counted(_listeners_in(account)))
        .get()
    )
    return load_balancers, target_groups


def headroom(account: PlatformAccount) -> int:
    return account.load_balancer_quota - load_balancers_in(account)


def account_id_for(vpc: ProjectVPC) -> int:
    """The pk of the VPC's account; no query when `placement` was selected with the VPC."""
    try:
        return vpc.placement.account_id
    except ProjectVpcPlacement.DoesNotExist:
        return account_for(vpc).pk


def _selected_placement(vpc: ProjectVPC) -> ProjectVpcPlacement | None:
    """The VPC's placement with its account as loaded with the VPC, None if not loaded."""
    selected = ProjectVPC.placement.related
    if not selected.is_cached(vpc):
        return None
    placed = selected.get_cached_value(vpc)
    if not isinstance(placed, ProjectVpcPlacement):
        return None  # selected, and the VPC has none yet
    return placed if ProjectVpcPlacement.account.field.is_cached(placed) else None


def account_for(vpc: ProjectVPC) -> PlatformAccount:
    """The account that holds the Project VPC, placing it now if it has none yet; no query
    when the placement and its account were selected with the VPC."""
    placed = _selected_placement(vpc)
    if placed is None:
        placed = (
            ProjectVpcPlacement.objects.select_related("account").filter(project_vpc=vpc).first()
        )
    if placed is not None:
        return placed.account
    with transaction.atomic():
        accounts = accounts_of(vpc.cloud)
        if vpc.aws_vpc_id:
            # Built before it had a placement: it is where the single account put it.
            own, _ = PlatformAccount.objects.get_or_create(
                region=vpc.region, role_arn=settings.AWS_PLATFORM_ROLE_ARN
            )
            accounts = [own]
        vpc_counts = dict(
            PlatformAccount.objects.filter(pk__in=[a.pk for a in accounts])
            .annotate(vpcs=models.Count("placements"))
            .values_list("pk", "vpcs")
        )
        order = {account.pk: index for index, account in enumerate(accounts)}
        best = min(accounts, key=lambda a: (-headroom(a), vpc_counts.get(a.pk, 0), order[a.pk]))
        placement, created = ProjectVpcPlacement.objects.get_or_create(
            project_vpc=vpc, defaults={"account": best}
        )
        if created:
            # Where the project's network and NLBs live: asked about by operators and audits.
            audit_log.record(
                "project_vpc.placed",
                project=vpc.project,
                after={"cloud": vpc.cloud, "account": best.account_id, "role": best.role_arn},
            )
    return placement.account


def privatelinks_of(project: Project, cloud: str) -> int:
    """The project's PrivateLinks in the cloud region, those being deleted included: each
    holds its NLB until AWS has removed it."""
    return PrivateLink.objects.filter(
        service__project=project, service__project_vpc__cloud=cloud
    ).count()


def check_project_share(project_id: int, cloud: str) -> None:
    """Refuse a PrivateLink beyond the project's limit per region, naming its own figures."""
    # The project's row is locked (PostgreSQL) until the caller's transaction ends, so two
    # creates at once cannot both take its last place.
    project = Project.objects.select_for_update().get(pk=project_id)
    limit = project.privatelinks_per_region
    used = privatelinks_of(project, cloud)
    if used >= limit:
        raise Conflict(
            f"Project {project.name} has {used} of its {limit} PrivateLinks in {cloud}. "
            "Delete a PrivateLink it no longer needs, or contact platform support to raise "
            "the project's limit."
        )


def _account_full(vpc: ProjectVPC) -> Conflict:
    # The account is shared with other projects: its figures are theirs as much as this
    # project's, so the customer is told only what to do, and operators read the figures in
    # `manage.py privatelink_status` and Django admin.
    return Conflict(
        f"The platform cannot take another PrivateLink for the Project VPC in {vpc.cloud} "
        "at the moment; nothing was saved. Contact platform support: they can make room "
        "for it."
    )


def _locked_account_of(vpc: ProjectVPC) -> PlatformAccount:
    """The VPC's account, its row locked on PostgreSQL until the caller's transaction ends
    (the create action saves the link in it); SQLite's IMMEDIATE transactions serialize
    anyway. Found through the placement in the locking query itself; placed first if the
    VPC has none yet."""
    # No savepoint of its own: the caller's transaction, if any, is the one to hold the lock.
    with transaction.atomic(savepoint=False):
        placed = PlatformAccount.objects.select_for_update(of=("self",))
        account = placed.filter(placements__project_vpc=vpc).first()
        if account is None:
            account = placed.get(pk=account_for(vpc).pk)
    return account


def check_room_for_privatelink(vpc: ProjectVPC, listeners: int) -> PlatformAccount:
    """Refuse, before anything is saved or built, a PrivateLink beyond the project's limit
    or one the VPC's account cannot hold."""
    check_project_share(vpc.project_id, vpc.cloud)
    account = _locked_account_of(vpc)
    used, groups = held_by(account)
    if used >= account.load_balancer_quota:
        logger.warning(
            "Platform account %s in %s is full: %d of %d NLBs; refused a PrivateLink of %s",
            account.account_id,
            account.region,
            used,
            account.load_balancer_quota,
            vpc.project,
        )
        raise _account_full(vpc)
    if groups + listeners > account.target_group_quota:
        logger.warning(
            "Platform account %s in %s has %d of %d target groups; refused a PrivateLink of "
            "%s needing %d",
            account.account_id,
            account.region,
            groups,
            account.target_group_quota,
            vpc.project,
            listeners,
        )
        raise _account_full(vpc)
    return account


def _attachments_full(vpc: ProjectVPC) -> Conflict:
    # As _account_full, no figures; but the quota is named: the platform's one Google
    # project has it per region, and support raises it by asking Google.
    return Conflict(
        f"The platform's Google Cloud project has used its quota of service attachments "
        f"(SERVICE_ATTACHMENTS) in {vpc.region}, so it cannot take another PrivateLink for "
        f"the Project VPC in {vpc.cloud}; nothing was saved. Contact platform support: they "
        "can ask Google to raise the quota."
    )


def service_attachment_quota(account: PlatformAccount) -> int:
    """The region's SERVICE_ATTACHMENTS as Google last reported it, Google's default
    until then."""
    quota = account.service_attachment_quota
    return GOOGLE_DEFAULTS[SERVICE_ATTACHMENTS] if quota is None else quota


def check_room_for_google_privatelink(vpc: ProjectVPC) -> PlatformAccount:
    """Refuse, before anything is saved or built, a Google PrivateLink beyond the project's
    limit or one the platform project's region has no service attachment left for (each
    link publishes one)."""
    check_project_share(vpc.project_id, vpc.cloud)
    # Locked as on AWS: two creates at once cannot both take the region's last attachment.
    account = _locked_account_of(vpc)
    used, _ = held_by(account)
    quota = service_attachment_quota(account)
    if used >= quota:
        logger.warning(
            "The Google project in %s is full: %d of %d service attachments; refused a "
            "PrivateLink of %s",
            account.region,
            used,
            quota,
            vpc.project,
        )
        raise _attachments_full(vpc)
    return account


# What each cloud's `account_limits()` names, and the field that keeps it.
QUOTA_FIELDS = {
    "network-load-balancers": "load_balancer_quota",  # AWS, DescribeAccountLimits
    "target-groups": "target_group_quota",  # AWS
    SERVICE_ATTACHMENTS: "service_attachment_quota",  # Google, regions.get
}


def record_quotas(account: PlatformAccount, limits: dict[str, int]) -> None:
    """Store what the cloud reported (`QUOTA_FIELDS`); names it lacks keep their value."""
    recorded = []
    for name, field in QUOTA_FIELDS.items():
        if name in limits:
            setattr(account, field, limits[name])
            recorded.append(field)
    account.quotas_checked = timezone.now()
    account.save(update_fields=[*recorded, "quotas_checked"])


@dataclass(frozen=True)
class AccountUsage:
    """One pool account as an operator reads it: where it is, what it holds, its quota."""

    account_id: str
    region: str
    role_arn: str
    project_vpcs: int
    load_balancers: int
    load_balancer_quota: int

    @property
    def headroom(self) -> int:
        return self.load_balancer_quota - self.load_balancers


@dataclass(frozen=True)
class GoogleRegionUsage:
    """The platform's Google project in one region as an operator reads it: what it holds
    (a service attachment per PrivateLink) and Google's quota of them."""

    region: str
    project_vpcs: int
    service_attachments: int
    service_attachment_quota: int
    # False: never read from Google yet, the quota shown is Google's default.
    quota_read: bool

    @property
    def headroom(self) -> int:
        return self.service_attachment_quota - self.service_attachments


def _google_regions() -> set[str]:
    return {c.region for c in catalog.CLOUD_CATALOG.values() if c.provider == GOOGLE_PROVIDER}


def _accounts_with_links() -> tuple[list[tuple[PlatformAccount, int]], dict[int, int]]:
    """Every known account with its VPC count, and the links by account pk: two queries."""
    accounts: list[tuple[PlatformAccount, int]] = [
        (account, account.vpc_count)
        for account in PlatformAccount.objects.annotate(
            vpc_count=models.Count("placements", distinct=True)
        ).order_by("region", "pk")
    ]
    links = dict(
        PrivateLink.objects.values("service__project_vpc__placement__account")
        .annotate(count=models.Count("pk"))
        .values_list("service__project_vpc__placement__account", "count")
    )
    return accounts, links


def account_usage() -> list[AccountUsage]:
    """Every known platform account but Google's (`google_usage`: its quota is another
    resource) with its usage, in two queries."""
    accounts, links = _accounts_with_links()
    google = _google_regions()
    return [
        AccountUsage(
            account.account_id,
            account.region,
            account.role_arn,
            vpc_count,
            links.get(account.pk, 0),
            account.load_balancer_quota,
        )
        for account, vpc_count in accounts
        if account.region not in google
    ]


def google_usage() -> list[GoogleRegionUsage]:
    """The Google project's regions with their service attachments, in two queries."""
    accounts, links = _accounts_with_links()
    google = _google_regions()
    return [
        GoogleRegionUsage(
            account.region,
            vpc_count,
            links.get(account.pk, 0),
            service_attachment_quota(account),
            account.service_attachment_quota is not None,
        )
        for account, vpc_count in accounts
        if account.region in google
    ]
