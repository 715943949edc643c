"""Django admin for PrivateLinks: edits go through the actions, AWS ids stay read-only."""

import pytest

from console.models import AuditEvent, User
from privatelink import actions
from privatelink.models import AwsPrivateLink, GooglePrivateLink, PrivateLink
from tests.constants import PASSWORD
from tests.factories import PrivateLinkFactory

ROLE = "arn:aws:iam::012345678901:role/app"
OTHER = "arn:aws:iam::012345678901:role/other"


@pytest.fixture
def staff_client(client, db):
    user = User.objects.create_superuser("root@example.com", PASSWORD)
    client.force_login(user)
    return client


@pytest.fixture
def privatelink(service, developer, queued):
    link = actions.create_privatelink(service, [ROLE], actor=developer).link
    PrivateLink.objects.filter(pk=link.pk).update(failed_generation=1)
    AwsPrivateLink.objects.create(privatelink=link, service_id="vpce-svc-1")
    return link


def test_reconcile_now_queues_the_service_and_clears_a_failure(staff_client, privatelink, queued):
    queued.clear()
    response = staff_client.post(
        "/admin/privatelink/privatelink/",
        {"action": "reconcile_now", "_selected_action": [privatelink.pk]},
    )
    assert response.status_code == 302
    assert queued == [("service", privatelink.service_id)]
    privatelink.refresh_from_db()
    assert privatelink.failed_generation == 0
    assert AuditEvent.objects.filter(
        action="privatelink.reconcile_requested", actor__email="root@example.com"
    ).exists()


def test_editing_principals_in_admin_goes_through_the_action_and_keeps_aws_ids(
    staff_client, privatelink
):
    page = staff_client.get(f"/admin/privatelink/privatelink/{privatelink.pk}/change/")
    assert b"vpce-svc-1" in page.content
    assert b'name="aws-0-service_id"' not in page.content

    staff_client.post(
        f"/admin/privatelink/privatelink/{privatelink.pk}/change/",
        {
            "principals": f"{OTHER}\n{ROLE}\n",
            "aws-0-service_id": "vpce-svc-forged",
            **_empty_inlines(AWS_INLINES),
        },
    )

    privatelink.refresh_from_db()
    assert privatelink.principals == [ROLE, OTHER]
    assert AwsPrivateLink.objects.get(privatelink=privatelink).service_id == "vpce-svc-1"
    assert AuditEvent.objects.filter(
        action="privatelink.principals", actor__email="root@example.com"
    ).exists()


def test_a_malformed_principal_in_admin_is_refused_with_the_same_words(staff_client, privatelink):
    page = staff_client.post(
        f"/admin/privatelink/privatelink/{privatelink.pk}/change/",
        {"principals": "arn:aws:iam::012345678901:role/path/app", **_empty_inlines(AWS_INLINES)},
    )
    assert b"has a path" in page.content
    privatelink.refresh_from_db()
    assert privatelink.principals == [ROLE]


def test_deleting_in_admin_marks_the_privatelink_deleting(staff_client, privatelink):
    staff_client.post(f"/admin/privatelink/privatelink/{privatelink.pk}/delete/", {"post": "yes"})
    privatelink.refresh_from_db()
    assert privatelink.state == PrivateLink.State.DELETING


# A link with an AWS row shows it read-only above its connections and listeners.
AWS_INLINES = ("aws", "connections", "listeners")


def _empty_inlines(prefixes=("connections", "listeners")):
    return {
        f"{prefix}-{key}": value
        for prefix in prefixes
        for key, value in (
            ("TOTAL_FORMS", "0"),
            ("INITIAL_FORMS", "0"),
            ("MIN_NUM_FORMS", "0"),
            ("MAX_NUM_FORMS", "1000"),
        )
    }


def test_admin_shows_each_privatelinks_platform_account_and_the_pool(staff_client, privatelink):
    # Without AWS_PLATFORM_ACCOUNTS the Project VPC went to the one (own) account.
    links = staff_client.get("/admin/privatelink/privatelink/").content.decode()
    accounts = staff_client.get("/admin/privatelink/platformaccount/").content.decode()
    detail = staff_client.get(
        f"/admin/privatelink/privatelink/{privatelink.pk}/change/"
    ).content.decode()

    assert "Platform account" in links
    assert "own account in eu-west-1" in links
    assert "own account in eu-west-1" in detail
    assert "NLBs (PrivateLinks)" in accounts
    assert "load balancer quota" in accounts.lower()


def test_admin_shows_a_google_accounts_service_attachment_quota(staff_client):
    from privatelink.models import PlatformAccount

    PlatformAccount.objects.create(region="europe-west1", role_arn="", service_attachment_quota=137)

    accounts = staff_client.get("/admin/privatelink/platformaccount/").content.decode()

    assert "service attachment quota" in accounts.lower()
    assert ">137<" in accounts


def test_retry_reconcile_clears_the_failure_and_audits_even_when_the_broker_is_down(
    privatelink, monkeypatch
):
    from privatelink import queue

    monkeypatch.setattr(queue, "reconcile_service", lambda pk, provider, countdown=None: False)
    operator = User.objects.create_superuser("ops@example.com", "correct horse battery staple")

    assert actions.retry_reconcile(privatelink, actor=operator) is False

    privatelink.refresh_from_db()
    assert privatelink.failed_generation == 0
    event = AuditEvent.objects.get(action="privatelink.reconcile_requested")
    assert (event.actor, event.service) == (operator, privatelink.service)


SUBSCRIPTION = "00000000-0000-0000-0000-000000000001"


def test_an_azure_link_is_created_and_edited_in_admin_with_subscription_ids(
    staff_client, azure_service, queued
):
    staff_client.post(
        "/admin/privatelink/privatelink/add/",
        {"service": azure_service.pk, "principals": SUBSCRIPTION, **_empty_inlines()},
    )
    link = PrivateLink.objects.get(service=azure_service)
    assert (link.principals, link.azure.service_alias) == ([SUBSCRIPTION], "")
    page = staff_client.get(f"/admin/privatelink/privatelink/{link.pk}/change/")
    assert b"private link service alias" in page.content.lower()

    refused = staff_client.post(
        f"/admin/privatelink/privatelink/{link.pk}/change/",
        {"principals": ROLE, **_empty_inlines(("azure", "connections", "listeners"))},
    )
    assert b"is not an Azure subscription id" in refused.content
    link.refresh_from_db()
    assert link.principals == [SUBSCRIPTION]
    assert AuditEvent.objects.filter(
        action="privatelink.create", actor__email="root@example.com"
    ).exists()


def test_a_google_link_shows_its_service_attachment_read_only(staff_client, google_service):
    link = PrivateLinkFactory(service=google_service, principals=[], provisioned=False)
    attachment = "projects/platform/regions/europe-west1/serviceAttachments/my-kafka-gcp"
    GooglePrivateLink.objects.create(
        privatelink=link, service_attachment=attachment, status=GooglePrivateLink.READY
    )
    page = staff_client.get(f"/admin/privatelink/privatelink/{link.pk}/change/")
    assert page.status_code == 200
    assert attachment.encode() in page.content
    assert b'name="google-0-service_attachment"' not in page.content


GOOGLE_INLINES = ("google", "connections", "listeners")


def test_a_google_link_is_created_in_admin_with_no_project_and_edited_with_project_ids(
    staff_client, google_service, queued
):
    staff_client.post(
        "/admin/privatelink/privatelink/add/",
        {"service": google_service.pk, "principals": "", **_empty_inlines()},
    )
    link = PrivateLink.objects.get(service=google_service)
    assert (link.principals, link.google.service_attachment) == ([], "")

    staff_client.post(
        f"/admin/privatelink/privatelink/{link.pk}/change/",
        {"principals": "customer-project\nother-project-2\n", **_empty_inlines(GOOGLE_INLINES)},
    )

    link.refresh_from_db()
    assert link.principals == ["customer-project", "other-project-2"]
    event = AuditEvent.objects.get(action="privatelink.accepted_projects")
    assert event.actor.email == "root@example.com"
    assert event.after == {"accepted_projects": ["customer-project", "other-project-2"]}


@pytest.mark.parametrize(
    "entry",
    [
        ROLE,  # an AWS principal
        SUBSCRIPTION,  # an Azure subscription
        "Customer-Project",  # upper case
        "cust1",  # shorter than 6
        "c" * 31,  # longer than 30
        "1customer",  # not starting with a letter
        "customer-",  # ending with a hyphen
        "customer_project",
    ],
)
def test_a_google_links_allow_list_in_admin_takes_only_google_project_ids(
    staff_client, google_service, entry
):
    link = PrivateLinkFactory(service=google_service, principals=["customer-project"])
    GooglePrivateLink.objects.create(privatelink=link)

    refused = staff_client.post(
        f"/admin/privatelink/privatelink/{link.pk}/change/",
        {"principals": f"other-project\n{entry}", **_empty_inlines(GOOGLE_INLINES)},
    )

    assert b"is not a Google Cloud project id" in refused.content
    assert b"6 to 30 lowercase letters, digits and hyphens" in refused.content
    link.refresh_from_db()
    assert link.principals == ["customer-project"]
    assert not AuditEvent.objects.filter(action="privatelink.accepted_projects").exists()
