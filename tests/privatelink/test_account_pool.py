"""A pool of platform accounts per region: Project VPCs are placed by NLB headroom, every
PrivateLink of a VPC lives in its account, a full account refuses a create before anything
is saved or built, and the sweep works account by account; against the fake AWS, which
serves each account through its assumed role and enforces the NLB quota."""

from io import StringIO

import pytest
from django.core.management import call_command

from console.errors import Conflict
from console.models import AuditEvent, ProjectVPC
from privatelink import actions, placement, receivers, sweep
from privatelink.clouds.aws.gateway.tags import ownership_tags
from privatelink.engine import reconcile
from privatelink.engine.naming import owner, target_group_name
from privatelink.models import OrphanSighting, PlatformAccount, PrivateLink
from tests.constants import CUSTOMER_ACCOUNT, CUSTOMER_ROLE
from tests.factories import ProjectFactory, ProjectVPCFactory, ServiceFactory
from tests.privatelink.engine import converge

ROLE_A = "arn:aws:iam::111111111111:role/pl"
ROLE_B = "arn:aws:iam::222222222222:role/pl"


@pytest.fixture
def pool(settings, fake_aws):
    """Two accounts in eu-west-1, each allowed two NLBs."""
    settings.AWS_PLATFORM_ACCOUNTS = {"aws-eu-west-1": [ROLE_A, ROLE_B]}
    fake_aws.set_quotas(load_balancers_per_region=2)
    return fake_aws


def _account_client(fake_aws, role_arn, service_name):
    """A client signed as the pool role, in its account, as the console reaches it."""
    return fake_aws.customer(role_arn.split(":")[4], role_arn).client(service_name)


def _nlb_names(fake_aws, role_arn):
    balancers = _account_client(fake_aws, role_arn, "elbv2").describe_load_balancers()
    return sorted(lb["LoadBalancerName"] for lb in balancers["LoadBalancers"])


def _new_vpc(project, cidr):
    vpc = ProjectVPCFactory(project=project, cidr=cidr, state=ProjectVPC.State.CREATING, subnets=[])
    receivers.on_project_vpc_requested(ProjectVPC, project_vpc=vpc)
    assert reconcile.reconcile_project_vpc(vpc.pk).error == ""
    vpc.refresh_from_db()
    return vpc


def test_two_vpcs_land_in_different_accounts_and_a_full_account_refuses_the_next_link(
    pool, project, developer, queued
):
    first = _new_vpc(project, "10.0.0.0/16")
    second = _new_vpc(ProjectFactory(name="other"), "10.1.0.0/16")
    links = []
    for vpc in (first, second):
        for number in (1, 2):
            service = ServiceFactory(
                project=vpc.project, name=f"kafka-{number}", project_vpc=vpc, nodes=3
            )
            links.append(actions.create_privatelink(service, [CUSTOMER_ROLE], actor=developer).link)
            assert converge(service).error == ""

    assert placement.account_for(first).role_arn == ROLE_A
    assert placement.account_for(second).role_arn == ROLE_B
    assert len(_nlb_names(pool, ROLE_A)) == 2
    assert len(_nlb_names(pool, ROLE_B)) == 2
    assert all(link.state == PrivateLink.State.ACTIVE for link in PrivateLink.objects.all())
    usage = {
        u.account_id: (u.project_vpcs, u.load_balancers, u.headroom)
        for u in placement.account_usage()
    }
    assert usage == {"111111111111": (1, 2, 0), "222222222222": (1, 2, 0)}
    shown = StringIO()
    call_command("privatelink_status", stdout=shown)
    assert (
        "Platform accounts: 2 in 1 region (eu-west-1)\n"
        "account       region     project VPCs  NLBs  NLB quota  headroom\n"
        "111111111111  eu-west-1  1             2     2          0\n"
        "222222222222  eu-west-1  1             2     2          0"
    ) in shown.getvalue()
    # The VPC itself was built in its account, not in the deployment's own.
    vpcs = _account_client(pool, ROLE_A, "ec2").describe_vpcs()["Vpcs"]
    assert first.aws_vpc_id in {v["VpcId"] for v in vpcs}

    third = ServiceFactory(project=project, name="kafka-3", project_vpc=first, nodes=3)
    with pytest.raises(Conflict) as refused:
        actions.create_privatelink(third, [CUSTOMER_ROLE], actor=developer)

    # The account is shared: its figures are other tenants' business, support's to solve.
    assert refused.value.message == (
        "The platform cannot take another PrivateLink for the Project VPC in aws-eu-west-1 "
        "at the moment; nothing was saved. Contact platform support: they can make room for it."
    )
    assert not PrivateLink.objects.filter(service=third).exists()
    assert len(_nlb_names(pool, ROLE_A)) == 2
    assert not any(name.endswith("kafka-3") for name in _nlb_names(pool, ROLE_A))


def test_the_account_quotas_come_from_describe_account_limits(pool, project, queued):
    vpc = _new_vpc(project, "10.0.0.0/16")

    account = placement.account_for(vpc)

    assert account.load_balancer_quota == 2
    assert account.target_group_quota == 3000
    assert account.quotas_checked is not None


def test_a_tie_in_headroom_goes_to_the_account_with_fewer_vpcs(pool, project, queued):
    for role in (ROLE_A, ROLE_B):
        PlatformAccount.objects.create(region="eu-west-1", role_arn=role, load_balancer_quota=2)
    first = ProjectVPCFactory(project=project, cidr="10.0.0.0/16")
    second = ProjectVPCFactory(project=ProjectFactory(name="other"), cidr="10.1.0.0/16")

    assert placement.account_for(first).role_arn == ROLE_A
    assert placement.account_for(second).role_arn == ROLE_B
    # Placement is decided once, and recorded.
    assert placement.account_for(first).role_arn == ROLE_A
    events = AuditEvent.objects.filter(action="project_vpc.placed").order_by("pk")
    assert [e.after["account"] for e in events] == ["111111111111", "222222222222"]


def test_a_vpc_goes_to_the_account_with_the_most_headroom(settings, project, db, queued):
    settings.AWS_PLATFORM_ACCOUNTS = {"aws-eu-west-1": [ROLE_A, ROLE_B]}
    PlatformAccount.objects.create(region="eu-west-1", role_arn=ROLE_A, load_balancer_quota=5)
    PlatformAccount.objects.create(region="eu-west-1", role_arn=ROLE_B, load_balancer_quota=9)

    vpc = ProjectVPCFactory(project=project)

    assert placement.account_for(vpc).role_arn == ROLE_B


def test_without_a_pool_the_one_account_is_the_platform_role(settings, project, db):
    settings.AWS_PLATFORM_ACCOUNTS = {}
    settings.AWS_PLATFORM_ROLE_ARN = ROLE_A

    account = placement.account_for(ProjectVPCFactory(project=project))

    assert account.role_arn == ROLE_A
    assert str(account) == "111111111111 in eu-west-1"


def test_the_sweep_removes_a_leak_in_each_account(pool, project, settings, queued):
    settings.PRIVATELINK_ORPHAN_GRACE_SECONDS = 0
    vpc = _new_vpc(project, "10.0.0.0/16")
    for role in (ROLE_A, ROLE_B):
        elbv2 = _account_client(pool, role, "elbv2")
        tags = ownership_tags(owner(9999))
        elbv2.create_target_group(
            Name=target_group_name(9999, 10000),
            Protocol="TCP",
            Port=10000,
            VpcId=vpc.aws_vpc_id if role == ROLE_A else _some_vpc(pool, role),
            TargetType="ip",
            Tags=[{"Key": k, "Value": v} for k, v in tags.items()],
        )

    report = sweep.sweep(turn=0)  # a turn with the leak scan

    assert len(report.removed) == 2
    for role in (ROLE_A, ROLE_B):
        groups = _account_client(pool, role, "elbv2").describe_target_groups()["TargetGroups"]
        assert groups == []


def test_a_platform_region_the_catalog_does_not_offer_is_not_swept(settings, fake_aws, db):
    settings.AWS_PLATFORM_ACCOUNTS = {}
    settings.AWS_PLATFORM_ROLE_ARN = ROLE_A
    settings.AWS_REGION = "ap-south-1"

    sweep.sweep(turn=1)

    assert not PlatformAccount.objects.filter(region="ap-south-1").exists()


def _some_vpc(fake_aws, role_arn):
    ec2 = _account_client(fake_aws, role_arn, "ec2")
    return ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]


def test_each_account_keeps_its_own_leak_sightings_through_the_grace_period(
    pool, project, settings, queued
):
    vpc = _new_vpc(project, "10.0.0.0/16")
    for role, vpc_id in ((ROLE_A, vpc.aws_vpc_id), (ROLE_B, _some_vpc(pool, ROLE_B))):
        _account_client(pool, role, "elbv2").create_target_group(
            Name=target_group_name(9999, 10000),
            Protocol="TCP",
            Port=10000,
            VpcId=vpc_id,
            TargetType="ip",
            Tags=[{"Key": k, "Value": v} for k, v in ownership_tags(owner(9999)).items()],
        )

    first = sweep.sweep(turn=0)
    second = sweep.sweep(turn=0)

    assert first.removed == second.removed == []
    sightings = OrphanSighting.objects.values_list("account", flat=True)
    assert sorted(sightings) == [ROLE_A, ROLE_B]


def test_a_vpc_built_before_the_pool_stays_in_the_single_account(settings, project, db):
    settings.AWS_PLATFORM_ROLE_ARN = ""
    settings.AWS_PLATFORM_ACCOUNTS = {"aws-eu-west-1": [ROLE_A, ROLE_B]}

    account = placement.account_for(ProjectVPCFactory(project=project, aws_vpc_id="vpc-0123"))

    assert account.role_arn == ""


def test_a_customer_connects_to_a_privatelink_in_a_pool_account(pool, project, developer, queued):
    vpc = _new_vpc(project, "10.0.0.0/16")
    service = ServiceFactory(project=project, name="kafka-1", project_vpc=vpc, nodes=3)
    link = actions.create_privatelink(service, [CUSTOMER_ROLE], actor=developer).link
    assert converge(service).error == ""
    link.refresh_from_db()

    endpoint = pool.customer(CUSTOMER_ACCOUNT, CUSTOMER_ROLE).create_endpoint(link.aws.service_name)
    assert converge(service).error == ""

    connection = link.connections.get()
    assert connection.endpoint_id == endpoint.id
    assert connection.state == "active"
    configurations = _account_client(pool, ROLE_A, "ec2").describe_vpc_endpoint_connections()
    states = [c["VpcEndpointState"] for c in configurations["VpcEndpointConnections"]]
    assert states == ["available"]


def test_an_out_of_date_quota_is_learnt_from_aws_when_it_refuses(
    fake_aws, project, service, developer, queued
):
    link = actions.create_privatelink(service, [CUSTOMER_ROLE], actor=developer).link
    account = placement.account_for(service.project_vpc)
    assert account.load_balancer_quota == 50  # never asked yet
    fake_aws.set_quotas(load_balancers_per_region=0)

    outcome = reconcile.reconcile_service(service.pk)

    assert "TooManyLoadBalancers" in outcome.error
    account.refresh_from_db()
    assert account.load_balancer_quota == 0
    link.refresh_from_db()
    assert link.aws.nlb_arn == ""
    # The next create is refused before anything is saved.
    other = ServiceFactory(project=project, name="other", project_vpc=service.project_vpc)
    with pytest.raises(Conflict, match="Contact platform support"):
        actions.create_privatelink(other, [CUSTOMER_ROLE], actor=developer)


def test_an_azure_vpc_is_held_by_the_platform_subscription_never_by_an_aws_role(
    settings, project, db
):
    settings.AWS_PLATFORM_ROLE_ARN = ROLE_A
    settings.AWS_PLATFORM_ACCOUNTS = {"aws-eu-west-1": [ROLE_A, ROLE_B]}
    vpc = ProjectVPCFactory(project=project, cloud="azure-westeurope", cidr="10.2.0.0/16")

    account = placement.account_for(vpc)

    assert (account.region, account.role_arn) == ("westeurope", "")
    assert not PlatformAccount.objects.filter(region="westeurope").exclude(role_arn="").exists()
