"""A fair share of each platform account: a project may hold a limited number of
PrivateLinks per region (the platform's default, or its own set in Django admin), and a
refusal tells the customer only the project's own figures."""

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command

from console.errors import Conflict
from console.models import AuditEvent, Project, User
from privatelink import actions, placement
from privatelink.models import PlatformAccount, PrivateLink
from tests.constants import CUSTOMER_ROLE, HTMX, PASSWORD
from tests.factories import PrivateLinkFactory, ProjectFactory, ProjectVPCFactory, ServiceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("queued")]

API = "/v1/project/demo/service/my-kafka/privatelink/aws"
PAGE = "/projects/demo/services/my-kafka/privatelink/"
POOL_ROLE = "arn:aws:iam::111111111111:role/pl"


@pytest.fixture
def two_allowed(settings):
    settings.PRIVATELINK_MAX_PER_PROJECT_REGION = 2


def _links_in(project, count, cloud="aws-eu-west-1"):
    vpc = project.vpcs.filter(cloud=cloud).first() or ProjectVPCFactory(
        project=project, cloud=cloud
    )
    for _ in range(count):
        PrivateLinkFactory(service=ServiceFactory(project=project, project_vpc=vpc, nodes=1))


def test_a_project_at_its_limit_is_refused_with_its_own_count_and_limit(
    two_allowed, project, service, developer
):
    _links_in(project, 2)

    with pytest.raises(Conflict) as refused:
        actions.create_privatelink(service, [CUSTOMER_ROLE], actor=developer)

    assert refused.value.message == (
        "Project demo has 2 of its 2 PrivateLinks in aws-eu-west-1. Delete a PrivateLink it "
        "no longer needs, or contact platform support to raise the project's limit."
    )
    assert not PrivateLink.objects.filter(service=service).exists()
    assert not AuditEvent.objects.filter(action="privatelink.create").exists()


def test_other_projects_and_other_regions_do_not_count_against_the_limit(
    two_allowed, project, service, developer
):
    _links_in(project, 1)
    _links_in(project, 3, cloud="aws-us-east-1")
    _links_in(ProjectFactory(name="neighbour"), 5)

    link = actions.create_privatelink(service, [CUSTOMER_ROLE], actor=developer).link

    assert PrivateLink.objects.get(service=service) == link


def test_a_privatelink_being_deleted_still_counts_as_it_holds_its_load_balancer(
    two_allowed, project, service, developer
):
    _links_in(project, 2)
    PrivateLink.objects.update(state=PrivateLink.State.DELETING)

    with pytest.raises(Conflict, match="has 2 of its 2 PrivateLinks"):
        actions.create_privatelink(service, [CUSTOMER_ROLE], actor=developer)


def test_a_projects_own_limit_overrides_the_default(two_allowed, project, service, developer):
    _links_in(project, 2)
    project.privatelink_limit = 3
    project.save(update_fields=["privatelink_limit"])

    actions.create_privatelink(service, [CUSTOMER_ROLE], actor=developer)

    other = ServiceFactory(project=project, project_vpc=service.project_vpc, nodes=1)
    with pytest.raises(Conflict, match="has 3 of its 3 PrivateLinks"):
        actions.create_privatelink(other, [CUSTOMER_ROLE], actor=developer)


@pytest.fixture
def staff_client(client, db):
    client.force_login(User.objects.create_superuser("root@example.com", PASSWORD))
    return client


def _change_in_admin(staff_client, project, limit):
    return staff_client.post(
        f"/admin/console/project/{project.pk}/change/",
        {
            "name": project.name,
            "privatelink_limit": limit,
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )


def test_an_admin_sets_and_clears_a_projects_limit_and_both_are_audited(staff_client, project):
    response = _change_in_admin(staff_client, project, "40")

    assert response["Location"] == "/admin/console/project/"
    project.refresh_from_db()
    assert project.privatelink_limit == 40
    assert project.privatelinks_per_region == 40
    raised = AuditEvent.objects.get(action="project.privatelink_limit")
    assert raised.actor.email == "root@example.com"
    assert (raised.before, raised.after) == ({"privatelink_limit": None}, {"privatelink_limit": 40})

    _change_in_admin(staff_client, project, "")

    project.refresh_from_db()
    assert project.privatelink_limit is None
    cleared = AuditEvent.objects.filter(action="project.privatelink_limit").latest("pk")
    assert cleared.after == {"privatelink_limit": None}


def test_the_admin_project_page_offers_the_limit_with_the_default_named(staff_client, project):
    page = staff_client.get(f"/admin/console/project/{project.pk}/change/").content.decode()

    assert 'name="privatelink_limit"' in page
    assert "PRIVATELINK_MAX_PER_PROJECT_REGION" in page


def test_saving_a_project_in_admin_without_touching_the_limit_records_nothing(
    staff_client, project
):
    _change_in_admin(staff_client, project, "")

    assert not AuditEvent.objects.filter(action="project.privatelink_limit").exists()


def test_the_api_refuses_a_create_beyond_the_limit_in_the_platforms_error_shape(
    two_allowed, project, service, client, developer
):
    from console.models.tokens import ApiToken

    _links_in(project, 2)
    token = ApiToken.issue(developer, "tests")[1]

    response = client.post(
        API,
        json.dumps({"principals": [CUSTOMER_ROLE]}),
        content_type="application/json",
        headers={"Authorization": f"aivenv1 {token}"},
    )

    message = "Project demo has 2 of its 2 PrivateLinks in aws-eu-west-1. "
    body = response.json()
    assert body["message"].startswith(message)
    assert body["errors"] == [{"message": body["message"], "status": 409}]
    assert not PrivateLink.objects.filter(service=service).exists()


def test_the_page_form_shows_the_limit_and_keeps_what_was_typed(
    two_allowed, project, service, developer_client
):
    _links_in(project, 2)

    response = developer_client.post(PAGE + "create", {"principals": CUSTOMER_ROLE}, **HTMX)

    html = response.content.decode()
    assert "Project demo has 2 of its 2 PrivateLinks in aws-eu-west-1." in html
    assert CUSTOMER_ROLE in html
    assert not PrivateLink.objects.filter(service=service).exists()


def test_a_full_account_names_no_other_tenants_figures_but_operators_see_them(
    settings, project, service, developer
):
    settings.AWS_PLATFORM_ACCOUNTS = {"aws-eu-west-1": [POOL_ROLE]}
    PlatformAccount.objects.create(region="eu-west-1", role_arn=POOL_ROLE, load_balancer_quota=6)
    neighbour = ProjectFactory(name="neighbour")
    neighbour_vpc = ProjectVPCFactory(project=neighbour)
    _links_in(neighbour, 6)
    # Both VPCs in the one account: the neighbour's links took all of its NLBs.
    assert placement.account_for(neighbour_vpc) == placement.account_for(service.project_vpc)

    with pytest.raises(Conflict) as refused:
        actions.create_privatelink(service, [CUSTOMER_ROLE], actor=developer)

    message = refused.value.message
    assert "Contact platform support" in message
    assert "neighbour" not in message
    assert not re.search(r"\b6\b", message)
    assert "111111111111" not in message
    assert not PrivateLink.objects.filter(service=service).exists()
    shown = StringIO()
    call_command("privatelink_status", stdout=shown)
    assert re.search(r"111111111111 +eu-west-1 +2 +6 +6 +0", shown.getvalue())


def test_the_default_limit_is_read_from_the_settings(settings):
    settings.PRIVATELINK_MAX_PER_PROJECT_REGION = 7

    assert Project(name="fresh").privatelinks_per_region == 7
    assert Project(name="own", privatelink_limit=0).privatelinks_per_region == 0
