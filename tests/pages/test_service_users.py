"""The Service users card of the Overview page: every user listed, users added with their
own password (and Kafka certificate) and deleted by writers, the primary user kept."""

from console.models import AuditEvent, ServiceUser
from tests.constants import HTMX, PASSWORD

OVERVIEW = "/projects/demo/services/my-kafka/"


def test_the_card_lists_every_user(developer_client, service):
    ServiceUser.objects.create(service=service, username="app-orders", password_encrypted="x")
    html = developer_client.get(OVERVIEW).content.decode()
    assert "<code>avnadmin</code>" in html
    assert "<code>app-orders</code>" in html
    assert 'id="reveal-password-app-orders"' in html
    assert 'id="delete-user-app-orders"' in html
    assert 'id="delete-user-avnadmin"' not in html


def test_adding_a_user_gives_it_a_password_and_a_certificate(developer_client, service, developer):
    response = developer_client.post(OVERVIEW + "users/new", {"username": "app-orders"})
    assert response["Location"] == OVERVIEW + "#users-heading"
    user = ServiceUser.objects.get(service=service, username="app-orders")
    assert user.password_encrypted
    assert "BEGIN CERTIFICATE" in user.access_cert
    assert AuditEvent.objects.get(action="service_user.create").actor == developer
    revealed = developer_client.post(
        OVERVIEW + "users/app-orders/reveal", {"secret": "password", "password": PASSWORD}, **HTMX
    ).content.decode()
    assert 'data-copy="' in revealed


def test_a_malformed_name_is_refused_with_the_reason(developer_client, service):
    response = developer_client.post(OVERVIEW + "users/new", {"username": "Bad Name"}, follow=True)
    assert "The user was not added: Invalid user name &#x27;Bad Name&#x27;" in (
        response.content.decode()
    )
    assert list(ServiceUser.objects.values_list("username", flat=True)) == ["avnadmin"]


def test_deleting_keeps_the_primary_user(developer_client, service):
    developer_client.post(OVERVIEW + "users/new", {"username": "app-orders"})
    developer_client.post(OVERVIEW + "users/app-orders/delete")
    refused = developer_client.post(OVERVIEW + "users/avnadmin/delete", follow=True)
    assert list(ServiceUser.objects.values_list("username", flat=True)) == ["avnadmin"]
    assert "avnadmin is the primary user of my-kafka and cannot be deleted" in (
        refused.content.decode()
    )


def test_read_only_member_sees_the_users_but_cannot_change_them(read_only_client, service):
    html = read_only_client.get(OVERVIEW).content.decode()
    assert "<code>avnadmin</code>" in html
    assert 'id="id_new_username"' not in html
    assert read_only_client.post(OVERVIEW + "users/new", {"username": "x"}).status_code == 403
    assert read_only_client.post(OVERVIEW + "users/avnadmin/delete").status_code == 403
    assert list(ServiceUser.objects.values_list("username", flat=True)) == ["avnadmin"]
