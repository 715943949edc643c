import json
from urllib.parse import quote

import pytest

from console.models import AuditEvent
from privatelink.models import PrivateLink
from tests.constants import CUSTOMER_ROLE, HTMX, SAME_ACCOUNT_ROLE
from tests.factories import ConnectionFactory, PrivateLinkFactory

PAGE = "/projects/demo/services/my-kafka/privatelink/"


def test_writer_without_a_privatelink_sees_the_create_form(developer_client, service):
    response = developer_client.get(PAGE)
    assert response.status_code == 200
    assert b'name="principals"' in response.content
    assert b'<label for="id_principals">' in response.content


def test_creating_a_privatelink_saves_principals_and_redirects_the_browser(
    developer_client, service
):
    response = developer_client.post(
        PAGE + "create", {"principals": f"{CUSTOMER_ROLE}\n\n  {SAME_ACCOUNT_ROLE}  \n"}, **HTMX
    )
    assert response["HX-Redirect"] == PAGE
    link = PrivateLink.objects.get(service=service)
    assert link.state == "creating"
    assert link.principals == sorted([CUSTOMER_ROLE, SAME_ACCOUNT_ROLE])
    assert AuditEvent.objects.filter(service=service, action__startswith="privatelink").exists()


def test_a_bad_principal_is_explained_next_to_the_field_and_nothing_is_created(
    developer_client, service
):
    response = developer_client.post(
        PAGE + "create", {"principals": "arn:aws:iam::123:role/x"}, **HTMX
    )
    html = response.content.decode()
    assert 'id="id_principals_error"' in html
    assert "is not an IAM principal AWS accepts" in html
    assert "arn:aws:iam::123:role/x" in html  # what was typed is kept
    assert not PrivateLink.objects.filter(service=service).exists()


def test_outsider_gets_404_for_every_privatelink_url(outsider_client, service):
    PrivateLinkFactory(service=service)
    for url in ("", "summary", "connections", "delete"):
        assert outsider_client.get(PAGE + url).status_code == 404
    for url in ("create", "principals/add", "principals/remove", "connections/refresh", "delete"):
        response = outsider_client.post(PAGE + url, {"principal": CUSTOMER_ROLE})
        assert response.status_code == 404
    assert PrivateLink.objects.get(service=service).principals == [CUSTOMER_ROLE]


def test_read_only_member_sees_the_link_without_write_controls(read_only_client, service):
    PrivateLinkFactory(service=service)
    html = read_only_client.get(PAGE).content.decode()
    assert "vpce-svc-0123456789abcdef0" in html
    assert CUSTOMER_ROLE in html
    assert "Remove" not in html
    assert 'name="principal"' not in html
    assert ">Refresh<" not in html
    assert "Delete PrivateLink" not in html


def test_read_only_member_gets_403_when_posting_anyway(read_only_client, service):
    link = PrivateLinkFactory(service=service)
    response = read_only_client.post(
        PAGE + "principals/add",
        {"principal": SAME_ACCOUNT_ROLE, "digest": link.principals_digest},
        **HTMX,
    )
    assert response.status_code == 403
    assert read_only_client.post(PAGE + "delete", {"confirm": "my-kafka"}).status_code == 403
    link.refresh_from_db()
    assert link.principals == [CUSTOMER_ROLE]
    assert link.state == "active"


def test_active_link_shows_names_and_the_endpoint_command(developer_client, service):
    PrivateLinkFactory(service=service)
    html = developer_client.get(PAGE).content.decode()
    assert (
        "aws ec2 create-vpc-endpoint --vpc-endpoint-type Interface --vpc-id VPC_ID "
        "--subnet-ids SUBNET_ID_1 SUBNET_ID_2 SUBNET_ID_3 --security-group-ids SG_ID "
        "--service-name com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0 "
        "--region eu-west-1"
    ) in html
    assert 'data-copy="vpce-svc-0123456789abcdef0"' in html


def test_summary_of_a_creating_link_keeps_polling(developer_client, service):
    PrivateLinkFactory(service=service, state="creating", converged=False)
    html = developer_client.get(PAGE).content.decode()
    assert 'hx-trigger="every 2s"' in html
    response = developer_client.get(PAGE + "summary", **HTMX)
    assert response.status_code == 200
    assert b'hx-trigger="every 2s"' in response.content
    assert b"<html" not in response.content


def test_summary_of_an_active_link_keeps_polling_at_the_settled_pace(developer_client, service):
    PrivateLinkFactory(service=service)
    response = developer_client.get(PAGE + "summary", **HTMX)
    # A change made elsewhere must still reach the page: slower, never stopped.
    assert response.status_code == 200
    assert b'hx-trigger="every 5s"' in response.content
    assert b"Active" in response.content


def test_adding_a_principal_keeps_the_others(developer_client, service):
    link = PrivateLinkFactory(service=service)
    response = developer_client.post(
        PAGE + "principals/add",
        {"principal": SAME_ACCOUNT_ROLE, "digest": link.principals_digest},
        **HTMX,
    )
    link.refresh_from_db()
    assert link.principals == sorted([CUSTOMER_ROLE, SAME_ACCOUNT_ROLE])
    assert SAME_ACCOUNT_ROLE in response.content.decode()
    assert b'id="privatelink-principals"' in response.content


def test_removing_a_principal_keeps_the_others(developer_client, service):
    link = PrivateLinkFactory(service=service, principals=[CUSTOMER_ROLE, SAME_ACCOUNT_ROLE])
    developer_client.post(
        PAGE + "principals/remove",
        {"principal": SAME_ACCOUNT_ROLE, "digest": link.principals_digest},
        **HTMX,
    )
    link.refresh_from_db()
    assert link.principals == [CUSTOMER_ROLE]


def test_a_stale_edit_is_refused_with_an_explanation(developer_client, service):
    link = PrivateLinkFactory(service=service)
    stale = link.principals_digest
    link.principals = sorted([CUSTOMER_ROLE, "arn:aws:iam::111122223333:role/new"])
    link.save()
    response = developer_client.post(
        PAGE + "principals/add", {"principal": SAME_ACCOUNT_ROLE, "digest": stale}, **HTMX
    )
    assert response.status_code == 409
    assert "changed meanwhile" in response.content.decode()
    link.refresh_from_db()
    assert SAME_ACCOUNT_ROLE not in link.principals
    # The typed entry is kept, and the fragment now carries the current list's digest.
    assert f'value="{SAME_ACCOUNT_ROLE}"' in response.content.decode()
    assert link.principals_digest in response.content.decode()


def test_inline_check_explains_a_bad_arn_with_the_actions_validator(developer_client, service):
    response = developer_client.post(
        PAGE + "principals/check", {"principal": "arn:aws:iam::111122223333:role/a/b"}, **HTMX
    )
    html = response.content.decode()
    # Only the inside of the live region: the region itself is never replaced.
    assert 'id="principal-feedback"' not in html
    assert "has a path" in html


@pytest.mark.parametrize("principal", ["*", "arn:aws:iam::111122223333:root"])
def test_inline_check_warns_about_broad_principals(developer_client, service, principal):
    response = developer_client.post(PAGE + "principals/check", {"principal": principal}, **HTMX)
    assert "Broad principal" in response.content.decode()


def test_page_warns_when_a_broad_principal_is_allowed(developer_client, service):
    PrivateLinkFactory(service=service, principals=["arn:aws:iam::111122223333:root"])
    assert "Broad access" in developer_client.get(PAGE).content.decode()


def test_connections_show_endpoint_host_state_and_rejection(developer_client, service):
    link = PrivateLinkFactory(service=service)
    ConnectionFactory(privatelink=link, number=1, state="active")
    ConnectionFactory(
        privatelink=link,
        number=2,
        state="rejected",
        rejection_reason="Connection limit of 1 reached",
    )
    response = developer_client.get(PAGE + "connections", **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "connections-changed from:body, every 5s" in html
    assert "privatelink-1-my-kafka-demo.example.test" in html
    assert "vpce-00000000000000002" in html
    assert "Connection limit of 1 reached" in html
    assert "vpce-00000000000000001-abc.vpce-svc.eu-west-1.vpce.amazonaws.com" in html


def test_ended_connections_say_why_they_have_no_host_and_a_pending_one_when_it_will(
    developer_client, service
):
    link = PrivateLinkFactory(service=service)
    ConnectionFactory(privatelink=link, number=1, state="rejected", rejection_reason="Limit")
    ConnectionFactory(privatelink=link, number=2, state="deleted")
    ConnectionFactory(privatelink=link, number=3, state="pending-user-approval")

    html = developer_client.get(PAGE + "connections", **HTMX).content.decode()

    assert "None: the connection was rejected" in html
    assert "None: the endpoint was deleted" in html
    assert html.count("Published once active") == 1
    assert "privatelink-1-my-kafka" not in html
    assert "privatelink-2-my-kafka" not in html


def test_connections_keep_polling_while_one_awaits_approval(developer_client, service):
    ConnectionFactory(
        privatelink=PrivateLinkFactory(service=service), number=1, state="pending-user-approval"
    )
    response = developer_client.get(PAGE + "connections", **HTMX)
    assert response.status_code == 200
    assert b'hx-trigger="connections-changed from:body, every 2s"' in response.content


def test_refresh_queues_a_look_at_aws_and_polls(
    developer_client, queued, django_capture_on_commit_callbacks, service
):
    link = PrivateLinkFactory(service=service)
    with django_capture_on_commit_callbacks(execute=True):
        response = developer_client.post(PAGE + "connections/refresh", **HTMX)
    assert b'hx-trigger="connections-changed from:body, every 2s"' in response.content
    assert queued == [("service", link.service_id)]


def test_delete_asks_for_the_service_name_and_says_what_stops_working(developer_client, service):
    ConnectionFactory(privatelink=PrivateLinkFactory(service=service), number=1, state="active")
    html = developer_client.get(PAGE + "delete").content.decode()
    assert "Type my-kafka" in html
    assert "vpce-00000000000000001" in html
    assert "privatelink-1-my-kafka-demo.example.test" in html


def test_delete_with_a_wrong_name_changes_nothing(developer_client, service):
    link = PrivateLinkFactory(service=service)
    response = developer_client.post(PAGE + "delete", {"confirm": "my-kafk"})
    assert response.status_code == 400
    assert "not the service name" in response.content.decode()
    link.refresh_from_db()
    assert link.state == "active"


def test_delete_with_the_service_name_marks_the_link_deleting(developer_client, service):
    link = PrivateLinkFactory(service=service)
    response = developer_client.post(PAGE + "delete", {"confirm": "my-kafka"})
    assert response["Location"] == PAGE
    link.refresh_from_db()
    assert link.state == "deleting"
    assert AuditEvent.objects.filter(action="privatelink.delete", actor__isnull=False).exists()
    html = developer_client.get(PAGE).content.decode()
    assert f"?shape={link.pk}-deleting" in html
    assert "Allowed principals" not in html


def test_finished_deletion_sends_the_poller_back_to_the_page(developer_client, service):
    response = developer_client.get(PAGE + "summary?shape=7-deleting", **HTMX)
    assert response["HX-Redirect"] == PAGE


def test_a_link_created_elsewhere_sends_the_poller_back_to_the_page(developer_client, service):
    PrivateLinkFactory(service=service)
    response = developer_client.get(PAGE + "summary?shape=none", **HTMX)
    assert response["HX-Redirect"] == PAGE


def test_the_summary_of_an_unchanged_page_is_swapped_in_place(developer_client, service):
    link = PrivateLinkFactory(service=service)
    response = developer_client.get(PAGE + f"summary?shape={link.pk}-live", **HTMX)
    assert "HX-Redirect" not in response
    assert b'id="privatelink-summary"' in response.content


def test_principals_poll_shows_an_edit_made_elsewhere(developer_client, service):
    link = PrivateLinkFactory(service=service)
    html = developer_client.get(PAGE).content.decode()
    assert f'hx-get="{PAGE}principals" hx-trigger="every 5s"' in html
    link.principals = sorted([CUSTOMER_ROLE, SAME_ACCOUNT_ROLE])
    link.save()
    response = developer_client.get(PAGE + "principals", **HTMX)
    assert SAME_ACCOUNT_ROLE in response.content.decode()
    assert b"<html" not in response.content


def test_removing_a_principal_asks_the_connections_section_to_redraw(developer_client, service):
    link = PrivateLinkFactory(service=service, principals=[CUSTOMER_ROLE, SAME_ACCOUNT_ROLE])
    response = developer_client.post(
        PAGE + "principals/remove",
        {"principal": SAME_ACCOUNT_ROLE, "digest": link.principals_digest},
        **HTMX,
    )
    assert "connections-changed" in json.loads(response["HX-Trigger"])


def test_expired_session_under_htmx_sends_the_browser_to_log_in(client, service):
    response = client.get(PAGE + "summary", **HTMX)
    assert response["HX-Redirect"].startswith("/accounts/login/?next=" + quote(PAGE, safe="/"))


def test_create_form_adds_principals_row_by_row_keeping_the_list(developer_client, service):
    response = developer_client.post(
        PAGE + "principals/add-row",
        {"principals": CUSTOMER_ROLE, "new_principal": f"  {SAME_ACCOUNT_ROLE} "},
        **HTMX,
    )
    html = response.content.decode()
    assert f"{CUSTOMER_ROLE}\n{SAME_ACCOUNT_ROLE}</textarea>" in html
    assert 'name="new_principal" id="id_new_principal" value=""' in html
    assert not PrivateLink.objects.filter(service=service).exists()


def test_add_to_list_posts_to_its_own_url_from_the_create_form(developer_client, service):
    html = developer_client.get(PAGE).content.decode()
    assert f'formaction="{PAGE}principals/add-row" id="add-to-list"' in html
    assert f'action="{PAGE}create"' in html


def test_without_javascript_adding_a_row_answers_the_whole_page_with_the_list(
    developer_client, service
):
    response = developer_client.post(
        PAGE + "principals/add-row",
        {"principals": CUSTOMER_ROLE, "new_principal": SAME_ACCOUNT_ROLE},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>PrivateLink of my-kafka</h1>" in html
    assert f"{CUSTOMER_ROLE}\n{SAME_ACCOUNT_ROLE}</textarea>" in html
    assert not PrivateLink.objects.filter(service=service).exists()


def test_a_bad_row_is_explained_and_the_list_is_kept(developer_client, service):
    response = developer_client.post(
        PAGE + "principals/add-row",
        {"principals": CUSTOMER_ROLE, "new_principal": "arn:aws:iam::1:user/x"},
        **HTMX,
    )
    html = response.content.decode()
    assert 'id="id_new_principal_error"' in html
    assert "is not an IAM principal AWS accepts" in html
    assert f"{CUSTOMER_ROLE}</textarea>" in html
    assert not PrivateLink.objects.filter(service=service).exists()
