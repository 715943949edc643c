"""Open pages follow changes made elsewhere for as long as they are open, and never lose
what the person is doing: with DEBUG on, as `make run` starts the console.

The idle minute is a real one (60 s of wall time): settled pages poll every 5 s, and the
point is that they still do after a minute in which nothing changed.
"""

import re
import subprocess
import sys
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import assert_no_axe_violations, record_announcements
from tests.browser.conftest import log_in
from tests.constants import BASE_DIR, CUSTOMER_ACCOUNT, CUSTOMER_ROLE, OWNER, PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.debug_on]

SERVICE = "/projects/acme/services/my-kafka/"
HOST = "privatelink-1-my-kafka-acme.example.test"
STAFF = "staff@example.com"
IDLE_SECONDS = 60
# "Within 10 s" of a change made elsewhere.
FRESH_MS = 10_000
# AWS transitions (fake AWS delays, reconcile countdowns, the sweep) take seconds.
SLOW_SECONDS = 90
# Wider than the viewport: the page scrolls sideways.
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def _wait(stack, sql: str, expected, what: str) -> None:
    deadline = time.monotonic() + SLOW_SECONDS
    while (found := stack.query(sql)) != expected:
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: {found!r}\n{stack.logs()}")
        time.sleep(0.5)


def _api_token(stack) -> str:
    issued = subprocess.run(
        [sys.executable, "manage.py", "create_api_token", OWNER],
        cwd=BASE_DIR,
        env=stack.env,
        check=True,
        capture_output=True,
        text=True,
    )
    return issued.stdout.strip().splitlines()[-1]


def _api_delete(stack, path: str, token: str) -> None:
    request = urllib.request.Request(
        stack.url + path, method="DELETE", headers={"Authorization": f"aivenv1 {token}"}
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 200


@pytest.fixture
def kafka_reachable_over_privatelink(stack, fake_aws):
    """my-kafka with an active PrivateLink made by the worker against the fake AWS, Kafka's
    privatelink access on and one active connection of the customer's endpoint."""
    stack.shell(f"""
from console import actions
from console.models import Project
from privatelink import actions as privatelink_actions
project = Project.objects.get(name="acme")
vpc = actions.create_project_vpc(project, "aws-eu-west-1", "10.0.0.0/16", actor=None)
service = actions.create_service(project, name="my-kafka", service_type="kafka",
    plan="business-4", project_vpc=vpc, actor=None)
privatelink_actions.create_privatelink(service, ["{CUSTOMER_ROLE}"], actor=None)
""")
    link = "SELECT state FROM privatelink_privatelink"
    _wait(stack, link, [("active",)], "the PrivateLink did not become active")
    stack.shell("""
from console.models import Service
from privatelink import actions
actions.set_component_access(Service.objects.get(name="my-kafka"), {"kafka": True}, actor=None)
""")
    [(service_name,)] = stack.query("SELECT service_name FROM privatelink_awsprivatelink")
    customer = fake_aws.customer(CUSTOMER_ACCOUNT, CUSTOMER_ROLE)
    customer.create_endpoint(service_name)
    _wait(
        stack,
        "SELECT state FROM privatelink_privatelinkconnection",
        [("active",)],
        "the customer's connection did not become active",
    )
    _wait(
        stack,
        "SELECT DISTINCT health FROM privatelink_listener WHERE component = 'kafka'",
        [("healthy",)],
        "Kafka's listeners did not become healthy",
    )
    return stack, customer, service_name


def _polls_of(page, path: str) -> list[float]:
    """Times at which the page asks for `path`, from now on."""
    seen: list[float] = []
    page.on("request", lambda r: seen.append(time.monotonic()) if path in r.url else None)
    return seen


def test_open_pages_follow_changes_made_elsewhere_and_keep_the_persons_work(
    kafka_reachable_over_privatelink, chromium_browser, screens
):
    stack, customer, service_name = kafka_reachable_over_privatelink
    overview = log_in(chromium_browser, stack, OWNER)
    overview.goto(stack.url + SERVICE)
    info = overview.locator("#connection-info")
    info.get_by_label(re.compile("PrivateLink 1")).check()
    expect(info.locator("tr[data-component=kafka]")).to_contain_text(HOST)
    # A box ticked in Advanced configuration and not saved.
    access = overview.locator("#privatelink-access")
    unsaved = access.get_by_label(re.compile(r"privatelink_access\.schema_registry"))
    unsaved.check()
    overview.evaluate("document.documentElement.dataset.sameDocument = 'yes'")
    info_polls = _polls_of(overview, "/connection-info")
    access_polls = _polls_of(overview, "/privatelink-access")

    page = overview.context.new_page()
    page.goto(stack.url + SERVICE + "privatelink/")
    connections = page.locator("#privatelink-connections")
    expect(connections.locator(".status")).to_have_text(["Active"])
    announced = record_announcements(page)
    listing = overview.context.new_page()
    listing.goto(stack.url + "/projects/acme/")
    expect(listing.locator("#project-inventory")).to_contain_text("my-kafka")

    # A minute in which nothing changes: every page keeps polling, at the settled pace.
    overview.wait_for_timeout(IDLE_SECONDS * 1000)
    assert len(info_polls) >= IDLE_SECONDS // 5 - 2, info_polls
    assert len(access_polls) >= IDLE_SECONDS // 5 - 2, access_polls
    # The polls never undid the unsaved tick; saving it keeps it.
    expect(unsaved).to_be_checked()
    screens.take(overview, "overview-after-an-idle-minute")
    access.get_by_role("button", name="Save advanced configuration").click()
    expect(access).to_contain_text("Saved.")
    expect(unsaved).to_be_checked()
    [(config,)] = stack.query("SELECT user_config FROM console_service WHERE name = 'my-kafka'")
    assert '"schema_registry": true' in config

    # A second endpoint of the customer, made after the idle minute, shows up (rejected:
    # one connection per service) within 10 s, without a reload, and is announced.
    second = customer.create_endpoint(service_name)
    expect(connections).to_contain_text(second.id, timeout=FRESH_MS)
    announced.expect(f"Connection {second.id}", partial=True)
    screens.take(page, "second-endpoint-shown")

    # With DEBUG on, a bad principal added with Enter: the error at the field, the page
    # intact (django-htmx's debug handler would have replaced it), focus on the field.
    principal = page.get_by_label("Principal to allow")
    principal.fill("arn:aws:iam::123:role/x")
    chromium_browser.errors.expect_refusal("POST", SERVICE + "privatelink/principals/add", 400)
    principal.press("Enter")
    expect(page.locator("#privatelink-principals .has-error")).to_contain_text(
        "not an IAM principal"
    )
    expect(page.locator("#id_principal")).to_be_focused()
    expect(page.locator("#id_principal")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_principal")).to_have_value("arn:aws:iam::123:role/x")
    expect(page).to_have_title(re.compile("PrivateLink · my-kafka"))
    expect(page.locator("main #privatelink-summary")).to_be_visible()
    expect(page.locator("#announcer")).to_have_count(1)
    # The error stays through polls until the person deals with it.
    page.wait_for_timeout(6_000)
    expect(page.locator("#privatelink-principals .has-error")).to_contain_text(
        "not an IAM principal"
    )
    assert_no_axe_violations(page, "the refused principal with DEBUG on")

    # A service created elsewhere shows up on the open project page.
    stack.shell("""
from console import actions
from console.models import Project
actions.create_service(Project.objects.get(name="acme"), name="my-pg", service_type="pg",
    plan="business-4", project_vpc=None, actor=None)
""")
    expect(listing.locator("#project-inventory")).to_contain_text("my-pg", timeout=FRESH_MS)

    # The PrivateLink deleted through the API: the route leaves the open Overview page
    # within 10 s, with no reload, and the page says so.
    _api_delete(stack, "/v1/project/acme/service/my-kafka/privatelink/aws", _api_token(stack))
    expect(info.locator("tr[data-component=kafka]")).not_to_contain_text(HOST, timeout=FRESH_MS)
    expect(info.get_by_label(re.compile("Dynamic"))).to_be_checked()
    expect(info.get_by_label(re.compile("PrivateLink 1"))).to_have_count(0)
    assert overview.evaluate("document.documentElement.dataset.sameDocument") == "yes"
    screens.take(overview, "route-gone-after-api-delete")


def test_pages_fit_a_phone_and_a_refused_deletion_keeps_the_field(
    kafka_reachable_over_privatelink, chromium_browser, screens
):
    stack, _, _ = kafka_reachable_over_privatelink
    page = log_in(chromium_browser, stack, OWNER)
    for width in (320, 390):
        page.set_viewport_size({"width": width, "height": 844})
        for path in (SERVICE, SERVICE + "activity", SERVICE + "privatelink/", "/projects/acme/"):
            page.goto(stack.url + path)
            screens.take(page, f"{path.strip('/').replace('/', '-')}-{width}")
            assert page.evaluate(SIDEWAYS) <= 0, f"{path} scrolls sideways at {width} px"
        page.goto(stack.url + SERVICE)
        # "Plan" stays one word on one line beside or above its selector.
        plan = page.locator("label[for=id_plan]")
        assert plan.bounding_box()["height"] < 40, f"the Plan label breaks at {width} px"
    assert_no_axe_violations(page, "the overview at 390 px")
    # 200% zoom of a 1280 px window: 640 CSS px.
    page.set_viewport_size({"width": 640, "height": 800})
    for path in (SERVICE, SERVICE + "activity"):
        page.goto(stack.url + path)
        assert page.evaluate(SIDEWAYS) <= 0, f"{path} scrolls sideways at 200% zoom"
    page.set_viewport_size({"width": 768, "height": 1024})
    page.goto(stack.url + SERVICE + "activity")
    events = page.get_by_role("region", name="Events table")
    expect(events).to_have_attribute("tabindex", "0")
    assert_no_axe_violations(page, "the activity page at 768 px")

    # Delete service with a wrong name: the page again, the error at the field, focus there.
    page.goto(stack.url + SERVICE)
    field = page.get_by_label(re.compile("to confirm"))
    field.fill("my-kafk")
    chromium_browser.errors.expect_refusal("POST", SERVICE + "terminate", 400)
    page.get_by_role("button", name="Delete service").press("Enter")
    field = page.get_by_label(re.compile("to confirm"))
    expect(field).to_be_focused()
    expect(field).to_have_value("my-kafk")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("main #id_confirm_name_error")).to_contain_text("type my-kafka exactly")
    assert_no_axe_violations(page, "the refused service deletion")
    assert stack.query("SELECT state FROM console_service") == [("RUNNING",)]

    # Admin, as platform staff open it with DEBUG on: no console error, no failed request.
    stack.shell(f"""
from console.models import User
User.objects.create_superuser("{STAFF}", {PASSWORD!r})
""")
    staff = log_in(chromium_browser, stack, STAFF)
    for path in ("/admin/", "/admin/privatelink/privatelink/", "/admin/console/service/"):
        staff.goto(stack.url + path)
        expect(staff.locator("#content")).to_be_visible()
    staff.get_by_role("link", name="my-kafka").first.click()
    expect(staff.locator("#content")).to_contain_text("my-kafka")
