"""An Azure PrivateLink end to end through the engine: the customer's private endpoints
(made with the real SDK in the fake Azure) are seen, approved by the user, connected, and
published in the platform's zone (the fake AWS's Route 53) at the address the user gives."""

import pytest

from privatelink import azure_actions
from privatelink.clouds.azure import AzureGateway
from privatelink.clouds.azure.names import private_link_service_name
from privatelink.models import PrivateLink, PrivateLinkConnection
from tests.clouds.azure.conftest import CUSTOMER, STRANGER
from tests.privatelink.engine import converge

State = PrivateLinkConnection.State


@pytest.fixture
def active_link(azure_settings, fake_aws, azure_service, developer, queued, settings):
    """my-kafka-az's Azure PrivateLink allowing CUSTOMER, reconciled to `active`."""
    settings.PRIVATELINK_MAX_CONNECTIONS = 2
    link = azure_actions.create_azure_privatelink(azure_service, [CUSTOMER], actor=developer).link
    converge(azure_service)
    link.refresh_from_db()
    assert link.state == PrivateLink.State.ACTIVE
    return link


def _connection(endpoint_id: str) -> PrivateLinkConnection:
    return PrivateLinkConnection.objects.get(vpc_endpoint_id__iexact=endpoint_id)


def _status_in_azure(fake_azure, subscription: str, endpoint_id: str) -> str:
    endpoints = fake_azure.customer(subscription).list_endpoints()
    return next(e.status for e in endpoints if e.id.lower() == endpoint_id.lower())


def test_an_endpoint_of_a_listed_subscription_waits_for_the_user_then_connects(
    active_link, fake_azure, developer
):
    service = active_link.service
    endpoint = fake_azure.customer(CUSTOMER).create_endpoint(active_link.azure.service_alias)

    converge(service)

    row = _connection(endpoint.id)
    assert (row.state, row.owner_account, row.aws_state) == (
        State.PENDING_USER_APPROVAL,
        CUSTOMER,
        "pending",
    )
    assert _status_in_azure(fake_azure, CUSTOMER, endpoint.id) == "Pending"

    azure_actions.approve_connection(active_link, row.privatelink_connection_id, actor=developer)
    converge(service)

    row.refresh_from_db()
    assert row.state == State.CONNECTED
    assert _status_in_azure(fake_azure, CUSTOMER, endpoint.id) == "Approved"


def test_an_endpoint_of_an_unlisted_subscription_is_rejected_in_azure_without_the_user(
    active_link, fake_azure
):
    # Someone made the service visible to another subscription behind the console's back.
    name = private_link_service_name(active_link.pk)
    AzureGateway().set_visibility(name, [CUSTOMER, STRANGER])
    endpoint = fake_azure.customer(STRANGER).create_endpoint(active_link.azure.service_alias)

    converge(active_link.service)

    row = _connection(endpoint.id)
    assert row.state == State.REJECTED
    assert STRANGER in row.rejection_reason
    assert _status_in_azure(fake_azure, STRANGER, endpoint.id) == "Rejected"
    assert AzureGateway().private_link_service(name).visibility == {CUSTOMER}
