"""The README's set-up, clicked through in Chromium against a live web server, a real
Celery worker and the fake AWS, from an empty project to a deleted PrivateLink."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import assert_no_axe_violations, record_announcements
from tests.browser.conftest import log_in
from tests.constants import (
    CUSTOMER_ACCOUNT,
    CUSTOMER_ROLE,
    OTHER_ACCOUNT_ROLE,
    OUTSIDER,
    OWNER,
    SAME_ACCOUNT_ROLE,
    VIEWER,
)

pytestmark = [pytest.mark.browser, pytest.mark.worker]

SERVICE = "/projects/acme/services/my-kafka/"
HOST = "privatelink-1-my-kafka-acme.example.test"
# AWS transitions (fake AWS delays, reconcile countdowns, the sweep) take seconds.
SLOW = 90_000


def _mark_page(page):
    """Tag the document, so a later check can tell that no full reload happened."""
    page.evaluate("document.documentElement.dataset.sameDocument = 'yes'")


def _same_document(page) -> bool:
    return page.evaluate("document.documentElement.dataset.sameDocument") == "yes"


def _tab(page, name):
    return page.get_by_role("navigation", name="Service pages").get_by_role("link", name=name)


def _focus_on(page, selector):
    """Focus is on `selector`, as the keyboard left it (htmx restores it after a swap)."""
    expect(page.locator(selector)).to_be_focused()


def _count_swaps(page, section):
    page.evaluate(
        """(id) => { window.swaps = window.swaps || {}; window.swaps[id] = 0;
        document.addEventListener("htmx:afterSettle", (e) => {
          if (e.target.id === id) window.swaps[id] += 1; }); }""",
        section,
    )


def _swaps(page, section) -> int:
    return int(page.evaluate("(id) => window.swaps[id]", section))


def _endpoint_services(fake_aws):
    ec2 = fake_aws.client("ec2")
    return ec2.describe_vpc_endpoint_service_configurations()["ServiceConfigurations"]


def test_customer_follows_the_documented_setup_in_the_browser(
    stack, fake_aws, chromium_browser, screens
):
    page = log_in(chromium_browser, stack, OWNER)
    assert_no_axe_violations(page, "the project list")

    # 1. An empty project: create the Project VPC, first with a public range.
    page.get_by_role("link", name="acme").click()
    screens.take(page, "empty-project")
    assert_no_axe_violations(page, "the empty project")
    page.get_by_role("link", name="Create Project VPC").click()
    assert_no_axe_violations(page, "the Project VPC form")
    expect(page.locator("main")).to_contain_text("For PrivateLink any private range works")
    page.get_by_label("Network (CIDR)").fill("8.8.0.0/16")
    chromium_browser.errors.expect_refusal("POST", "/projects/acme/vpcs/new", 400)
    page.get_by_role("button", name="Create Project VPC").click()
    expect(page.locator("#id_cidr_error")).to_contain_text("private range")
    _focus_on(page, "#id_cidr")  # the first field in error
    assert_no_axe_violations(page, "the refused Project VPC form")
    screens.take(page, "vpc-cidr-refused")
    page.get_by_label("Network (CIDR)").fill("10.0.0.0/16")
    page.get_by_role("button", name="Create Project VPC").click()
    expect(page.get_by_text("The Project VPC is being created.")).to_be_visible()
    assert stack.query("SELECT cloud, cidr FROM console_projectvpc") == [
        ("aws-eu-west-1", "10.0.0.0/16")
    ]

    # 2. A Kafka service in it.
    page.get_by_role("link", name="Create service").click()
    assert_no_axe_violations(page, "the service form")
    page.get_by_label("Service type").select_option("kafka")
    page.get_by_label("Name").fill("My Kafka!")
    chromium_browser.errors.expect_refusal("POST", "/projects/acme/services/new", 400)
    page.get_by_role("button", name="Create service").click()
    _focus_on(page, "#id_name")  # the first field in error
    assert_no_axe_violations(page, "the refused service form")
    page.get_by_label("Name").fill("my-kafka")
    page.get_by_label("Plan").select_option("business-4")  # 3 brokers
    page.get_by_role("button", name="Create service").click()
    page.wait_for_url(stack.url + SERVICE)
    expect(page.get_by_role("heading", name="Connection information")).to_be_visible()
    screens.take(page, "service-overview")
    assert_no_axe_violations(page, "the service overview")
    # Component access before there is a PrivateLink is stored, to take effect later.
    access = page.locator("#privatelink-access")
    access.get_by_label(re.compile(r"privatelink_access\.kafka \(")).check()
    access.get_by_role("button", name="Save advanced configuration").click()
    expect(access).to_contain_text("Saved.")
    expect(
        access.locator("li", has_text="privatelink_access.kafka (").locator(".status")
    ).to_have_text("Enabled: takes effect when the PrivateLink is active")
    screens.take(page, "access-before-privatelink")
    config = stack.query("SELECT user_config FROM console_service")
    assert '"kafka": true' in config[0][0]

    # 3. Create the PrivateLink and watch it turn active without reloading.
    _tab(page, "PrivateLink").click()
    assert_no_axe_violations(page, "the PrivateLink create form")
    announced = record_announcements(page)
    expect(page.get_by_test_id("privatelink-price")).to_have_text(
        "PrivateLink is available in aws-eu-west-1, at USD 0.0600 per hour."
    )
    # The list is built row by row; each row is checked before it joins.
    page.get_by_label("Add one principal").fill(CUSTOMER_ROLE)
    page.get_by_role("button", name="Add to list").press("Enter")
    expect(page.get_by_label("Allowed principals")).to_have_value(CUSTOMER_ROLE)
    expect(page.get_by_label("Add one principal")).to_have_value("")
    _focus_on(page, "#add-to-list")
    announced.expect(f"Added {CUSTOMER_ROLE} to the list of allowed principals.")
    page.get_by_role("button", name="Create PrivateLink").click()
    state = page.get_by_test_id("privatelink-state")
    expect(state).to_have_text("Creating")
    _mark_page(page)
    # Until customers can use it, neither the service name nor the command is shown.
    expect(page.get_by_test_id("endpoint-command")).to_have_count(0)
    screens.take(page, "privatelink-creating")
    # The connections section polls every 2 s while the link is created: a focused
    # Refresh button stays focused through each of those swaps.
    announced = record_announcements(page)
    _count_swaps(page, "privatelink-connections")
    page.locator("#refresh-connections").focus()
    expect(state).to_have_text("Active", timeout=SLOW)
    assert _swaps(page, "privatelink-connections") >= 1
    _focus_on(page, "#refresh-connections")
    announced.expect("PrivateLink: Active.")
    expect(page.get_by_test_id("aws-service-name")).to_contain_text("com.amazonaws.vpce.")
    assert _same_document(page)
    service_name = page.get_by_test_id("aws-service-name").inner_text()
    expect(page.get_by_test_id("endpoint-command")).to_have_text(
        "aws ec2 create-vpc-endpoint --vpc-endpoint-type Interface --vpc-id VPC_ID "
        "--subnet-ids SUBNET_ID_1 SUBNET_ID_2 SUBNET_ID_3 --security-group-ids SG_ID "
        f"--service-name {service_name} --region eu-west-1"
    )
    expect(page.get_by_test_id("connection-limit")).to_contain_text(
        "accepts one VPC endpoint: a second one is rejected"
    )
    expect(page.get_by_test_id("subnet-help")).to_contain_text(
        "a subnet in each of euw1-az1, euw1-az2, euw1-az3"
    )
    expect(page.get_by_test_id("zone-id-help")).to_contain_text("zone IDs, not zone names")
    screens.take(page, "privatelink-active")
    assert_no_axe_violations(page, "the active PrivateLink")
    copy = page.locator("#copy-endpoint-command")
    expect(copy).to_have_accessible_name("Copy command to create the VPC endpoint")
    copy.press("Enter")
    expect(copy).to_have_accessible_name("Copied command to create the VPC endpoint")
    announced.expect("Copied command to create the VPC endpoint.")
    _focus_on(page, "#copy-endpoint-command")
    [configuration] = _endpoint_services(fake_aws)
    assert configuration["ServiceName"] == service_name
    assert configuration["AcceptanceRequired"] is True

    # 4. The customer creates an endpoint in their account; the connection shows up.
    customer = fake_aws.customer(CUSTOMER_ACCOUNT, CUSTOMER_ROLE)
    endpoint = customer.create_endpoint(service_name)
    page.get_by_role("button", name="Refresh").press("Enter")
    announced.expect("Looking at AWS again for connections.")
    connections = page.locator("#privatelink-connections")
    expect(connections).to_contain_text(endpoint.id, timeout=SLOW)
    expect(connections.locator(".status")).to_have_text("Active", timeout=SLOW)
    expect(connections).to_contain_text(HOST)
    _focus_on(page, "#refresh-connections")
    assert _same_document(page)
    screens.take(page, "connection-active")
    assert_no_axe_violations(page, "the PrivateLink with a connection")
    assert customer.describe_endpoint(endpoint.id).state == "available"

    # 5. Enable component access on the Overview page; pending until healthy.
    _tab(page, "Overview").click()
    # Marked once the Overview has loaded: marking mid-navigation would tag the old page.
    page.wait_for_url(stack.url + SERVICE)
    page.wait_for_load_state()
    _mark_page(page)
    announced = record_announcements(page)
    access = page.locator("#privatelink-access")
    access.get_by_label(re.compile(r"privatelink_access\.kafka \(")).check()
    access.get_by_label(re.compile(r"privatelink_access\.schema_registry")).check()
    _count_swaps(page, "privatelink-access")
    access.get_by_role("button", name="Save advanced configuration").press("Enter")
    expect(access).to_contain_text("Saved.")
    announced.expect("Saved the advanced configuration.")
    # 3 brokers x 1 connection for kafka, one listener for the schema registry.
    expect(access.locator("#listener-budget")).to_have_text("4 of 50 load balancer listeners used")
    screens.take(page, "access-pending")
    assert_no_axe_violations(page, "the overview with access pending")
    # The panel polls while the listeners settle; the Save button keeps the focus.
    expect(access.locator("li", has_text="schema_registry").locator(".status")).to_have_text(
        "Healthy", timeout=SLOW
    )
    expect(
        access.locator("li", has_text="privatelink_access.kafka (").locator(".status")
    ).to_have_text("Healthy", timeout=SLOW)
    assert _swaps(page, "privatelink-access") >= 2
    _focus_on(page, "#save-access")
    announced.expect("privatelink_access.kafka: Healthy.", partial=True)
    assert _same_document(page)
    config = stack.query("SELECT user_config FROM console_service WHERE name = 'my-kafka'")
    assert '"kafka": true' in config[0][0]
    assert '"schema_registry": true' in config[0][0]

    # 6. Read the privatelink host and port from Connection information.
    info = page.locator("#connection-info")
    route = info.get_by_label(re.compile("PrivateLink 1"))
    route.focus()
    page.keyboard.press("Space")
    kafka_row = info.locator("tr[data-component=kafka]")
    expect(kafka_row).to_contain_text(HOST)
    # The radio the keyboard chose is still focused in the swapped-in section.
    expect(info.get_by_label(re.compile("PrivateLink 1"))).to_be_focused()
    expect(info.get_by_label(re.compile("PrivateLink 1"))).to_be_checked()
    assert_no_axe_violations(page, "the privatelink connection information")
    port = int(kafka_row.locator("td").nth(1).locator("code").inner_text())
    assert 10000 <= port <= 31000
    expect(info.locator("tr[data-component=schema_registry]")).to_contain_text(f"https://{HOST}:")
    expect(info).to_contain_text("same on every route")
    screens.take(page, "connection-information-privatelink")

    # The security-group hint follows the toggles: the pool for Kafka, Schema Registry's port.
    _tab(page, "PrivateLink").click()
    ports = page.get_by_test_id("ports-help")
    expect(ports).to_contain_text("inbound TCP from your clients on 10000-31000")
    expect(ports).to_contain_text("10000-10002 (Kafka), 12695 (Schema Registry)")

    # 7. Edit the principals one at a time, with inline validation.
    _tab(page, "PrivateLink").click()
    page.wait_for_url(stack.url + SERVICE + "privatelink/")
    announced = record_announcements(page)
    principal = page.get_by_label("Principal to allow")
    principal.fill("arn:aws:iam::123:role/x")
    expect(page.locator("#principal-feedback")).to_contain_text("not an IAM principal")
    screens.take(page, "principal-invalid")
    chromium_browser.errors.expect_refusal("POST", SERVICE + "privatelink/principals/add", 400)
    page.get_by_role("button", name="Add", exact=True).press("Enter")
    expect(page.locator("#privatelink-principals .has-error")).to_contain_text(
        "not an IAM principal"
    )
    _focus_on(page, "#id_principal")  # the field in error
    assert_no_axe_violations(page, "the refused principal")
    # A second tab keeps the list as it is now, to edit it after the first tab did.
    stale = page.context.new_page()
    stale.goto(page.url)
    principal = page.get_by_label("Principal to allow")
    principal.fill(SAME_ACCOUNT_ROLE)
    expect(page.locator("#principal-feedback")).to_contain_text("Looks like a valid principal")
    page.get_by_role("button", name="Add", exact=True).press("Enter")
    principals = page.locator(".principal-list")
    expect(principals).to_contain_text(SAME_ACCOUNT_ROLE)
    expect(principals).to_contain_text(CUSTOMER_ROLE)
    _focus_on(page, "#add-principal")
    announced.expect(f"Added {SAME_ACCOUNT_ROLE}; 2 principals are allowed.")
    chromium_browser.errors.expect_refusal("POST", SERVICE + "privatelink/principals/remove", 409)
    stale.get_by_role("button", name=f"Remove {CUSTOMER_ROLE}").click()
    expect(stale.get_by_test_id("principals-error")).to_contain_text("changed meanwhile")
    expect(stale.locator(".principal-list")).to_contain_text(SAME_ACCOUNT_ROLE)
    screens.take(stale, "stale-edit-refused")
    stale.close()
    assert stack.query("SELECT principals FROM privatelink_privatelink") == [
        (f'["{CUSTOMER_ROLE}", "{SAME_ACCOUNT_ROLE}"]',)
    ]
    # Another account's role does not cover the customer's connection: removing both roles
    # of the customer's account would disconnect it, so the page asks first.
    principal = page.get_by_label("Principal to allow")
    principal.fill(OTHER_ACCOUNT_ROLE)
    page.get_by_role("button", name="Add", exact=True).click()
    expect(principals).to_contain_text(OTHER_ACCOUNT_ROLE)
    page.get_by_role("button", name=f"Remove {SAME_ACCOUNT_ROLE}").click()
    expect(principals).not_to_contain_text(SAME_ACCOUNT_ROLE)
    page.get_by_role("button", name=f"Remove {CUSTOMER_ROLE}").press("Enter")
    question = page.get_by_test_id("disconnect-confirmation")
    expect(question).to_be_focused()  # the question is where the person goes next
    expect(question).to_contain_text(endpoint.id)
    expect(question).to_contain_text(f"account {CUSTOMER_ACCOUNT}")
    expect(question).to_contain_text(HOST)
    screens.take(page, "removal-would-disconnect")
    assert_no_axe_violations(page, "the question before a disconnecting removal")
    assert stack.query("SELECT principals FROM privatelink_privatelink") == [
        (f'["{CUSTOMER_ROLE}", "{OTHER_ACCOUNT_ROLE}"]',)
    ]
    # Not confirmed: put the second role back, then remove as before.
    page.get_by_role("link", name="Cancel").click()
    page.wait_for_load_state()
    announced = record_announcements(page)
    principal = page.get_by_label("Principal to allow")
    principal.fill(SAME_ACCOUNT_ROLE)
    page.get_by_role("button", name="Add", exact=True).click()
    principals = page.locator(".principal-list")
    expect(principals).to_contain_text(SAME_ACCOUNT_ROLE)
    page.get_by_role("button", name=f"Remove {OTHER_ACCOUNT_ROLE}").click()
    expect(principals).not_to_contain_text(OTHER_ACCOUNT_ROLE)
    page.get_by_role("button", name=f"Remove {CUSTOMER_ROLE}").press("Enter")
    expect(principals).not_to_contain_text(CUSTOMER_ROLE)
    expect(principals).to_contain_text(SAME_ACCOUNT_ROLE)
    # The removed row's button is gone: focus moves on to the next row's.
    expect(page.get_by_role("button", name=f"Remove {SAME_ACCOUNT_ROLE}")).to_be_focused()
    announced.expect(f"Removed {CUSTOMER_ROLE}; 1 principal is allowed.")
    assert_no_axe_violations(page, "the edited principals")
    screens.take(page, "principals-edited")
    assert stack.query("SELECT principals FROM privatelink_privatelink") == [
        (f'["{SAME_ACCOUNT_ROLE}"]',)
    ]
    ec2 = fake_aws.client("ec2")
    service_id = configuration["ServiceId"]
    allowed = lambda: sorted(  # noqa: E731
        p["Principal"]
        for p in ec2.describe_vpc_endpoint_service_permissions(ServiceId=service_id)[
            "AllowedPrincipals"
        ]
    )
    page.wait_for_function("true")  # let the reconcile catch up before polling AWS
    _poll(lambda: allowed() == [SAME_ACCOUNT_ROLE])

    # 8. Delete, confirming with the service name; the link disappears from AWS.
    page.get_by_role("link", name="Delete PrivateLink…").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("my-kafka")
    assert_no_axe_violations(page, "the delete confirmation")
    expect(page.locator("main")).to_contain_text(endpoint.id)
    page.get_by_label("Type the service name to confirm").fill("my-kafk")
    chromium_browser.errors.expect_refusal("POST", SERVICE + "privatelink/delete", 400)
    page.get_by_role("button", name="Delete PrivateLink").click()
    expect(page.locator("#id_confirm_error")).to_contain_text("not the service name")
    _focus_on(page, "#id_confirm")
    screens.take(page, "delete-confirmation")
    page.get_by_label("Type the service name to confirm").fill("my-kafka")
    page.get_by_role("button", name="Delete PrivateLink").click()
    expect(page.get_by_test_id("privatelink-state")).to_have_text("Deleting")
    screens.take(page, "privatelink-deleting")
    assert_no_axe_violations(page, "the PrivateLink being deleted")
    # The privatelink route goes with it at once, on the Overview page too.
    overview = page.context.new_page()
    overview.goto(stack.url + SERVICE)
    expect(overview.locator("#connection-info")).not_to_contain_text(HOST)
    overview.close()
    expect(page.get_by_role("button", name="Create PrivateLink")).to_be_visible(timeout=SLOW)
    screens.take(page, "privatelink-deleted")
    assert stack.query("SELECT count(*) FROM privatelink_privatelink") == [(0,)]
    assert _endpoint_services(fake_aws) == []
    elb = fake_aws.client("elbv2")
    assert elb.describe_load_balancers()["LoadBalancers"] == []
    # The switches keep their values, for the next PrivateLink.
    _tab(page, "Overview").click()
    kafka = page.locator("#privatelink-access li", has_text="privatelink_access.kafka (")
    expect(kafka.locator(".status")).to_have_text(
        "Enabled: takes effect when the PrivateLink is active"
    )
    screens.take(page, "access-without-privatelink")

    # 9. The Activity page tells who did what.
    _tab(page, "Activity").click()
    events = page.locator("table.events")
    expect(events).to_contain_text("privatelink.delete")
    expect(events).to_contain_text(OWNER)
    screens.take(page, "activity")
    assert_no_axe_violations(page, "the activity page")


def _poll(check, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("AWS did not reach the expected state in time")
        time.sleep(0.5)


@pytest.fixture
def kafka_with_privatelink(stack):
    """my-kafka with an active PrivateLink, written as the reconciler would leave it."""
    stack.shell(f"""
from console import actions
from console.models import Project
from privatelink.models import AwsPrivateLink, PrivateLink
project = Project.objects.get(name="acme")
vpc = actions.create_project_vpc(project, "aws-eu-west-1", "10.0.0.0/16", actor=None)
service = actions.create_service(project, name="my-kafka", service_type="kafka",
    plan="business-4", project_vpc=vpc, actor=None)
link = PrivateLink.objects.create(service=service, principals=["{CUSTOMER_ROLE}"],
    state="active", generation=1, observed_generation=1)
AwsPrivateLink.objects.create(privatelink=link, service_id="vpce-svc-0123456789abcdef0",
    service_name="com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0",
    endpoint_service_state="Available")
""")
    return stack


def test_read_only_member_sees_everything_and_changes_nothing(
    kafka_with_privatelink, chromium_browser, screens
):
    stack = kafka_with_privatelink
    page = log_in(chromium_browser, stack, VIEWER)
    page.goto(stack.url + SERVICE + "privatelink/")
    expect(page.get_by_test_id("aws-service-name")).to_have_text(
        "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0"
    )
    expect(page.locator(".principal-list")).to_contain_text(CUSTOMER_ROLE)
    for control in ("Remove", "Add", "Refresh"):
        expect(page.get_by_role("button", name=control)).to_have_count(0)
    expect(page.get_by_role("link", name="Delete PrivateLink…")).to_have_count(0)
    screens.take(page, "read-only-privatelink")
    page.goto(stack.url + SERVICE)
    expect(page.locator("#privatelink-access input[type=checkbox]").first).to_be_disabled()
    expect(page.get_by_role("button", name="Save advanced configuration")).to_have_count(0)
    screens.take(page, "read-only-overview")
    page.set_viewport_size({"width": 390, "height": 844})
    screens.take(page, "read-only-overview-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Posting anyway, with a valid CSRF token, is refused by the access check.
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    answer = page.request.post(
        stack.url + SERVICE + "privatelink/principals/add",
        form={"principal": SAME_ACCOUNT_ROLE, "digest": "x"},
        headers={"X-CSRFToken": token, "Referer": stack.url + SERVICE},
    )
    assert answer.status == 403
    assert "read-only" in answer.text()
    assert stack.query("SELECT principals FROM privatelink_privatelink") == [
        (f'["{CUSTOMER_ROLE}"]',)
    ]


def test_outsider_finds_nothing(kafka_with_privatelink, chromium_browser, screens):
    stack = kafka_with_privatelink
    page = log_in(chromium_browser, stack, OUTSIDER)
    expect(page.locator("main")).to_contain_text("not a member of any project")
    chromium_browser.errors.expect_refusal("GET", SERVICE + "privatelink/", 404)
    answer = page.goto(stack.url + SERVICE + "privatelink/")
    assert answer.status == 404
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("vpce-svc")
    screens.take(page, "outsider-not-found")
