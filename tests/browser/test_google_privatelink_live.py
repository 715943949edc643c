"""A Google Private Service Connect PrivateLink from creation to deletion in Chromium,
against a live web server, a real Celery worker, the fake Google (the customer's PSC
endpoint made with the real SDK) and the fake AWS (the platform's DNS zone)."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import assert_no_axe_violations, record_announcements
from tests.browser.conftest import log_in
from tests.constants import OWNER

pytestmark = [pytest.mark.browser, pytest.mark.worker]

PAGE = "/projects/acme/services/my-pg-gcp/privatelink/"
CUSTOMER_PROJECT = "customer-project"
ENDPOINT_ADDRESS = "10.2.0.5"
# Google's operations, the reconcile countdowns and the sweep take seconds.
SLOW_SECONDS = 90
SLOW = SLOW_SECONDS * 1000
# A Google resource named after a PrivateLink (`pl-<deployment hash>-<link id>-...`); the
# Project VPC's network and subnet are named after the VPC (`pl-<hash>-vpcN...`).
LINKS_RESOURCE = re.compile(r"pl-[0-9a-f]{6}-[0-9]+-")


def _wait(stack, sql: str, expected, what: str) -> None:
    deadline = time.monotonic() + SLOW_SECONDS
    while (found := stack.query(sql)) != expected:
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: {found!r}\n{stack.logs()}")
        time.sleep(0.5)


@pytest.fixture
def pg_in_google(stack):
    """my-pg-gcp, built in a Google Project VPC of project acme by the worker."""
    stack.shell("""
from console import actions
from console.models import Project
project = Project.objects.get(name="acme")
vpc = actions.create_project_vpc(project, "google-europe-west1", "10.50.0.0/16", actor=None)
actions.create_service(project, name="my-pg-gcp", service_type="pg", plan="business-4",
    project_vpc=vpc, actor=None)
""")
    _wait(
        stack,
        "SELECT state FROM console_projectvpc",
        [("active",)],
        "the Google Project VPC was not built",
    )
    return stack


def test_a_google_privatelink_is_created_connected_and_deleted_in_the_browser(
    pg_in_google, fake_google, chromium_browser, screens
):
    stack = pg_in_google
    page = log_in(chromium_browser, stack, OWNER)
    page.goto(stack.url + PAGE)
    page.get_by_role("button", name="Create PrivateLink").click()
    expect(page.get_by_test_id("privatelink-state")).to_have_text("Active", timeout=SLOW)
    attachment = page.get_by_test_id("google-service-attachment")
    expect(attachment).to_contain_text("/regions/europe-west1/serviceAttachments/", timeout=SLOW)
    assert_no_axe_violations(page, "the active Google link with its service attachment")
    screens.take(page, "active")

    # The customer's PSC endpoint; Google tells the console nothing: Refresh looks.
    endpoint = fake_google.customer(CUSTOMER_PROJECT).create_endpoint(
        attachment.inner_text().strip()
    )
    page.get_by_role("button", name="Refresh").click()
    connections = page.locator("#privatelink-connections")
    expect(connections).to_contain_text(endpoint.psc_connection_id, timeout=SLOW)
    [(cid,)] = stack.query(
        "SELECT privatelink_connection_id FROM privatelink_privatelinkconnection "
        "WHERE endpoint_id = ?",
        endpoint.psc_connection_id,
    )
    state = page.locator(f"#connection-state-{cid}")
    expect(state).to_have_text("Pending approval")
    expect(connections).to_contain_text(CUSTOMER_PROJECT)
    assert_no_axe_violations(page, "a pending PSC connection")
    screens.take(page, "pending")

    # Approval takes the endpoint's address: that endpoint joins the accept list, and its
    # privatelink-N host is published at that address.
    said = record_announcements(page)
    address = page.get_by_label(f"Endpoint IP address of {cid}")
    address.fill(ENDPOINT_ADDRESS)
    address.press("Enter")
    said.expect(f"Approved {cid} at {ENDPOINT_ADDRESS}", partial=True)
    expect(state).to_have_text("Active", timeout=SLOW)
    [(number,)] = stack.query(
        "SELECT number FROM privatelink_privatelinkconnection WHERE privatelink_connection_id = ?",
        cid,
    )
    row = connections.locator("tr", has=state)
    expect(row).to_contain_text(f"privatelink-{number}-my-pg-gcp-acme.example.test")
    assert stack.query("SELECT principals FROM privatelink_privatelink") == [
        (f'["{CUSTOMER_PROJECT}"]',)
    ]
    [seen] = [
        e
        for e in fake_google.customer(CUSTOMER_PROJECT).list_endpoints()
        if e.psc_connection_id == endpoint.psc_connection_id
    ]
    assert seen.status == "ACCEPTED"
    assert_no_axe_violations(page, "the active connection with its host")
    screens.take(page, "connection-active")

    page.get_by_role("link", name="Delete PrivateLink…").click()
    page.get_by_label("Type the service name to confirm").fill("my-pg-gcp")
    page.get_by_role("button", name="Delete PrivateLink").click()
    expect(page.get_by_role("button", name="Create PrivateLink")).to_be_visible(timeout=SLOW)
    assert stack.query("SELECT id FROM privatelink_privatelink") == []
    left = [r["name"] for r in fake_google.resources() if LINKS_RESOURCE.match(r["name"])]
    assert left == [], f"left of the link in the fake Google: {left}"
    assert_no_axe_violations(page, "the create form after the deletion")
    screens.take(page, "deleted")
