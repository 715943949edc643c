"""Django admin: every console model is listed, searchable, and safe for a platform admin."""

from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage

from console.models import ApiToken, AuditEvent, ProjectVPC, Service, ServiceNode, ServiceUser, User
from tests.factories import ServiceFactory, UserFactory


@pytest.fixture
def staff_client(client, db):
    client.force_login(UserFactory(email="root@example.com", is_staff=True, is_superuser=True))
    return client


def test_every_console_model_has_an_admin_and_nodes_are_only_listed_there():
    registered = set(admin.site._registry)

    # Service users are shown inside their service only.
    assert set(apps.get_app_config("console").get_models()) - {ServiceUser} <= registered
    # Nodes are edited inside their service; their own list only offers the replacement.
    node_admin = admin.site._registry[ServiceNode]
    assert not node_admin.has_change_permission(None)
    assert not node_admin.has_add_permission(None)


@pytest.mark.parametrize(
    "model", ["user", "project", "membership", "projectvpc", "service", "apitoken", "auditevent"]
)
def test_change_lists_open_and_search(staff_client, service, model):
    response = staff_client.get(f"/admin/console/{model}/", {"q": "demo"})

    assert response.status_code == 200
    assert response.context["cl"].search_fields


def test_change_pages_show_the_service_with_its_nodes_and_project_with_members(
    staff_client, service, developer
):
    page = staff_client.get(f"/admin/console/service/{service.pk}/change/")
    assert b"my-kafka-1" in page.content
    assert b"my-kafka-3" in page.content

    page = staff_client.get(f"/admin/console/project/{service.project.pk}/change/")
    assert b"dev@example.com" in page.content


def test_a_project_vpc_is_found_by_the_id_avn_prints_which_stays_read_only(staff_client, service):
    vpc = service.project_vpc
    found = staff_client.get(f"/admin/console/projectvpc/?q={vpc.public_id}")
    assert f"/admin/console/projectvpc/{vpc.pk}/change/".encode() in found.content
    page = staff_client.get(f"/admin/console/projectvpc/{vpc.pk}/change/")
    assert str(vpc.public_id).encode() in page.content
    assert b'name="public_id"' not in page.content


def test_aws_ids_of_a_project_vpc_are_read_only(staff_client, service):
    vpc = service.project_vpc
    ProjectVPC.objects.filter(pk=vpc.pk).update(aws_vpc_id="vpc-0123456789abcdef0")

    page = staff_client.get(f"/admin/console/projectvpc/{vpc.pk}/change/")

    assert b"vpc-0123456789abcdef0" in page.content
    assert b'name="aws_vpc_id"' not in page.content


def test_user_admin_adds_a_user_by_email_without_username(staff_client):
    response = staff_client.post(
        "/admin/console/user/add/",
        {
            "email": "new@example.com",
            "usable_password": "true",
            "password1": "a long enough passphrase 2026",
            "password2": "a long enough passphrase 2026",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert User.objects.get(email="new@example.com").check_password("a long enough passphrase 2026")


def test_api_token_hash_is_never_shown_and_tokens_cannot_be_added(staff_client, developer):
    token, clear = ApiToken.issue(developer, "ci")

    page = staff_client.get(f"/admin/console/apitoken/{token.pk}/change/")
    listing = staff_client.get("/admin/console/apitoken/")

    for response in (page, listing):
        assert token.token_hash.encode() not in response.content
        assert clear.encode() not in response.content
    assert staff_client.get("/admin/console/apitoken/add/").status_code == 403


def test_revoke_action_revokes_and_audits(staff_client, developer):
    token, _ = ApiToken.issue(developer, "ci")

    staff_client.post(
        "/admin/console/apitoken/",
        {"action": "revoke_tokens", "_selected_action": [token.pk]},
    )

    token.refresh_from_db()
    assert token.revoked is not None
    event = AuditEvent.objects.get(action="api_token.revoke")
    assert event.actor.email == "root@example.com"
    assert event.before == {"token": token.prefix, "description": "ci", "user": "dev@example.com"}


def test_audit_events_are_read_only_and_filterable(staff_client, service):
    from console import audit_log

    event = audit_log.record("service.create", project=service.project, service=service)

    listing = staff_client.get("/admin/console/auditevent/", {"kind": "system"})
    change = staff_client.post(f"/admin/console/auditevent/{event.pk}/change/", {"action": "x"})
    delete = staff_client.post(f"/admin/console/auditevent/{event.pk}/delete/", {"post": "yes"})

    assert list(listing.context["cl"].queryset) == [event]
    assert change.status_code == 403
    assert delete.status_code == 403
    event.refresh_from_db()
    assert event.action == "service.create"


def test_non_staff_member_is_sent_to_the_admin_login(client, developer):
    client.force_login(developer)

    response = client.get("/admin/console/service/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_service_change_list_query_count_does_not_grow_with_services(
    staff_client, service, django_assert_max_num_queries
):
    for n in range(5):
        ServiceFactory(project=service.project, name=f"extra-{n}", nodes=1)

    with django_assert_max_num_queries(12):
        staff_client.get("/admin/console/service/")


def _admin_request(rf):
    request = rf.post("/admin/console/service/")
    request.user = UserFactory(email="root@example.com", is_staff=True, is_superuser=True)
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_a_plan_change_in_admin_scales_through_the_action(rf, service, developer):
    request = _admin_request(rf)
    service.plan = "premium-6"
    form = SimpleNamespace(changed_data=["plan"], initial={"plan": "business-4"})

    admin.site._registry[Service].save_model(request, service, form, change=True)

    service.refresh_from_db()
    assert (service.plan, service.nodes.count()) == ("premium-6", 6)
    event = AuditEvent.objects.get(action="service.plan", service=service)
    assert event.actor == request.user


def test_a_plan_change_the_action_refuses_is_told_in_admin_and_changes_nothing(rf, service):
    Service.objects.filter(pk=service.pk).update(state=Service.State.DELETING)
    service.refresh_from_db()
    request = _admin_request(rf)
    service.plan = "premium-6"
    form = SimpleNamespace(changed_data=["plan"], initial={"plan": "business-4"})

    admin.site._registry[Service].save_model(request, service, form, change=True)

    (told,) = [str(m) for m in get_messages(request)]
    assert told.startswith("The plan was not changed: ")
    service.refresh_from_db()
    assert (service.plan, service.nodes.count()) == ("business-4", 3)
    assert not AuditEvent.objects.filter(action="service.plan", service=service).exists()


def test_deleting_a_service_in_admin_terminates_it(staff_client, service):
    response = staff_client.post(f"/admin/console/service/{service.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.state == Service.State.DELETING
    assert AuditEvent.objects.filter(action="service.terminate", service=service).exists()
