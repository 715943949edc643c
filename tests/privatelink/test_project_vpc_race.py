"""Two runs making a Project VPC's subnets at once: the VPC's own reconcile and a link's
(which builds the VPC when it finds it unbuilt, and checks it before its NLB is created).
The one that creates second is refused by AWS with InvalidSubnet.Conflict: a subnet of ours
in the range is used, one that is not ours is a clear refusal naming it. The VPC itself is
made by one run alone."""

from collections.abc import Callable
from typing import Any, ClassVar

import pytest

from console.models import ProjectVPC
from console.zones import ZONE_COUNT
from privatelink.clouds.aws import project_vpc
from privatelink.clouds.aws.gateway import Gateway, Retryable, Terminal, clients
from privatelink.clouds.aws.gateway.tags import ownership_tags, tag_list
from privatelink.engine import naming, reconcile
from privatelink.models import PrivateLink
from tests.privatelink.engine import converge

pytestmark = pytest.mark.django_db


class _Racing(Gateway):
    """The gateway, with `meanwhile` run once between the run's look at the VPC's subnets
    and its first subnet create (or `before` another EC2 call): what another run does at
    the same moment."""

    meanwhile: ClassVar[Callable[[dict[str, Any]], None] | None] = None
    before: ClassVar[str] = "CreateSubnet"

    def _client(self, name):
        if name == "ec2" and name not in self._clients:
            # A client of its own: the other run's gateway (with the thread's) must not race.
            client = clients.new_client(name, self.region, self.role_arn)
            client.meta.events.register(f"before-parameter-build.ec2.{self.before}", _race_once)
            self._clients[name] = client
        return super()._client(name)


def _race_once(params: dict[str, Any], **_: Any) -> None:
    other, _Racing.meanwhile = _Racing.meanwhile, None
    if other is not None:
        other(params)


@pytest.fixture
def racing():
    yield _Racing
    _Racing.meanwhile = None
    _Racing.before = "CreateSubnet"


@pytest.mark.parametrize("cidr", ["10.9.0.0/24", "10.9.0.128/25", "10.9.0.0/23"])
def test_a_range_overlapping_a_subnet_of_the_vpc_is_refused_as_aws_refuses_it(fake_aws, cidr):
    # AWS's words for it (CreateSubnet, any overlap): InvalidSubnet.Conflict, "The CIDR
    # '<range>' conflicts with another subnet", HTTP 400; the same range in another VPC is
    # fine. The driver plans on that code.
    gateway = Gateway(fake_aws.region)
    vpc_id = gateway.create_vpc("10.9.0.0/16", "project-vpc/0")
    zone = gateway.availability_zones()[0]
    gateway.create_subnet(vpc_id, "10.9.0.0/24", zone, "project-vpc/0")

    with pytest.raises(Terminal) as refused:
        gateway.create_subnet(vpc_id, cidr, zone, "project-vpc/0")

    assert refused.value.code == project_vpc.SUBNET_CONFLICT == "InvalidSubnet.Conflict"
    assert refused.value.message == f"The CIDR '{cidr}' conflicts with another subnet"
    assert len(gateway.subnets(vpc_id)) == 1
    elsewhere = gateway.create_vpc("10.9.0.0/16", "project-vpc/1")
    assert gateway.create_subnet(elsewhere, cidr, zone, "project-vpc/1")["cidr"] == cidr


def _subnets_in_aws(fake_aws, vpc: ProjectVPC) -> list[dict[str, str]]:
    return Gateway(fake_aws.region).subnets(vpc.aws_vpc_id)


def _assert_built_once(fake_aws, vpc: ProjectVPC) -> None:
    vpc.refresh_from_db()
    assert vpc.state == ProjectVPC.State.ACTIVE
    assert vpc.last_error == ""
    in_aws = _subnets_in_aws(fake_aws, vpc)
    assert len(in_aws) == ZONE_COUNT
    assert len({s["availability_zone"] for s in in_aws}) == ZONE_COUNT
    by_id = {s["subnet_id"]: s for s in in_aws}
    assert [by_id[s["subnet_id"]] for s in vpc.subnets] == vpc.subnets


def test_a_link_building_the_vpc_while_the_vpcs_reconcile_does_uses_the_subnets_it_made(
    fake_aws, privatelink, service, racing
):
    vpc = service.project_vpc
    assert not project_vpc.is_built(vpc)
    # The VPC's own reconcile makes every subnet between the link's look and its create.
    racing.meanwhile = lambda params: reconcile.reconcile_project_vpc(vpc.pk)

    outcome = reconcile.reconcile_service(service.pk, racing)

    assert racing.meanwhile is None  # the race took place
    assert outcome.error == ""
    privatelink.refresh_from_db()
    assert not privatelink.generation_failed
    assert privatelink.last_error == ""
    _assert_built_once(fake_aws, vpc)
    converge(service)
    privatelink.refresh_from_db()
    assert privatelink.state == PrivateLink.State.ACTIVE
    _assert_built_once(fake_aws, vpc)


def test_the_vpcs_reconcile_racing_a_links_check_uses_the_subnets_the_check_made(
    fake_aws, service, racing
):
    vpc = service.project_vpc
    racing.meanwhile = lambda params: project_vpc.ensure_project_vpc(
        ProjectVPC.objects.get(pk=vpc.pk), Gateway(fake_aws.region)
    )

    outcome = reconcile.reconcile_project_vpc(vpc.pk, racing)

    assert racing.meanwhile is None
    assert outcome.error == ""
    _assert_built_once(fake_aws, vpc)


def test_a_subnet_of_ours_made_in_the_range_for_another_zone_is_retried_and_then_used(
    fake_aws, service, racing
):
    vpc = service.project_vpc
    owner = naming.project_vpc_owner(vpc.pk)
    ec2 = fake_aws.client("ec2")

    def other_zone(params: dict[str, Any]) -> None:
        zones = Gateway(fake_aws.region).availability_zones()[:ZONE_COUNT]
        elsewhere = next(z for z in zones if z != params["AvailabilityZone"])
        ec2.create_subnet(**{**params, "AvailabilityZone": elsewhere})

    racing.meanwhile = other_zone

    with pytest.raises(Retryable, match=r"InvalidSubnet\.Conflict"):
        project_vpc.ensure_project_vpc(vpc, racing(fake_aws.region))
    # Tagged as this VPC's, it is no one else's: the next run plans around it, and uses it.
    project_vpc.ensure_project_vpc(vpc, Gateway(fake_aws.region))

    _assert_built_once(fake_aws, vpc)
    tags = ec2.describe_subnets(SubnetIds=[s["subnet_id"] for s in vpc.subnets])["Subnets"]
    assert all({"Key": "privatelink-console:owner", "Value": owner} in s["Tags"] for s in tags)


def test_a_subnet_not_ours_taking_the_range_fails_the_link_naming_it_and_is_left_alone(
    fake_aws, privatelink, service, racing
):
    ec2 = fake_aws.client("ec2")
    theirs: list[str] = []

    def someone_else(params: dict[str, Any]) -> None:
        tags = [{"ResourceType": "subnet", "Tags": tag_list({"team": "networking"})}]
        subnet = ec2.create_subnet(**{**params, "TagSpecifications": tags})["Subnet"]
        theirs.append(subnet["SubnetId"])

    racing.meanwhile = someone_else

    outcome = reconcile.reconcile_service(service.pk, racing)

    assert outcome.error
    assert "ForeignSubnet" in outcome.error
    assert theirs[0] in outcome.error
    assert "Remove it" in outcome.error
    privatelink.refresh_from_db()
    assert privatelink.generation_failed
    assert ec2.describe_subnets(SubnetIds=theirs)["Subnets"][0]["SubnetId"] == theirs[0]


def test_a_subnet_of_another_vpc_row_taking_the_range_is_not_ours_either(fake_aws, service, racing):
    vpc = service.project_vpc
    ec2 = fake_aws.client("ec2")

    def another_row(params: dict[str, Any]) -> None:
        tags = tag_list(ownership_tags(naming.project_vpc_owner(vpc.pk + 1)))
        ec2.create_subnet(
            **{**params, "TagSpecifications": [{"ResourceType": "subnet", "Tags": tags}]}
        )

    racing.meanwhile = another_row

    outcome = reconcile.reconcile_project_vpc(vpc.pk, racing)

    assert outcome.error
    assert "ForeignSubnet" in outcome.error
    vpc.refresh_from_db()
    assert "ForeignSubnet" in vpc.last_error


def test_two_runs_that_both_found_no_vpc_make_one(fake_aws, privatelink, service, racing):
    vpc = service.project_vpc
    refused: list[Exception] = []

    def the_vpcs_reconcile(params: dict[str, Any]) -> None:
        try:
            reconcile.reconcile_project_vpc(vpc.pk)
        except Retryable as exc:  # the task retries it
            refused.append(exc)

    racing.before = "CreateVpc"
    racing.meanwhile = the_vpcs_reconcile

    outcome = reconcile.reconcile_service(service.pk, racing)

    assert racing.meanwhile is None
    assert outcome.error == ""
    assert [exc.code for exc in refused] == ["VpcBeingCreated"]
    # The retry of the VPC's reconcile finds the VPC the link's run made.
    assert reconcile.reconcile_project_vpc(vpc.pk).error == ""
    owner = naming.project_vpc_owner(vpc.pk)
    ours = fake_aws.client("ec2").describe_vpcs(
        Filters=[{"Name": "tag:privatelink-console:owner", "Values": [owner]}]
    )["Vpcs"]
    vpc.refresh_from_db()
    assert [v["VpcId"] for v in ours] == [vpc.aws_vpc_id]
    _assert_built_once(fake_aws, vpc)
    privatelink.refresh_from_db()
    assert not privatelink.generation_failed
