"""The platform project's regional quota of service attachments, read from Google's
`regions.get` through the gateway, recorded on the region's account by the sweep (hourly)
and by the engine after a refusal, and planned for by a create: a Google PrivateLink the
region cannot hold is refused at once, nothing saved."""

from datetime import timedelta

import pytest
from django.utils import timezone

from console.errors import Conflict
from console.models import AuditEvent
from privatelink import google_actions, placement, sweep
from privatelink.clouds.errors import Retryable
from privatelink.clouds.google import GoogleGateway
from privatelink.clouds.google.driver import GoogleDriver
from privatelink.models import PlatformAccount, PrivateLink
from tests.factories import ServiceFactory
from tests.privatelink.engine import converge

QUOTA_SAID = "quota of service attachments (SERVICE_ATTACHMENTS) in europe-west1"


def _account(service) -> PlatformAccount:
    return placement.account_for(service.project_vpc)


def test_account_limits_are_the_regions_service_attachments_as_google_reports_them(
    google_settings, fake_google
):
    driver = GoogleDriver(GoogleGateway())
    assert driver.account_limits() == {"SERVICE_ATTACHMENTS": 100}

    fake_google.set_quotas(service_attachments=250)

    assert driver.account_limits() == {"SERVICE_ATTACHMENTS": 250}


def test_a_failed_quota_read_is_classified_as_every_google_call_is(google_settings, fake_google):
    fake_google.fail(1, 500, "backendError", path="/regions/europe-west1")

    with pytest.raises(Retryable):
        GoogleDriver(GoogleGateway()).account_limits()


def test_the_sweep_picks_up_a_raised_quota_once_its_hour_is_over(
    google_settings, fake_aws, fake_google, google_service
):
    account = _account(google_service)
    assert account.service_attachment_quota is None  # never read: Google's default applies
    assert placement.service_attachment_quota(account) == 100
    sweep.sweep(turn=1)
    account.refresh_from_db()
    assert account.service_attachment_quota == 100
    fake_google.set_quotas(service_attachments=300)

    sweep.sweep(turn=1)  # within the hour: not asked again
    account.refresh_from_db()
    assert account.service_attachment_quota == 100

    PlatformAccount.objects.filter(pk=account.pk).update(
        quotas_checked=timezone.now() - timedelta(hours=2)
    )
    sweep.sweep(turn=1)
    account.refresh_from_db()
    assert account.service_attachment_quota == 300
    # AWS's fields are not Google's: left as they were.
    assert (account.load_balancer_quota, account.target_group_quota) == (50, 3000)


def test_a_create_the_region_cannot_hold_is_refused_naming_the_quota_and_nothing_saved(
    google_settings, fake_aws, fake_google, project, google_service, developer, queued
):
    fake_google.set_quotas(service_attachments=1)
    first = ServiceFactory(
        project=project,
        name="first-gcp",
        cloud=google_service.cloud,
        project_vpc=google_service.project_vpc,
    )
    google_actions.create_google_privatelink(first, actor=developer)
    assert converge(first).error == ""  # built; the region's one attachment is taken
    account = _account(google_service)
    PlatformAccount.objects.filter(pk=account.pk).update(quotas_checked=None)
    sweep.sweep(turn=1)
    events = AuditEvent.objects.count()

    with pytest.raises(Conflict) as refused:
        google_actions.create_google_privatelink(google_service, actor=developer)

    message = refused.value.message
    assert QUOTA_SAID in message
    assert "nothing was saved" in message
    assert "Contact platform support: they can ask Google to raise the quota." in message
    assert not PrivateLink.objects.filter(service=google_service).exists()
    assert AuditEvent.objects.count() == events
