"""The PrivateLink page of a service running in Azure: creating the link with its allowed
subscriptions, the alias and command once connectable, the subscriptions editor, and the
connections' approval and endpoint address; with the same access rules as the AWS page."""

import pytest

from console.models import AuditEvent
from privatelink.models import AzurePrivateLink, PrivateLink, PrivateLinkConnection
from tests.constants import HTMX
from tests.factories import ConnectionFactory, PrivateLinkFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("queued")]

PAGE = "/projects/demo/services/my-kafka-az/privatelink/"
SUB_A = "00000000-0000-0000-0000-000000000001"
SUB_B = "00000000-0000-0000-0000-000000000002"
ALIAS = "my-kafka-az.2f0c1d9e-0b4a-4c5e-9f7e-1a2b3c4d5e6f.westeurope.azure.privatelinkservice"
SERVICE_ID = (
    "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/platform/providers/"
    "Microsoft.Network/privateLinkServices/my-kafka-az"
)
State = PrivateLinkConnection.State


def _azure_link(service, provisioning_state="Succeeded", **kwargs) -> PrivateLink:
    link = PrivateLinkFactory(service=service, principals=[SUB_A], provisioned=False, **kwargs)
    AzurePrivateLink.objects.create(
        privatelink=link,
        service_alias=ALIAS if provisioning_state == "Succeeded" else "",
        service_id=SERVICE_ID if provisioning_state == "Succeeded" else "",
        provisioning_state=provisioning_state,
    )
    return link


def _connection(link, number=1, state=State.PENDING_USER_APPROVAL, **kwargs):
    return ConnectionFactory(
        privatelink=link,
        number=number,
        state=state,
        endpoint_id=(
            f"/subscriptions/{SUB_A}/resourceGroups/customer/providers/"
            f"Microsoft.Network/privateEndpoints/pe-{number}"
        ),
        owner=SUB_A,
        dns_name="",
        **kwargs,
    )


@pytest.fixture
def link(azure_service):
    return _azure_link(azure_service)


# The create form


def test_a_writer_sees_the_subscriptions_form_with_price_and_no_aws_words(
    developer_client, azure_service
):
    html = developer_client.get(PAGE).content.decode()
    assert '<label for="id_subscriptions">' in html
    assert 'name="subscriptions"' in html
    assert "USD 0.0700 per hour" in html
    assert "IAM" not in html
    assert 'name="principals"' not in html


def test_the_form_warns_when_the_service_is_not_in_a_project_vpc(developer_client, azure_service):
    azure_service.project_vpc = None
    azure_service.save()
    html = developer_client.get(PAGE).content.decode()
    assert "does not run in a Project VPC; a PrivateLink needs one" in html


def test_creating_saves_the_subscriptions_and_redirects(developer_client, azure_service):
    response = developer_client.post(
        PAGE + "create", {"subscriptions": f"{SUB_B}\n\n  {SUB_A.upper()}  \n"}, **HTMX
    )
    assert response["HX-Redirect"] == PAGE
    link = PrivateLink.objects.get(service=azure_service)
    assert (link.state, link.principals) == ("creating", [SUB_A, SUB_B])
    assert link.azure.service_alias == ""
    assert AuditEvent.objects.filter(service=azure_service, action="privatelink.create").exists()


def test_a_bad_subscription_is_explained_at_the_field_and_nothing_is_created(
    developer_client, azure_service
):
    response = developer_client.post(
        PAGE + "create", {"subscriptions": f"{SUB_A}\nnot-a-guid"}, **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200  # the fragment, swapped into the summary
    assert 'id="id_subscriptions_error"' in html
    assert 'role="alert"' in html
    assert 'aria-invalid="true"' in html
    assert "not-a-guid is not an Azure subscription id" in html
    assert "not-a-guid" in html.split('id="id_subscriptions"')[1].split("</textarea>")[0]
    assert not PrivateLink.objects.filter(service=azure_service).exists()


def test_an_empty_list_is_refused_without_htmx_with_a_400(developer_client, azure_service):
    response = developer_client.post(PAGE + "create", {"subscriptions": ""})
    assert response.status_code == 400
    assert 'id="id_subscriptions_error"' in response.content.decode()
    assert not PrivateLink.objects.exists()


# The summary


def test_while_creating_the_page_says_what_is_being_built(developer_client, azure_service):
    _azure_link(azure_service, provisioning_state="", state=PrivateLink.State.CREATING)
    html = developer_client.get(PAGE).content.decode()
    assert "The load balancer and the private link service are being created" in html
    assert "platform's Azure subscription" in html
    assert ALIAS not in html


def test_when_connectable_the_alias_id_and_command_are_copyable(developer_client, link):
    html = developer_client.get(PAGE).content.decode()
    assert f'<code data-testid="azure-service-alias">{ALIAS}</code>' in html
    assert f'<code data-testid="azure-service-id">{SERVICE_ID}</code>' in html
    assert f'data-copy="{ALIAS}"' in html
    command = html.split('data-testid="endpoint-command">')[1].split("</code>")[0]
    assert command.startswith("az network private-endpoint create ")
    assert f"--private-connection-resource-id {SERVICE_ID}" in command
    assert "--manual-request true" in command
    assert "--location westeurope" in command
    assert 'id="copy-endpoint-command"' in html
    assert "Approve it" in html


def test_while_deleting_the_page_says_so_in_azure_words(developer_client, azure_service):
    _azure_link(azure_service, state=PrivateLink.State.DELETING)
    html = developer_client.get(PAGE).content.decode()
    assert "private link service and the load balancer are removed" in html
    assert "Allowed subscriptions" not in html


def test_the_aws_page_is_unchanged_for_an_aws_service(developer_client, service):
    html = developer_client.get("/projects/demo/services/my-kafka/privatelink/").content.decode()
    assert 'name="principals"' in html
    assert 'name="subscriptions"' not in html


# Allowed subscriptions


def test_adding_a_subscription_saves_it_and_announces_it(developer_client, link):
    response = developer_client.post(
        PAGE + "subscriptions/add",
        {"subscription": SUB_B, "digest": link.principals_digest},
        **HTMX,
    )
    assert response.status_code == 200
    link.refresh_from_db()
    assert link.principals == [SUB_A, SUB_B]
    assert "2 subscriptions are allowed" in response["HX-Trigger"]
    assert "connections-changed" in response["HX-Trigger"]
    assert SUB_B in response.content.decode()
    assert AuditEvent.objects.filter(action="privatelink.subscriptions").count() == 1


def test_a_bad_subscription_is_refused_at_the_field(developer_client, link):
    response = developer_client.post(
        PAGE + "subscriptions/add",
        {"subscription": "{" + SUB_B + "}", "digest": link.principals_digest},
        **HTMX,
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert 'id="subscription-error" role="alert"' in html
    assert "is not an Azure subscription id" in html
    link.refresh_from_db()
    assert link.principals == [SUB_A]


def test_removing_a_subscription_saves_it(developer_client, link):
    link.principals = [SUB_A, SUB_B]
    link.save()
    response = developer_client.post(
        PAGE + "subscriptions/remove",
        {"subscription": SUB_A, "digest": link.principals_digest},
        **HTMX,
    )
    assert response.status_code == 200
    link.refresh_from_db()
    assert link.principals == [SUB_B]
    assert "1 subscription is allowed" in response["HX-Trigger"]


def test_removing_the_last_subscription_is_refused_with_the_reason(developer_client, link):
    response = developer_client.post(
        PAGE + "subscriptions/remove",
        {"subscription": SUB_A, "digest": link.principals_digest},
        **HTMX,
    )
    assert response.status_code == 400
    assert "Allow at least one subscription." in response.content.decode()
    link.refresh_from_db()
    assert link.principals == [SUB_A]


def test_a_stale_edit_is_refused_and_the_current_list_shown(developer_client, link):
    seen = link.principals_digest
    link.principals = [SUB_A, SUB_B]
    link.save()
    third = "00000000-0000-0000-0000-000000000003"
    response = developer_client.post(
        PAGE + "subscriptions/add", {"subscription": third, "digest": seen}, **HTMX
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "were changed meanwhile, so your change was not made" in html
    assert SUB_B in html
    assert f'value="{third}"' in html  # what was typed is kept
    link.refresh_from_db()
    assert link.principals == [SUB_A, SUB_B]
    assert f'value="{link.principals_digest}"' in html
    assert not AuditEvent.objects.filter(action="privatelink.subscriptions").exists()


# Connections


def test_connections_show_the_endpoint_subscription_state_and_next_step(developer_client, link):
    pending = _connection(link, 1)
    approved = _connection(link, 2, state=State.USER_APPROVED)
    _connection(link, 3, state=State.ACTIVE, user_ip_address="10.1.0.7")
    html = developer_client.get(PAGE + "connections", **HTMX).content.decode()
    assert pending.endpoint_id in html
    assert f"subscription {SUB_A}" in html
    assert "Approve to let it connect." in html
    assert "Give the endpoint&#x27;s IP address" in html
    assert "Active." in html
    pid, aid = pending.privatelink_connection_id, approved.privatelink_connection_id
    assert f'id="approve-{pid}"' in html
    assert f'id="approve-{aid}"' not in html
    assert f'id="address-{pid}"' not in html
    assert f'id="address-{aid}"' in html
    assert 'value="10.1.0.7"' in html
    assert "privatelink-3-" in html  # the active connection's host


def test_approving_a_pending_connection(developer_client, link):
    pending = _connection(link, 1)
    url = PAGE + f"connections/{pending.privatelink_connection_id}/approve"
    response = developer_client.post(url, **HTMX)
    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.state == State.USER_APPROVED
    assert "Approved pe-1." in response["HX-Trigger"]
    html = response.content.decode()
    assert f'id="address-{pending.privatelink_connection_id}"' in html
    assert AuditEvent.objects.filter(action="privatelink.connection_approved").count() == 1


def test_approving_an_unknown_connection_says_so(developer_client, link):
    response = developer_client.post(PAGE + "connections/plc-nope/approve", **HTMX)
    assert response.status_code == 404
    assert "has no connection plc-nope" in response.content.decode()


def test_setting_the_endpoint_address(developer_client, link):
    approved = _connection(link, 1, state=State.USER_APPROVED)
    url = PAGE + f"connections/{approved.privatelink_connection_id}/address"
    response = developer_client.post(url, {"address": " 10.1.0.5 "}, **HTMX)
    assert response.status_code == 200
    approved.refresh_from_db()
    assert approved.user_ip_address == "10.1.0.5"
    assert "10.1.0.5 is the address of pe-1" in response["HX-Trigger"]
    assert AuditEvent.objects.filter(action="privatelink.connection_address").count() == 1


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("10.1.0", "is not an IPv4 address"),
        ("8.8.8.8", "8.8.8.8 is not a private address"),
    ],
)
def test_a_bad_or_public_address_is_refused_at_the_field(developer_client, link, typed, said):
    approved = _connection(link, 1, state=State.USER_APPROVED)
    cid = approved.privatelink_connection_id
    response = developer_client.post(
        PAGE + f"connections/{cid}/address", {"address": typed}, **HTMX
    )
    assert response.status_code == 400
    html = response.content.decode()
    field = html.split(f'id="address-{cid}"')[1].split(">")[0]
    assert 'aria-invalid="true"' in field
    assert f'aria-describedby="address-error-{cid}"' in field
    assert f'value="{typed}"' in field
    assert f'<p class="error" id="address-error-{cid}" role="alert">' in html
    assert said in html
    approved.refresh_from_db()
    assert approved.user_ip_address is None


def test_an_address_before_approval_is_refused(developer_client, link):
    pending = _connection(link, 1)
    cid = pending.privatelink_connection_id
    response = developer_client.post(
        PAGE + f"connections/{cid}/address", {"address": "10.1.0.5"}, **HTMX
    )
    assert response.status_code == 409
    assert "approve it first" in response.content.decode()
    pending.refresh_from_db()
    assert pending.user_ip_address is None


def test_an_address_another_endpoint_has_is_refused_at_the_field(developer_client, link):
    _connection(link, 1, state=State.ACTIVE, user_ip_address="10.1.0.5")
    second = _connection(link, 2, state=State.USER_APPROVED)
    cid = second.privatelink_connection_id
    response = developer_client.post(
        PAGE + f"connections/{cid}/address", {"address": "10.1.0.5"}, **HTMX
    )
    assert response.status_code == 409
    assert f'id="address-error-{cid}"' in response.content.decode()


def test_without_htmx_a_good_action_redirects_to_the_page(developer_client, link):
    pending = _connection(link, 1)
    response = developer_client.post(
        PAGE + f"connections/{pending.privatelink_connection_id}/approve"
    )
    assert response.status_code == 302
    assert response["Location"] == PAGE


# Access


def test_a_read_only_member_sees_no_write_controls(read_only_client, link):
    _connection(link, 1)
    _connection(link, 2, state=State.USER_APPROVED)
    html = read_only_client.get(PAGE).content.decode()
    assert ALIAS in html
    assert SUB_A in html
    for control in (">Approve<", 'name="address"', 'name="subscription"', ">Remove<"):
        assert control not in html
    assert "Delete PrivateLink" not in html


def test_a_read_only_member_gets_403_on_every_post(read_only_client, link):
    pending = _connection(link, 1)
    cid = pending.privatelink_connection_id
    posts = {
        "create": {"subscriptions": SUB_B},
        "subscriptions/add": {"subscription": SUB_B, "digest": link.principals_digest},
        "subscriptions/remove": {"subscription": SUB_A, "digest": link.principals_digest},
        f"connections/{cid}/approve": {},
        f"connections/{cid}/address": {"address": "10.1.0.5"},
    }
    for url, data in posts.items():
        assert read_only_client.post(PAGE + url, data, **HTMX).status_code == 403, url
    pending.refresh_from_db()
    link.refresh_from_db()
    assert (pending.state, link.principals) == (State.PENDING_USER_APPROVAL, [SUB_A])
    assert not AuditEvent.objects.exists()


def test_an_outsider_gets_404_everywhere(outsider_client, link):
    pending = _connection(link, 1)
    cid = pending.privatelink_connection_id
    for url in ("", "summary", "connections", "principals"):
        assert outsider_client.get(PAGE + url).status_code == 404
    for url in (
        "create",
        "subscriptions/add",
        "subscriptions/remove",
        f"connections/{cid}/approve",
        f"connections/{cid}/address",
    ):
        assert outsider_client.post(PAGE + url, {"address": "10.1.0.5"}).status_code == 404
    pending.refresh_from_db()
    assert pending.state == State.PENDING_USER_APPROVAL


def test_csrf_is_checked_on_the_azure_posts(client, developer, link):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(developer)
    response = strict.post(
        PAGE + "subscriptions/add", {"subscription": SUB_B, "digest": link.principals_digest}
    )
    assert response.status_code == 403
    link.refresh_from_db()
    assert link.principals == [SUB_A]


# Polled fragments


@pytest.mark.parametrize("fragment", ["summary", "principals", "connections"])
def test_the_polled_fragments_answer_and_then_304_when_unchanged(developer_client, link, fragment):
    _connection(link, 1)
    developer_client.get(PAGE)  # the page first: it hands out the CSRF cookie the ETag covers
    first = developer_client.get(PAGE + fragment, **HTMX)
    assert first.status_code == 200
    html = first.content.decode()
    expected = {"summary": ALIAS, "principals": SUB_A, "connections": "Approve to let it connect."}
    assert expected[fragment] in html
    again = developer_client.get(PAGE + fragment, HTTP_IF_NONE_MATCH=first["ETag"], **HTMX)
    assert again.status_code == 304


def test_the_polled_connections_show_an_approval_made_elsewhere(developer_client, link):
    pending = _connection(link, 1)
    developer_client.get(PAGE)
    first = developer_client.get(PAGE + "connections", **HTMX)
    developer_client.post(PAGE + f"connections/{pending.privatelink_connection_id}/approve", **HTMX)
    again = developer_client.get(PAGE + "connections", HTTP_IF_NONE_MATCH=first["ETag"], **HTMX)
    assert again.status_code == 200
    assert f'id="address-{pending.privatelink_connection_id}"' in again.content.decode()


# Each cloud's editors keep to their own links


def test_the_azure_editors_leave_an_aws_link_alone(developer_client, service):
    aws = PrivateLinkFactory(service=service)
    aws_page = "/projects/demo/services/my-kafka/privatelink/"
    response = developer_client.post(
        aws_page + "subscriptions/add", {"subscription": SUB_B, "digest": aws.principals_digest}
    )
    assert response.status_code == 302
    aws.refresh_from_db()
    assert SUB_B not in aws.principals


def test_the_principal_editor_leaves_an_azure_link_alone(developer_client, link):
    response = developer_client.post(
        PAGE + "principals/add",
        {"principal": "arn:aws:iam::123456789012:root", "digest": link.principals_digest},
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.principals == [SUB_A]


def test_the_delete_confirmation_speaks_of_the_private_link_service(developer_client, link):
    _connection(link, 1, state=State.ACTIVE, user_ip_address="10.1.0.5")
    html = developer_client.get(PAGE + "delete").content.decode()
    assert f"the private link service <code>{ALIAS}</code> and its load balancer" in html
    assert f"(subscription {SUB_A})" in html
    assert "endpoint service" not in html
