"""Removing a principal that covers a live connection: the page names the endpoints that
would be disconnected and changes nothing until the person confirms."""

from console.models import AuditEvent
from privatelink.models import PrivateLink
from tests.constants import CUSTOMER_ROLE, HTMX, OTHER_ACCOUNT_ROLE, SAME_ACCOUNT_ROLE
from tests.factories import ConnectionFactory, PrivateLinkFactory

PAGE = "/projects/demo/services/my-kafka/privatelink/"
REMOVE = PAGE + "principals/remove"
# Another account's role: it does not cover the connection of account 111122223333.
HOST = "privatelink-1-my-kafka-demo.example.test"


def _remove(client, link, *disconnect):
    return client.post(
        REMOVE,
        {
            "principal": CUSTOMER_ROLE,
            "digest": link.principals_digest,
            "disconnect": list(disconnect),
        },
        **HTMX,
    )


def test_removal_that_would_disconnect_names_the_endpoints_and_changes_nothing(
    developer_client, queued, service
):
    link = PrivateLinkFactory(service=service, principals=[CUSTOMER_ROLE, OTHER_ACCOUNT_ROLE])
    connection = ConnectionFactory(privatelink=link, number=1, state="active")
    ConnectionFactory(
        privatelink=link, number=2, state="rejected", rejection_reason="Connection limit reached"
    )

    response = _remove(developer_client, link)

    html = response.content.decode()
    assert response.status_code == 200
    question = html[html.index('data-testid="disconnect-confirmation"') :]
    assert f"<code>{connection.endpoint_id}</code> · account 111122223333" in question
    assert f"host <code>{HOST}</code>" in question
    assert "vpce-00000000000000002" not in question  # already rejected: nothing to cut
    assert "Remove and disconnect" in question
    assert f'name="disconnect" value="{connection.endpoint_id}"' in question
    link.refresh_from_db()
    assert link.principals == sorted([CUSTOMER_ROLE, OTHER_ACCOUNT_ROLE])
    assert not AuditEvent.objects.filter(action="privatelink.principals").exists()
    assert queued == []


def test_confirmed_removal_is_saved_and_audited(developer_client, queued, service):
    link = PrivateLinkFactory(service=service, principals=[CUSTOMER_ROLE, OTHER_ACCOUNT_ROLE])
    connection = ConnectionFactory(privatelink=link, number=1, state="active")

    response = _remove(developer_client, link, connection.endpoint_id)

    assert response.status_code == 200
    assert "disconnect-confirmation" not in response.content.decode()
    link.refresh_from_db()
    assert link.principals == [OTHER_ACCOUNT_ROLE]
    event = AuditEvent.objects.get(action="privatelink.principals")
    assert event.after == {
        "principals": [OTHER_ACCOUNT_ROLE],
        "disconnects": [connection.endpoint_id],
    }


def test_a_connection_that_appeared_after_the_question_is_asked_about_again(
    developer_client, service
):
    link = PrivateLinkFactory(service=service, principals=[CUSTOMER_ROLE, OTHER_ACCOUNT_ROLE])
    first = ConnectionFactory(privatelink=link, number=1, state="active")
    second = ConnectionFactory(privatelink=link, number=2, state="user-approved")

    response = _remove(developer_client, link, first.endpoint_id)

    question = response.content.decode()
    assert second.endpoint_id in question
    assert PrivateLink.objects.get(pk=link.pk).principals == sorted(
        [CUSTOMER_ROLE, OTHER_ACCOUNT_ROLE]
    )


def test_removal_that_disconnects_nothing_needs_no_confirmation(developer_client, queued, service):
    link = PrivateLinkFactory(service=service, principals=[CUSTOMER_ROLE, SAME_ACCOUNT_ROLE])
    ConnectionFactory(
        privatelink=link, number=1, state="active"
    )  # still covered by the other role of its account

    response = _remove(developer_client, link)

    assert "disconnect-confirmation" not in response.content.decode()
    link.refresh_from_db()
    assert link.principals == [SAME_ACCOUNT_ROLE]


def test_without_javascript_the_whole_page_asks_the_same_question(developer_client, service):
    link = PrivateLinkFactory(service=service, principals=[CUSTOMER_ROLE, OTHER_ACCOUNT_ROLE])
    connection = ConnectionFactory(privatelink=link, number=1, state="active")

    response = developer_client.post(
        REMOVE, {"principal": CUSTOMER_ROLE, "digest": link.principals_digest}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>PrivateLink of my-kafka</h1>" in html
    assert f'name="disconnect" value="{connection.endpoint_id}"' in html
    assert PrivateLink.objects.get(pk=link.pk).principals == sorted(
        [CUSTOMER_ROLE, OTHER_ACCOUNT_ROLE]
    )
