"""`manage.py privatelink_status`: a stuck fleet is visible at a glance."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from console import actions as console_actions
from privatelink import actions
from privatelink.management.commands.privatelink_status import age
from privatelink.models import PrivateLink, ReconcileLease
from tests.factories import PrivateLinkFactory, ProjectFactory, ServiceFactory


@pytest.fixture
def fleet(db):
    """Six PrivateLinks in every situation an operator meets, and three lease rows."""
    project = ProjectFactory(name="fleet")
    now = timezone.now()

    def link(name, state, generation=1, observed=1, failed=0, changed_ago=0):
        return PrivateLinkFactory(
            service=ServiceFactory(project=project, name=name, nodes=1),
            state=state,
            generation=generation,
            observed_generation=observed,
            failed_generation=failed,
            desired_changed=now - timedelta(seconds=changed_ago),
        )

    active = PrivateLink.State.ACTIVE
    link("settled-1", active, changed_ago=86400)
    link("settled-2", active, changed_ago=3600)
    changed = link("changed", active, generation=2, observed=1, changed_ago=300)
    link("creating", PrivateLink.State.CREATING, observed=0, changed_ago=125)
    link("refused", PrivateLink.State.CREATING, observed=0, failed=1, changed_ago=40)
    link("deleting", PrivateLink.State.DELETING, generation=3, observed=2, changed_ago=10)
    ReconcileLease.objects.create(
        key=f"service:{changed.service_id}",
        holder="worker-a:4242:0123abcd",
        expires=now + timedelta(seconds=15),
    )
    ReconcileLease.objects.create(key="service:999", holder="dead:1:ffffffff", expires=now)
    ReconcileLease.objects.create(key="sweep", holder="", expires=now + timedelta(seconds=60))
    return changed


def _run(*args):
    out = StringIO()
    call_command("privatelink_status", *args, stdout=out)
    return out.getvalue()


def test_it_counts_links_per_state_with_the_unconverged_and_the_oldest_age(fleet):
    lines = _run().splitlines()

    assert lines[1].split() == [
        "state",
        "total",
        "not",
        "converged",
        "failed",
        "oldest",
        "not",
        "converged",
    ]
    rows = {line.split()[0]: line.split()[1:] for line in lines[2:6]}
    # total, not converged, failed, then the age in minutes (the seconds move on as it runs)
    assert rows["creating"][:4] == ["2", "2", "1", "2m"]
    assert rows["active"][:4] == ["3", "1", "0", "5m"]
    assert rows["deleting"][:3] == ["1", "1", "0"]
    assert rows["deleting"][3].endswith("s")
    assert rows["all"][:4] == ["6", "4", "1", "5m"]


def test_it_lists_held_leases_with_their_holders_and_the_service(fleet):
    output = _run()

    assert "Held leases: 1" in output
    (lease_line,) = [line for line in output.splitlines() if line.startswith("service:")]
    assert lease_line.split()[:3] == [
        f"service:{fleet.service_id}",
        "fleet/changed",
        "worker-a:4242:0123abcd",
    ]
    assert "dead:1:ffffffff" not in output  # expired: nobody holds it any more


def test_json_gives_the_same_figures_to_scripts(fleet):
    status = json.loads(_run("--json"))

    by_state = {row["state"]: row for row in status["states"]}
    assert by_state["creating"]["total"] == 2
    assert by_state["creating"]["unconverged"] == 2
    assert by_state["creating"]["failed"] == 1
    assert 125 <= by_state["creating"]["oldest_unconverged_seconds"] < 185
    assert status["total"]["unconverged"] == 4
    assert [(held["holder"], held["service"]) for held in status["leases"]] == [
        ("worker-a:4242:0123abcd", "fleet/changed")
    ]
    assert 0 < status["leases"][0]["expires_in_seconds"] <= 15


def test_an_empty_fleet_reads_as_zeros_and_no_leases(db):
    output = _run()

    assert "all       0      0              0       -" in output
    assert "Held leases: 0" in output


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(None, "-"), (0.4, "0s"), (59, "59s"), (200, "3m 20s"), (7500, "2h 5m"), (273600, "3d 4h")],
)
def test_ages_read_at_a_glance(seconds, text):
    assert age(seconds) == text


def test_every_change_of_desired_state_restarts_the_unconverged_clock(
    service, developer, queued, django_capture_on_commit_callbacks
):
    link = actions.create_privatelink(
        service, ["arn:aws:iam::111122223333:role/app"], actor=developer
    ).link
    long_ago = timezone.now() - timedelta(days=2)

    def changed_recently() -> bool:
        link.refresh_from_db()
        return link.desired_changed > long_ago + timedelta(days=1)

    PrivateLink.objects.filter(pk=link.pk).update(desired_changed=long_ago)
    actions.replace_principals(link, ["arn:aws:iam::111122223333:role/other"], actor=developer)
    assert changed_recently()

    PrivateLink.objects.filter(pk=link.pk).update(desired_changed=long_ago)
    # Component access reaches the PrivateLink through the signal sent on commit.
    with django_capture_on_commit_callbacks(execute=True):
        actions.set_component_access(service, {"schema_registry": True}, actor=developer)
    assert changed_recently()

    PrivateLink.objects.filter(pk=link.pk).update(desired_changed=long_ago)
    actions.delete_privatelink(link, actor=developer)
    assert changed_recently()


def test_it_shows_each_platform_account_with_its_vpcs_nlbs_and_headroom(fleet, settings):
    from privatelink import placement
    from privatelink.models import PlatformAccount

    settings.AWS_PLATFORM_ACCOUNTS = {}
    settings.AWS_PLATFORM_ROLE_ARN = "arn:aws:iam::111111111111:role/pl"
    PlatformAccount.objects.create(
        region="eu-west-1", role_arn=settings.AWS_PLATFORM_ROLE_ARN, load_balancer_quota=50
    )
    placement.account_for(fleet.service.project_vpc)  # the fleet's one Project VPC

    output = _run()
    status = json.loads(_run("--json"))

    assert "Platform accounts: 1 in 1 region (eu-west-1)" in output
    assert "111111111111  eu-west-1  1             6     50         44" in output
    assert status["accounts"] == [
        {
            "account_id": "111111111111",
            "region": "eu-west-1",
            "role_arn": "arn:aws:iam::111111111111:role/pl",
            "project_vpcs": 1,
            "load_balancers": 6,
            "load_balancer_quota": 50,
            "headroom": 44,
        }
    ]


def test_one_account_in_two_regions_counts_as_one_account_with_both_regions(db):
    from privatelink.models import PlatformAccount

    role = "arn:aws:iam::111111111111:role/pl"
    PlatformAccount.objects.create(region="eu-west-1", role_arn=role)
    PlatformAccount.objects.create(region="us-east-1", role_arn=role)
    PlatformAccount.objects.create(region="us-east-1", role_arn="arn:aws:iam::222222222222:role/pl")

    output = _run()

    assert "Platform accounts: 2 in 2 regions (eu-west-1, us-east-1)" in output
    assert "111111111111  eu-west-1" in output
    assert "111111111111  us-east-1" in output
    assert "222222222222  us-east-1" in output


def test_a_terminated_services_privatelink_is_unconverged_since_the_termination(
    project, developer, queued, django_capture_on_commit_callbacks
):
    """The termination is a new desired state: its age starts then, not at the last edit a
    day before, so an operator sees no stale "unconverged since"."""
    link = PrivateLinkFactory(
        service=ServiceFactory(project=project, nodes=1),
        state=PrivateLink.State.ACTIVE,
        desired_changed=timezone.now() - timedelta(days=1),
    )

    with django_capture_on_commit_callbacks(execute=True):
        console_actions.terminate_service(link.service, actor=developer)

    link.refresh_from_db()
    assert link.state == PrivateLink.State.DELETING
    assert timezone.now() - link.desired_changed < timedelta(minutes=1)
    rows = {line.split()[0]: line.split()[1:] for line in _run().splitlines()[2:6]}
    assert rows["deleting"][:2] == ["1", "1"]
    assert rows["deleting"][3].endswith("s")


def test_the_google_project_shows_its_service_attachments_and_their_quota_not_nlbs(
    db, project, google_service
):
    from privatelink import placement
    from privatelink.models import PlatformAccount

    account = placement.account_for(google_service.project_vpc)
    PrivateLinkFactory(service=google_service)
    before_read = _run()
    PlatformAccount.objects.filter(pk=account.pk).update(service_attachment_quota=250)

    output = _run()
    status = json.loads(_run("--json"))

    assert "100 (default, not read yet)  99" in before_read
    assert "Google project (one PrivateLink, one service attachment):" in output
    assert "europe-west1  1             1            250    249" in output
    assert "Platform accounts: 0" in output  # no NLB quota shown for Google
    assert status["accounts"] == []
    assert status["google_regions"] == [
        {
            "region": "europe-west1",
            "project_vpcs": 1,
            "service_attachments": 1,
            "service_attachment_quota": 250,
            "quota_read": True,
            "headroom": 249,
        }
    ]
