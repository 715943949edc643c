"""The pool of platform accounts: which account holds a Project VPC, and whether it has room.

A new Project VPC goes to the region's account with the most NLB headroom (AWS quota as
last reported by `DescribeAccountLimits`, minus the PrivateLinks counted in the database);
ties go to the account holding fewer VPCs, then to the one listed first. Decided from the
database alone, so actions may call it; the reconciler and the sweep refresh the quotas.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from console import audit_log
from console.errors import Conflict
from console.models import ProjectVPC
from privatelink.models import Listener, PlatformAccount, PrivateLink, ProjectVpcPlacement


def configured_roles(cloud: str) -> list[str]:
    """The role ARNs of the cloud's pool; one account (maybe the own credentials) if none."""
    pool: dict[str, list[str]] = settings.AWS_PLATFORM_ACCOUNTS
    return pool.get(cloud) or [settings.AWS_PLATFORM_ROLE_ARN]


def accounts_of(cloud: str) -> list[PlatformAccount]:
    """The configured accounts of the cloud's region, with a row each, in configured order."""
    region = cloud.removeprefix("aws-")
    accounts = []
    for role_arn in configured_roles(cloud):
        account, _ = PlatformAccount.objects.get_or_create(region=region, role_arn=role_arn)
        accounts.append(account)
    return accounts


def load_balancers_in(account: PlatformAccount) -> int:
    """NLBs the account holds or is about to hold: one per PrivateLink of its VPCs."""
    return PrivateLink.objects.filter(service__project_vpc__placement__account=account).count()


def target_groups_in(account: PlatformAccount) -> int:
    """Target groups the account holds: one per listener of its PrivateLinks."""
    return Listener.objects.filter(
        privatelink__service__project_vpc__placement__account=account
    ).count()


def headroom(account: PlatformAccount) -> int:
    return account.load_balancer_quota - load_balancers_in(account)


def account_id_for(vpc: ProjectVPC) -> int:
    """The pk of the VPC's account; no query when `placement` was selected with the VPC."""
    try:
        return vpc.placement.account_id
    except ProjectVpcPlacement.DoesNotExist:
        return account_for(vpc).pk


def account_for(vpc: ProjectVPC) -> PlatformAccount:
    """The account that holds the Project VPC, placing it now if it has none yet."""
    placed = ProjectVpcPlacement.objects.select_related("account").filter(project_vpc=vpc).first()
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


def check_room_for_privatelink(vpc: ProjectVPC, listeners: int) -> PlatformAccount:
    """Refuse, before anything is saved or built, a PrivateLink the VPC's account cannot hold."""
    # Locks the account's row on PostgreSQL until the caller's transaction ends (the create
    # action saves the link in it); SQLite's IMMEDIATE transactions serialize anyway.
    with transaction.atomic():
        account = PlatformAccount.objects.select_for_update().get(pk=account_for(vpc).pk)
    used = load_balancers_in(account)
    if used >= account.load_balancer_quota:
        raise Conflict(
            f"The platform account {account.account_id} that holds the Project VPC "
            f"{vpc.cloud} already has {used} of its {account.load_balancer_quota} Network "
            f"Load Balancers in {account.region} (AWS quota network-load-balancers), and "
            "every PrivateLink needs one. Delete a PrivateLink of a service in this Project "
            "VPC, or ask platform support to raise the quota."
        )
    groups = target_groups_in(account)
    if groups + listeners > account.target_group_quota:
        raise Conflict(
            f"The platform account {account.account_id} that holds the Project VPC "
            f"{vpc.cloud} has {groups} of its {account.target_group_quota} target groups in "
            f"{account.region} (AWS quota target-groups) and this PrivateLink needs "
            f"{listeners} more. Enable fewer components, or ask platform support to raise "
            "the quota."
        )
    return account


def record_quotas(account: PlatformAccount, limits: dict[str, int]) -> None:
    """Store what DescribeAccountLimits reported; names it lacks keep their value."""
    account.load_balancer_quota = limits.get("network-load-balancers", account.load_balancer_quota)
    account.target_group_quota = limits.get("target-groups", account.target_group_quota)
    account.quotas_checked = timezone.now()
    account.save(update_fields=["load_balancer_quota", "target_group_quota", "quotas_checked"])


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


def account_usage() -> list[AccountUsage]:
    """Every known platform account with its usage, in two queries."""
    accounts = PlatformAccount.objects.annotate(
        vpc_count=models.Count("placements", distinct=True)
    ).order_by("region", "pk")
    links = dict(
        PrivateLink.objects.values("service__project_vpc__placement__account")
        .annotate(count=models.Count("pk"))
        .values_list("service__project_vpc__placement__account", "count")
    )
    return [
        AccountUsage(
            account.account_id,
            account.region,
            account.role_arn,
            account.vpc_count,
            links.get(account.pk, 0),
            account.load_balancer_quota,
        )
        for account in accounts
    ]
