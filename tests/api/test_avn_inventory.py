"""The guide's first steps through the real `avn`: create a Project VPC, launch a service in
it, list and delete VPCs; bad input gets the platform's error shape and creates nothing."""

import pytest

from console.models import AuditEvent, ProjectVPC, Service
from tests.factories import ProjectFactory, ProjectVPCFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("queued")]

PROJECT = ("--project", "demo")


def test_vpc_create_list_and_delete_work_as_the_platform_names_them(avn, project, developer):
    created = avn("vpc", "create", "--cloud", "aws-eu-central-1", "--network-cidr",
                  "10.1.0.0/16", *PROJECT, "--json")  # fmt: skip
    assert created.returncode == 0, created.stderr
    vpc = ProjectVPC.objects.get(project=project, cloud="aws-eu-central-1")
    assert created.json()["project_vpc_id"] == str(vpc.public_id)
    assert (created.json()["network_cidr"], created.json()["state"]) == ("10.1.0.0/16", "APPROVED")
    assert AuditEvent.objects.filter(action="project_vpc.create", actor=developer).exists()

    listed = avn("vpc", "list", *PROJECT, "--json")
    assert [(v["project_vpc_id"], v["cloud_name"]) for v in listed.json()] == [
        (str(vpc.public_id), "aws-eu-central-1")
    ]

    deleted = avn("vpc", "delete", "--project-vpc-id", str(vpc.public_id), *PROJECT, "--json")
    assert deleted.returncode == 0, deleted.stderr
    assert deleted.json()["state"] == "DELETING"
    vpc.refresh_from_db()
    assert vpc.state == ProjectVPC.State.DELETING
    assert AuditEvent.objects.filter(action="project_vpc.delete", actor=developer).exists()


@pytest.mark.parametrize(
    ("cidr", "said"),
    [
        ("10.1.0.0/33", "IPv4 network"),
        ("10.1.0.1/16", "IPv4 network"),
        ("8.8.0.0/16", "private range"),
        ("127.0.0.0/16", "127.0.0.0/16 is not a private range"),
        ("169.254.0.0/16", "169.254.0.0/16 is not a private range"),
        ("0.0.0.0/16", "0.0.0.0/16 is not a private range"),
        ("240.0.0.0/16", "240.0.0.0/16 is not a private range"),
        ("100.64.0.0/16", "use one inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16"),
    ],
)
def test_a_bad_cidr_is_refused_and_no_vpc_is_created(avn, project, developer, cidr, said):
    result = avn("vpc", "create", "--cloud", "aws-eu-west-1", "--network-cidr", cidr, *PROJECT)
    assert result.returncode != 0
    assert said in result.stdout + result.stderr
    assert '"status": 400' in result.stdout or "400" in result.stderr
    assert not ProjectVPC.objects.exists()


def test_an_unknown_cloud_is_refused(avn, project, developer):
    result = avn("vpc", "create", "--cloud", "gcp-moon-1", "--network-cidr", "10.1.0.0/16",
                 *PROJECT)  # fmt: skip
    assert result.returncode != 0
    assert "aws-eu-west-1" in result.stdout  # the clouds to choose from
    assert not ProjectVPC.objects.exists()


def test_deleting_a_vpc_with_services_is_refused_with_the_reason(avn, service, developer):
    vpc = service.project_vpc
    result = avn("vpc", "delete", "--project-vpc-id", str(vpc.public_id), *PROJECT)
    assert result.returncode != 0
    assert "still has services (my-kafka)" in result.stdout
    vpc.refresh_from_db()
    assert vpc.state == ProjectVPC.State.ACTIVE


def test_service_create_launches_a_service_in_the_vpc_with_its_plans_nodes(
    avn, service, developer, queued
):
    vpc = service.project_vpc
    result = avn("service", "create", "my-kafka2", "-t", "kafka", "--plan", "business-4",
                 "--cloud", "aws-eu-west-1", "--project-vpc-id", str(vpc.public_id),
                 *PROJECT)  # fmt: skip
    assert result.returncode == 0, result.stderr
    created = Service.objects.get(name="my-kafka2")
    # REBUILDING until its reconcile (queued on commit) finds the nodes built.
    assert created.state == Service.State.REBUILDING
    assert ("service", created.pk) in queued
    assert (created.project_vpc, created.plan, created.cloud) == (vpc, "business-4", vpc.cloud)
    nodes = list(created.nodes.all())
    assert len(nodes) == 3
    assert len({n.availability_zone for n in nodes}) == 3
    taken = set(service.nodes.values_list("private_ip", flat=True))
    assert all(n.private_ip not in taken for n in nodes)
    assert AuditEvent.objects.filter(action="service.create", service=created).exists()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("-t", "kafka", "--plan", "hobbyist"), "Choose one of the plans"),
        (("-t", "kafka", "--plan", "business-4", "--cloud", "gcp-moon-1"), "Unknown cloud"),
        (("-t", "kafka", "--plan", "business-4", "--project-vpc-id", "999"), "no Project VPC 999"),
    ],
)
def test_bad_service_input_is_refused_and_creates_nothing(avn, service, developer, args, said):
    result = avn("service", "create", "my-kafka2", *args, *PROJECT)
    assert result.returncode != 0
    assert said in result.stdout + result.stderr
    assert not Service.objects.filter(name="my-kafka2").exists()


def test_an_unknown_service_type_is_refused(avn, service, developer):
    result = avn("service", "create", "my-kafka2", "-t", "zookeeper", "--plan", "business-4",
                 *PROJECT)  # fmt: skip
    assert result.returncode != 0
    assert "zookeeper" in result.stderr
    assert not Service.objects.filter(name="my-kafka2").exists()


def test_a_vpc_of_another_project_is_refused_like_an_unknown_one(avn, service, developer):
    other = ProjectVPCFactory(project=ProjectFactory(name="other"), cidr="10.9.0.0/16")
    result = avn("service", "create", "my-kafka2", "-t", "kafka", "--plan", "business-4",
                 "--project-vpc-id", str(other.public_id), *PROJECT)  # fmt: skip
    assert result.returncode != 0
    assert f"no Project VPC {other.public_id}" in result.stderr
    assert not Service.objects.filter(name="my-kafka2").exists()


def test_a_duplicate_service_name_is_refused_with_409(avn, service, developer):
    result = avn("service", "create", "my-kafka", "-t", "kafka", "--plan", "business-4",
                 "--project-vpc-id", str(service.project_vpc.public_id), *PROJECT)  # fmt: skip
    assert result.returncode != 0
    assert "already exists" in result.stderr
    assert "status 409" in result.stderr
    assert Service.objects.filter(name="my-kafka").count() == 1


def test_read_only_member_cannot_create_a_vpc(avn, project, read_only_token):
    result = avn("vpc", "create", "--cloud", "aws-eu-west-1", "--network-cidr", "10.1.0.0/16",
                 *PROJECT, token=read_only_token)  # fmt: skip
    assert result.returncode != 0
    assert "read-only" in result.stdout
    assert not ProjectVPC.objects.exists()


def test_service_update_plan_scales_the_service(avn, service, developer):
    result = avn("service", "update", "my-kafka", "--plan", "premium-6", *PROJECT)
    assert result.returncode == 0, result.stderr
    service.refresh_from_db()
    assert (service.plan, service.nodes.count()) == ("premium-6", 6)
    shown = avn("service", "get", "my-kafka", *PROJECT, "--json").json()
    assert (shown["plan"], shown["node_count"]) == ("premium-6", 6)
    event = AuditEvent.objects.get(action="service.plan", service=service)
    assert event.actor == developer
    assert event.before["plan"] == "business-4"


def test_service_update_to_an_unknown_plan_is_refused_and_changes_nothing(avn, service, developer):
    result = avn("service", "update", "my-kafka", "--plan", "hobbyist", *PROJECT)
    assert result.returncode != 0
    assert "Unknown plan 'hobbyist'" in result.stderr
    service.refresh_from_db()
    assert (service.plan, service.nodes.count()) == ("business-4", 3)


def test_service_terminate_marks_the_service_deleting_and_audits(avn, service, developer):
    result = avn("service", "terminate", "my-kafka", "--force", *PROJECT)
    assert result.returncode == 0, result.stderr
    service.refresh_from_db()
    assert service.state == Service.State.DELETING
    assert AuditEvent.objects.get(action="service.terminate", service=service).actor == developer
    shown = avn("service", "get", "my-kafka", *PROJECT, "--json").json()
    # The platform has no state of its own for this: the service is powered off.
    assert shown["state"] == "POWEROFF"
    again = avn("service", "terminate", "my-kafka", "--force", *PROJECT)
    assert again.returncode != 0
    assert "status 409" in again.stderr


def test_read_only_member_cannot_terminate(avn, service, read_only_token):
    result = avn("service", "terminate", "my-kafka", "--force", *PROJECT, token=read_only_token)
    assert result.returncode != 0
    assert "status 403" in result.stderr
    service.refresh_from_db()
    assert service.state == Service.State.RUNNING
