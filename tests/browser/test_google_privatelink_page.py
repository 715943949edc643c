"""The PrivateLink page of a service in Google Cloud, in Chromium, by keyboard: the link
created with its one button, the service attachment once connectable, and a waiting PSC
endpoint approved with its IP address (a public one refused at the field, which keeps the
focus), with announcements across the swaps, no axe violation and no console error.

The page is served in this process by pytest-django's live server, with the reconciles
recorded instead of queued."""

import pytest
from playwright.sync_api import expect

from console.models import Membership, User
from privatelink.models import GooglePrivateLink, PrivateLink, PrivateLinkConnection
from tests.browser.accessibility import assert_no_axe_violations, focused, record_announcements
from tests.browser.conftest import log_in
from tests.constants import OWNER, PASSWORD
from tests.factories import ConnectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("queued")]

PAGE = "/projects/demo/services/my-kafka-gcp/privatelink/"
ATTACHMENT = "projects/platform-psc/regions/europe-west1/serviceAttachments/my-kafka-gcp"
CUSTOMER = "customer-project-1"


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
    """What the reconciler leaves once Google has built the service attachment."""
    link = PrivateLink.objects.get(service=service)
    link.state = PrivateLink.State.ACTIVE
    link.save()
    GooglePrivateLink.objects.filter(privatelink=link).update(
        service_attachment=ATTACHMENT, status=GooglePrivateLink.READY
    )
    return link


def test_create_and_approve_a_google_privatelink_by_keyboard(
    live_server, google_service, owner, chromium_browser, screens
):
    page = log_in(chromium_browser, live_server, OWNER)
    page.goto(live_server.url + PAGE)
    expect(page.get_by_test_id("privatelink-price")).to_contain_text("USD 0.0700 per hour")
    assert_no_axe_violations(page, "the Google create button")

    create = page.get_by_role("button", name="Create PrivateLink")
    create.focus()
    create.press("Enter")
    expect(page.locator("#privatelink-summary")).to_contain_text(
        "The service attachment, its forwarding rule and its PSC NAT subnet are being created"
    )
    assert PrivateLink.objects.get(service=google_service).principals == []

    link = _made_connectable(google_service)
    pending = ConnectionFactory(
        privatelink=link,
        number=1,
        state=PrivateLinkConnection.State.PENDING_USER_APPROVAL,
        endpoint_id="40000000000001",
        owner=CUSTOMER,
        dns_name="",
    )
    cid = pending.privatelink_connection_id
    page.reload()
    expect(page.get_by_test_id("google-service-attachment")).to_have_text(ATTACHMENT)
    expect(page.locator("#copy-google-service-attachment")).to_be_visible()
    assert_no_axe_violations(page, "the connectable Google link")
    screens.take(page, "connectable")

    # A public address is refused at the field, which keeps the focus.
    said = record_announcements(page)
    address = page.get_by_label(f"Endpoint IP address of {cid}")
    chromium_browser.errors.expect_refusal("POST", PAGE + f"connections/{cid}/approve", 400)
    address.fill("8.8.8.8")
    address.press("Enter")
    expect(page.locator(f"#address-error-{cid}")).to_contain_text("not a private address")
    expect(address).to_have_attribute("aria-invalid", "true")
    assert focused(page) == f"input#address-{cid}"
    assert_no_axe_violations(page, "the address refused")
    screens.take(page, "address-refused")

    address.fill("10.9.0.5")
    address.press("Enter")
    said.expect(f"Approved {cid} at 10.9.0.5", partial=True)
    expect(page.locator(f"#connection-state-{cid}")).to_have_text("Approved")
    pending.refresh_from_db()
    link.refresh_from_db()
    assert (pending.user_ip_address, link.principals) == ("10.9.0.5", [CUSTOMER])
    assert_no_axe_violations(page, "the connection approved")
    screens.take(page, "approved")
