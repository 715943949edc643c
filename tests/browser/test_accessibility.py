"""Accessibility beyond the documented flow: the account pages (log-in, lockout, password
reset, tokens, password change) under axe-core, focus after a failed submit, copy buttons'
names, and room for words and hosts on small screens."""

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import assert_no_axe_violations, record_announcements
from tests.browser.conftest import log_in
from tests.constants import CUSTOMER_ROLE, OUTSIDER, OWNER, PASSWORD, SAME_ACCOUNT_ROLE

pytestmark = [pytest.mark.browser, pytest.mark.worker]

SERVICE = "/projects/acme/services/my-kafka/"
HOST = "privatelink-1-my-kafka-acme.example.test"
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 768, "height": 1024}

# How many lines of text an element's text takes, from its line boxes.
LINES = """(element) => {
  const tops = new Set();
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    // Visually hidden text is for screen readers: it takes no line on screen.
    if (!node.textContent.trim() || node.parentElement.closest(".visually-hidden")) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) tops.add(Math.round(rect.top));
  }
  return tops.size;
}"""


@pytest.fixture
def kafka_with_a_connection(stack):
    """my-kafka with an active PrivateLink of two principals and an active connection."""
    stack.shell(f"""
from console import actions
from console.models import Project
from privatelink.models import AwsPrivateLink, PrivateLink, PrivateLinkConnection
project = Project.objects.get(name="acme")
vpc = actions.create_project_vpc(project, "aws-eu-west-1", "10.0.0.0/16", actor=None)
service = actions.create_service(project, name="my-kafka", service_type="kafka",
    plan="business-4", project_vpc=vpc, actor=None)
link = PrivateLink.objects.create(service=service,
    principals=["{CUSTOMER_ROLE}", "{SAME_ACCOUNT_ROLE}"],
    state="active", generation=1, observed_generation=1)
AwsPrivateLink.objects.create(privatelink=link, service_id="vpce-svc-0123456789abcdef0",
    service_name="com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0",
    endpoint_service_state="Available")
PrivateLinkConnection.objects.create(privatelink=link, privatelink_connection_id="plc00001",
    endpoint_id="vpce-00000000000000001", owner="111122223333",
    dns_name="vpce-00000000000000001-abcdefgh.vpce-svc-0123456789abcdef0.eu-west-1.vpce.amazonaws.com",
    state="active", number=1, dns_record_published=True)
""")
    return stack


def test_login_tokens_and_password_pages_pass_axe_and_focus_the_field_in_error(
    stack, chromium_browser
):
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(stack.url + "/accounts/login/")
    assert_no_axe_violations(page, "the login page")
    page.get_by_label("Email address").fill(OWNER)
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("correct email address and password")
    assert_no_axe_violations(page, "the refused login")
    context.close()

    page = log_in(chromium_browser, stack, OWNER)
    page.get_by_role("link", name="API tokens").click()
    assert_no_axe_violations(page, "the API tokens page")
    page.get_by_label("Description").fill("laptop")
    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Create token").click()
    expect(page.locator("#id_password_error")).to_contain_text("not your password")
    expect(page.get_by_label("Your password")).to_be_focused()
    assert_no_axe_violations(page, "the refused token")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Create token").click()
    copy = page.locator("#copy-new-token")
    expect(copy).to_have_accessible_name("Copy the new token")
    announced = record_announcements(page)
    copy.click()
    expect(copy).to_have_accessible_name("Copied the new token")
    announced.expect("Copied the new token.")
    assert_no_axe_violations(page, "the new token")

    page.get_by_role("link", name=OWNER).click()
    assert_no_axe_violations(page, "the password change")
    expect(page.get_by_label("Revoke all my API tokens")).to_be_checked()


def test_lockout_and_password_reset_pages_pass_axe_and_lead_back_in(stack, chromium_browser):
    chromium_browser.errors.expect_refusal("POST", "/accounts/login/", 429)
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(stack.url + "/accounts/login/")
    for n in range(10):
        page.get_by_label("Email address").fill(OUTSIDER)
        page.get_by_label("Password").fill(f"wrong {n}")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Too many failed log-ins")).to_be_visible()
    assert_no_axe_violations(page, "the locked-out page")

    page.get_by_role("link", name="reset it by e-mail").click()
    assert_no_axe_violations(page, "the password reset form")
    page.get_by_label("Email").fill(OUTSIDER)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    assert_no_axe_violations(page, "the reset sent page")

    # The e-mail's link, made as the reset view makes it (the stack keeps mail in memory).
    link = stack.log_dir / "reset-link"
    stack.shell(f"""
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from console.models import User
user = User.objects.get(email="{OUTSIDER}")
uid = urlsafe_base64_encode(force_bytes(user.pk))
token = default_token_generator.make_token(user)
open("{link}", "w").write(f"/accounts/password/reset/{{uid}}/{{token}}/")
""")
    page.goto(stack.url + link.read_text())
    page.get_by_label("New password", exact=True).fill(PASSWORD)
    page.get_by_label("New password confirmation").fill("something else")
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_label("New password confirmation")).to_be_focused()
    assert_no_axe_violations(page, "the refused new password")
    page.get_by_label("New password", exact=True).fill(PASSWORD)
    page.get_by_label("New password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_role("heading", name="Password set")).to_be_visible()
    assert_no_axe_violations(page, "the password set page")

    # The lockout from this address is lifted: the owner of the account logs in here.
    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Email address").fill(OUTSIDER)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(stack.url + "/projects/")
    context.close()


def test_copy_buttons_say_what_they_copy_and_focus_survives_removing_the_last_row(
    kafka_with_a_connection, chromium_browser
):
    stack = kafka_with_a_connection
    page = log_in(chromium_browser, stack, OWNER)
    page.goto(stack.url + SERVICE + "privatelink/")
    announced = record_announcements(page)
    names = {
        "#copy-aws-service-id": "AWS service id",
        "#copy-aws-service-name": "AWS service name",
        "#copy-endpoint-command": "command to create the VPC endpoint",
        "#copy-host-plc00001": f"host {HOST}",
    }
    for selector, what in names.items():
        button = page.locator(selector)
        expect(button).to_have_accessible_name(f"Copy {what}")
        button.focus()
        page.keyboard.press("Enter")
        expect(button).to_have_accessible_name(f"Copied {what}")
        expect(button).to_be_focused()
        announced.expect(f"Copied {what}.")

    # Removing the last row: no row after it, so focus goes on to the next control.
    page.get_by_role("button", name=f"Remove {SAME_ACCOUNT_ROLE}").press("Enter")
    expect(page.locator(".principal-list")).not_to_contain_text(SAME_ACCOUNT_ROLE)
    expect(page.get_by_label("Principal to allow")).to_be_focused()
    announced.expect(f"Removed {SAME_ACCOUNT_ROLE}; 1 principal is allowed.")


@pytest.mark.parametrize(("screen", "most_host_lines"), [(PHONE, 2), (TABLET, 2)])
def test_small_screens_keep_buttons_whole_and_give_hosts_room(
    kafka_with_a_connection, chromium_browser, screens, screen, most_host_lines
):
    stack = kafka_with_a_connection
    page = log_in(chromium_browser, stack, OWNER)
    page.set_viewport_size(screen)
    page.goto(stack.url + SERVICE + "privatelink/")
    expect(page.locator("#privatelink-connections")).to_contain_text(HOST)
    screens.take(page, f"privatelink-{screen['width']}")
    buttons = page.locator("main button:visible")
    assert buttons.count() >= 5
    for n in range(buttons.count()):
        button = buttons.nth(n)
        assert button.evaluate(LINES) == 1, f"{button.inner_text()!r} breaks over lines"
    host = page.locator("#privatelink-connections code", has_text=HOST)
    assert host.evaluate(LINES) <= most_host_lines
    assert_no_axe_violations(page, f"the PrivateLink page at {screen['width']} px")

    page.goto(stack.url + SERVICE)
    screens.take(page, f"overview-{screen['width']}")
    hosts = page.locator("#connection-info td[data-label=Host] code")
    assert hosts.count() >= 1
    for n in range(hosts.count()):
        assert hosts.nth(n).evaluate(LINES) <= most_host_lines, hosts.nth(n).inner_text()
    buttons = page.locator("main button:visible")
    for n in range(buttons.count()):
        assert buttons.nth(n).evaluate(LINES) == 1, buttons.nth(n).inner_text()
    assert_no_axe_violations(page, f"the overview at {screen['width']} px")


def test_axe_does_report_a_violation_it_is_shown(stack, chromium_browser):
    """The checks above are not vacuous: axe finds a control that has no name."""
    from tests.browser.accessibility import axe_violations

    context = chromium_browser.new_context()
    page = context.new_page()
    page.goto(stack.url + "/accounts/login/")
    assert axe_violations(page) == []
    page.evaluate("document.querySelector('main').append(document.createElement('button'))")
    found = axe_violations(page)
    assert any(line.startswith("button-name (critical)") for line in found), found


def test_focus_rings_and_control_borders_reach_3_to_1(kafka_with_a_connection, chromium_browser):
    from tests.browser.accessibility import BACKGROUND, contrast

    stack = kafka_with_a_connection
    page = log_in(chromium_browser, stack, OWNER)
    page.goto(stack.url + SERVICE + "privatelink/")
    controls = [
        "#id_principal",
        "#add-principal",
        "#refresh-connections",
        "#remove-" + CUSTOMER_ROLE,
    ]
    for selector in controls:
        control = page.locator(f"[id='{selector[1:]}']")
        background = control.evaluate(BACKGROUND)
        border = control.evaluate("(e) => getComputedStyle(e).borderTopColor")
        # A primary button is told apart by its fill, the others by their border.
        fill = control.evaluate("(e) => getComputedStyle(e).backgroundColor")
        assert max(contrast(border, background), contrast(fill, background)) >= 3, selector
        page.keyboard.press("Escape")
        control.focus()
        assert control.evaluate("(e) => e.matches(':focus-visible')"), selector
        ring = control.evaluate("(e) => getComputedStyle(e).outlineColor")
        assert contrast(ring, background) >= 3, f"{selector}: ring {ring} on {background}"
    # On the dark top bar too.
    link = page.get_by_role("navigation", name="Account").get_by_role("link", name="Projects")
    link.focus()
    ring = link.evaluate("(e) => getComputedStyle(e).outlineColor")
    assert contrast(ring, link.evaluate(BACKGROUND)) >= 3


def test_the_service_create_form_with_privatelink_access_passes_axe_when_refused(
    stack, chromium_browser
):
    page = log_in(chromium_browser, stack, OWNER)
    page.goto(stack.url + "/projects/acme/services/new")
    access = page.get_by_role("group", name="PrivateLink access")
    expect(access).to_contain_text("takes effect when the PrivateLink is active")
    assert_no_axe_violations(page, "the service create form")
    page.get_by_label("Name").fill("orders")
    page.get_by_label("PostgreSQL", exact=True).check()
    chromium_browser.errors.expect_refusal("POST", "/projects/acme/services/new", 400)
    page.get_by_role("button", name="Create service").click()
    expect(page.locator("#id_privatelink_access_error")).to_contain_text(
        "Tick only components of Apache Kafka"
    )
    assert_no_axe_violations(page, "the refused service create form")


def test_reveal_asks_for_the_password_in_place_then_shows_the_key_with_copy(
    kafka_with_a_connection, chromium_browser
):
    stack = kafka_with_a_connection
    page = log_in(chromium_browser, stack, OWNER)
    page.goto(stack.url + SERVICE)
    page.get_by_role("button", name="Reveal the key of avnadmin").press("Enter")
    asked = page.get_by_label("Your password, to reveal the key")
    expect(asked).to_be_focused()
    assert_no_axe_violations(page, "the overview asking for the password")

    chromium_browser.errors.expect_refusal("POST", SERVICE + "users/avnadmin/reveal", 400)
    asked.fill("not my password")
    asked.press("Enter")
    expect(page.get_by_role("alert").filter(has_text="That is not your password")).to_be_visible()
    expect(page.get_by_label("Your password, to reveal the key")).to_be_focused()

    page.get_by_label("Your password, to reveal the key").fill(PASSWORD)
    page.get_by_label("Your password, to reveal the key").press("Enter")
    copy = page.get_by_role("button", name="Copy key of avnadmin")
    expect(copy).to_be_focused()
    expect(page.locator("#access_key-avnadmin pre")).to_contain_text("BEGIN PRIVATE KEY")
    # Confirmed a moment ago: the password is shown without asking again.
    page.get_by_role("button", name="Reveal the password of avnadmin").press("Enter")
    expect(page.get_by_role("button", name="Copy password of avnadmin")).to_be_focused()
    assert_no_axe_violations(page, "the overview with revealed secrets")
