"""The PrivateLink page of a service in Azure, in Chromium: the create form's error at its
field, the alias once the link is connectable, and a connection approved and given its
endpoint address, with focus and announcements across the swaps and no axe violation.

The Azure cloud exists only for the test (the `azure_service` fixture adds it to the
catalog), so the page is served in this process by pytest-django's live server, with the
reconciles recorded instead of queued."""

import pytest
from playwright.sync_api import expect

from console.models import Membership, User
from privatelink.models import PrivateLink, PrivateLinkConnection
from tests.browser.accessibility import assert_no_axe_violations, focused, record_announcements
from tests.browser.conftest import log_in
from tests.constants import OWNER, PASSWORD
from tests.factories import ConnectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("queued")]

PAGE = "/projects/demo/services/my-kafka-az/privatelink/"
SUB_A = "00000000-0000-0000-0000-000000000001"
ALIAS = "my-kafka-az.2f0c1d9e-0b4a-4c5e-9f7e-1a2b3c4d5e6f.westeurope.azure.privatelinkservice"
SERVICE_ID = (
    "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/platform/providers/"
    "Microsoft.Network/privateLinkServices/my-kafka-az"
)


@pytest.fixture(autouse=True)
def orm_beside_playwright(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls
    # (set-up the reconciler would make) are plain synchronous ones all the same.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def owner(transactional_db, project):
    user = User.objects.create_user(OWNER, PASSWORD)
    Membership.objects.create(user=user, project=project, role="admin")
    return user


def _made_connectable(service) -> PrivateLink:
    """What the reconciler leaves once Azure has built the private link service."""
    link = PrivateLink.objects.get(service=service)
    link.state = PrivateLink.State.ACTIVE
    link.save()
    link.azure.service_alias = ALIAS
    link.azure.service_id = SERVICE_ID
    link.azure.provisioning_state = "Succeeded"
    link.azure.save()
    return link


def test_create_approve_and_address_an_azure_privatelink(
    live_server, azure_service, owner, chromium_browser, screens
):
    page = log_in(chromium_browser, live_server, OWNER)
    page.goto(live_server.url + PAGE)
    assert_no_axe_violations(page, "the Azure create form")

    # A bad subscription id: said at the field, which takes focus.
    field = page.get_by_label("Allowed subscriptions")
    field.fill("not-a-guid")
    page.get_by_role("button", name="Create PrivateLink").click()
    expect(page.locator("#id_subscriptions_error")).to_contain_text("not an Azure subscription id")
    expect(field).to_have_attribute("aria-invalid", "true")
    assert focused(page) == "textarea#id_subscriptions"
    assert_no_axe_violations(page, "the create form with an error")
    screens.take(page, "create-error")

    field.fill(SUB_A)
    page.get_by_role("button", name="Create PrivateLink").click()
    expect(page.locator("#privatelink-summary")).to_contain_text(
        "The load balancer and the private link service are being created"
    )

    link = _made_connectable(azure_service)
    pending = ConnectionFactory(
        privatelink=link,
        number=1,
        state=PrivateLinkConnection.State.PENDING_USER_APPROVAL,
        endpoint_id=f"/subscriptions/{SUB_A}/resourceGroups/customer/providers/"
        "Microsoft.Network/privateEndpoints/pe-1",
        owner=SUB_A,
        dns_name="",
    )
    cid = pending.privatelink_connection_id
    page.reload()
    expect(page.get_by_test_id("azure-service-alias")).to_have_text(ALIAS)
    expect(page.get_by_test_id("endpoint-command")).to_contain_text("--manual-request true")
    assert_no_axe_violations(page, "the connectable Azure link")
    screens.take(page, "connectable")

    said = record_announcements(page)
    page.get_by_role("button", name=f"Approve {cid}").click()
    said.expect("Approved pe-1.")
    address = page.get_by_label(f"Endpoint IP address of {cid}")
    expect(address).to_be_visible()

    # A public address is refused at the field, which keeps focus.
    chromium_browser.errors.expect_refusal("POST", PAGE + f"connections/{cid}/address", 400)
    address.fill("8.8.8.8")
    address.press("Enter")
    expect(page.locator(f"#address-error-{cid}")).to_contain_text("not a private address")
    expect(address).to_have_attribute("aria-invalid", "true")
    assert focused(page) == f"input#address-{cid}"
    assert_no_axe_violations(page, "the address refused")
    screens.take(page, "address-refused")

    address.fill("10.1.0.5")
    address.press("Enter")
    said.expect("10.1.0.5 is the address of pe-1", partial=True)
    expect(address).not_to_have_attribute("aria-invalid", "true")
    pending.refresh_from_db()
    assert pending.user_ip_address == "10.1.0.5"
    assert_no_axe_violations(page, "the address set")
    screens.take(page, "address-set")
