"""An Azure PrivateLink from creation to deletion in Chromium, against a live web server, a
real Celery worker, the fake Azure (the customer's private endpoints made with the real
SDK) and the fake AWS (the platform's DNS zone)."""

import contextlib
import time

import pytest
from azure.core.exceptions import HttpResponseError
from playwright.sync_api import expect

from fakeazure.pytest_plugin import PLATFORM_SUBSCRIPTION
from privatelink.clouds.azure import AzureGateway
from privatelink.clouds.azure.names import private_link_service_name
from privatelink.clouds.errors import InProgress
from tests.browser.accessibility import assert_no_axe_violations, record_announcements
from tests.browser.conftest import log_in
from tests.constants import OWNER

pytestmark = [pytest.mark.browser, pytest.mark.worker]

PAGE = "/projects/acme/services/my-kafka-az/privatelink/"
LISTED = "00000000-0000-0000-0000-000000000001"
UNLISTED = "00000000-0000-0000-0000-000000000002"
# Azure's provisioning and deletion, reconcile countdowns and the sweep take seconds.
SLOW_SECONDS = 90
SLOW = SLOW_SECONDS * 1000
ATTEMPTS_BEHIND_THE_BACK = 5
# What a deleted link leaves in Azure: the Project VPC's network, the customer's endpoints
# and network.
LEFT_AFTER_DELETION = {
    "Microsoft.Network/privateEndpoints",
    "Microsoft.Network/virtualNetworks",
    "Microsoft.Network/virtualNetworks/subnets",
}


def _wait(stack, sql: str, expected, what: str) -> None:
    deadline = time.monotonic() + SLOW_SECONDS
    while (found := stack.query(sql)) != expected:
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: {found!r}\n{stack.logs()}")
        time.sleep(0.5)


@pytest.fixture
def kafka_in_azure(stack):
    """my-kafka-az, built in an Azure Project VPC of project acme by the worker."""
    stack.shell("""
from console import actions
from console.models import Project
project = Project.objects.get(name="acme")
vpc = actions.create_project_vpc(project, "azure-westeurope", "10.20.0.0/16", actor=None)
actions.create_service(project, name="my-kafka-az", service_type="kafka", plan="business-4",
    project_vpc=vpc, actor=None)
""")
    _wait(
        stack,
        "SELECT state FROM console_projectvpc",
        [("active",)],
        "the Azure Project VPC was not built",
    )
    return stack


@pytest.fixture
def platform_gateway(settings, fake_azure) -> AzureGateway:
    """The platform subscription as the stack's worker reaches it, for changes made behind
    the console's back."""
    settings.AZURE_ENDPOINT_URL = fake_azure.endpoint_url
    settings.AZURE_CERTIFICATE = str(fake_azure.certificate)
    settings.AZURE_SUBSCRIPTION_ID = PLATFORM_SUBSCRIPTION
    settings.AZURE_POLLING_INTERVAL = 0.05
    return AzureGateway()


def _connection(stack, subscription: str, field: str = "privatelink_connection_id"):
    [(value,)] = stack.query(
        f"SELECT {field} FROM privatelink_privatelinkconnection WHERE owner = ?",
        subscription,
    )
    return value


def test_an_azure_privatelink_is_created_connected_and_deleted_in_the_browser(
    kafka_in_azure, fake_azure, platform_gateway, chromium_browser, screens
):
    stack = kafka_in_azure
    page = log_in(chromium_browser, stack, OWNER)
    page.goto(stack.url + PAGE)
    page.get_by_label("Allowed subscriptions").fill(LISTED)
    page.get_by_role("button", name="Create PrivateLink").click()
    expect(page.get_by_test_id("privatelink-state")).to_have_text("Active", timeout=SLOW)
    alias = page.get_by_test_id("azure-service-alias")
    expect(alias).to_contain_text(".westeurope.azure.privatelinkservice", timeout=SLOW)
    assert_no_axe_violations(page, "the active Azure link with its alias")
    screens.take(page, "active")

    # The customer's endpoint, from a listed subscription; and one from a subscription the
    # link does not list, which someone let see the service behind the console's back.
    listed = fake_azure.customer(LISTED).create_endpoint(alias.inner_text().strip())
    [(link_id,)] = stack.query("SELECT id FROM privatelink_privatelink")
    service_name = private_link_service_name(link_id)
    unlisted = _endpoint_let_in_behind_the_back(
        fake_azure, platform_gateway, service_name, alias.inner_text().strip()
    )

    # Azure tells the console nothing: Refresh looks.
    said = record_announcements(page)
    page.get_by_role("button", name="Refresh").click()
    connections = page.locator("#privatelink-connections")
    expect(connections).to_contain_text(listed.id, timeout=SLOW)
    expect(connections).to_contain_text(unlisted.id, timeout=SLOW)
    cid = _connection(stack, LISTED)
    stranger = _connection(stack, UNLISTED)
    expect(page.locator(f"#connection-state-{cid}")).to_have_text("Pending approval")
    # Nobody acted on the unlisted one: it was rejected, in Azure too, and the service is
    # visible to the listed subscription alone again.
    expect(page.locator(f"#connection-state-{stranger}")).to_have_text("Rejected", timeout=SLOW)
    expect(connections).to_contain_text(UNLISTED)
    assert _status(fake_azure, UNLISTED, unlisted.id) == "Rejected"
    assert platform_gateway.private_link_service(service_name).visibility == {LISTED}
    assert _status(fake_azure, LISTED, listed.id) == "Pending"
    assert_no_axe_violations(page, "a pending and a rejected connection")
    screens.take(page, "pending-and-rejected")

    page.get_by_role("button", name=f"Approve {cid}").click()
    said.expect(f"Approved {listed.id.rsplit('/', 1)[-1]}.")
    address = page.get_by_label(f"Endpoint IP address of {cid}")
    address.fill(listed.ip_address)
    address.press("Enter")
    state = page.locator(f"#connection-state-{cid}")
    expect(state).to_have_text("Active", timeout=SLOW)
    number = _connection(stack, LISTED, "number")
    row = connections.locator("tr", has=state)
    expect(row).to_contain_text(f"privatelink-{number}-my-kafka-az-acme.example.test")
    assert _status(fake_azure, LISTED, listed.id) == "Approved"
    assert stack.query(
        "SELECT user_ip_address FROM privatelink_privatelinkconnection "
        "WHERE privatelink_connection_id = ?",
        cid,
    ) == [(listed.ip_address,)]
    assert_no_axe_violations(page, "the active connection with its host")
    screens.take(page, "connection-active")

    page.get_by_role("link", name="Delete PrivateLink…").click()
    page.get_by_label("Type the service name to confirm").fill("my-kafka-az")
    page.get_by_role("button", name="Delete PrivateLink").click()
    expect(page.get_by_role("button", name="Create PrivateLink")).to_be_visible(timeout=SLOW)
    assert stack.query("SELECT id FROM privatelink_privatelink") == []
    assert {r["type"] for r in fake_azure.resources()} == LEFT_AFTER_DELETION
    assert_no_axe_violations(page, "the create form after the deletion")
    screens.take(page, "deleted")


def _endpoint_let_in_behind_the_back(fake_azure, gateway, service_name: str, alias: str):
    """An endpoint of UNLISTED, which Azure lets in only while the service is visible to
    it. Every reconcile (the sweep queues them every few seconds) puts the allow-list back,
    so the widening is repeated until the endpoint gets in between two of them."""
    customer = fake_azure.customer(UNLISTED)
    for _ in range(ATTEMPTS_BEHIND_THE_BACK - 1):
        _widen(gateway, service_name)
        try:
            return customer.create_endpoint(alias)
        except HttpResponseError as error:
            if error.error is None or error.error.code != "PrivateLinkServiceNotFound":
                raise
    _widen(gateway, service_name)
    return customer.create_endpoint(alias)


def _widen(gateway, service_name: str) -> None:
    """UNLISTED made to see the service. The gateway does not wait while Azure applies it
    (InProgress), nor sends it while the console's own change still runs: the next
    attempt widens it again."""
    with contextlib.suppress(InProgress):
        gateway.set_visibility(service_name, [LISTED, UNLISTED])


def _status(fake_azure, subscription: str, endpoint_id: str) -> str:
    """The endpoint's connection state, as the customer sees it in their subscription."""
    endpoints = fake_azure.customer(subscription).list_endpoints()
    return next(e.status for e in endpoints if e.id.lower() == endpoint_id.lower())
