"""Room for a Google PrivateLink: the platform's one Google project holds every project's
service attachments of a region, one per link, within Google's regional quota as last
recorded (Google's default, 100, until read). Decided from the database, before anything
is saved, like the AWS account's NLBs; AWS's quotas and checks are untouched by it."""

import re

import pytest

from console.errors import Conflict
from console.models import AuditEvent
from privatelink import google_actions, placement
from privatelink.models import PlatformAccount, PrivateLink
from tests.factories import PrivateLinkFactory, ProjectFactory, ProjectVPCFactory, ServiceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("queued")]

REGION = "europe-west1"
CLOUD = "google-europe-west1"


def _google_links(project, count: int) -> None:
    vpc = project.vpcs.filter(cloud=CLOUD).first() or ProjectVPCFactory(
        project=project, cloud=CLOUD
    )
    placement.account_for(vpc)  # as the create (or the VPC's build) placed it
    for _ in range(count):
        PrivateLinkFactory(service=ServiceFactory(project=project, project_vpc=vpc, cloud=CLOUD))


def _account(quota: int | None) -> PlatformAccount:
    account, _ = PlatformAccount.objects.get_or_create(region=REGION, role_arn="")
    account.service_attachment_quota = quota
    account.save()
    return account


@pytest.fixture
def wide_share(project):
    project.privatelink_limit = 500
    project.save()
    return project


def test_a_region_at_its_recorded_quota_refuses_the_next_link_naming_the_quota(
    wide_share, google_service, developer
):
    _account(3)
    # Another customer's links share the platform project's attachments.
    neighbour = ProjectFactory(name="neighbour")
    _google_links(neighbour, 3)
    events = AuditEvent.objects.count()

    with pytest.raises(Conflict) as refused:
        google_actions.create_google_privatelink(google_service, actor=developer)

    message = refused.value.message
    assert message == (
        "The platform's Google Cloud project has used its quota of service attachments "
        "(SERVICE_ATTACHMENTS) in europe-west1, so it cannot take another PrivateLink for "
        "the Project VPC in google-europe-west1; nothing was saved. Contact platform "
        "support: they can ask Google to raise the quota."
    )
    assert "neighbour" not in message
    assert not re.search(r"\b3\b", message)
    assert not PrivateLink.objects.filter(service=google_service).exists()
    assert AuditEvent.objects.count() == events


def test_a_link_is_taken_while_the_region_has_an_attachment_left(
    wide_share, google_service, developer
):
    _account(3)
    _google_links(wide_share, 2)

    saved = google_actions.create_google_privatelink(google_service, actor=developer)

    assert saved.link.service == google_service
    assert placement.account_for(google_service.project_vpc).placements.count() == 1


def test_a_raised_quota_recorded_from_google_makes_room_at_once(
    wide_share, google_service, developer
):
    account = _account(2)
    _google_links(wide_share, 2)
    with pytest.raises(Conflict):
        google_actions.create_google_privatelink(google_service, actor=developer)

    placement.record_quotas(account, {"SERVICE_ATTACHMENTS": 3})

    assert google_actions.create_google_privatelink(google_service, actor=developer).link


def test_until_google_is_read_its_default_of_100_attachments_holds(
    wide_share, google_service, developer
):
    account = _account(None)
    _google_links(wide_share, 100)

    with pytest.raises(Conflict, match="SERVICE_ATTACHMENTS"):
        google_actions.create_google_privatelink(google_service, actor=developer)
    assert placement.service_attachment_quota(account) == 100


def test_links_of_other_regions_and_clouds_take_no_attachment_here(
    wide_share, google_service, service, developer
):
    _account(1)
    _google_links(wide_share, 0)
    PrivateLinkFactory(service=service)  # AWS: an NLB of an AWS account, not an attachment

    assert google_actions.create_google_privatelink(google_service, actor=developer).link


def test_each_clouds_limits_fill_only_their_own_fields():
    account = PlatformAccount.objects.create(region="eu-west-1", role_arn="")

    placement.record_quotas(account, {"network-load-balancers": 60, "target-groups": 10})
    account.refresh_from_db()
    assert (account.load_balancer_quota, account.target_group_quota) == (60, 10)
    assert account.service_attachment_quota is None

    placement.record_quotas(account, {"SERVICE_ATTACHMENTS": 250})
    account.refresh_from_db()
    assert (account.load_balancer_quota, account.target_group_quota) == (60, 10)
    assert account.service_attachment_quota == 250
    assert account.quotas_checked is not None
