"""A Project VPC deleted through the console leaves AWS: subnets and VPC, then its row."""

from console import actions
from console.models import AuditEvent, ProjectVPC
from privatelink.engine import reconcile


def test_a_deleted_project_vpc_is_removed_from_aws_and_then_from_the_database(
    fake_aws, project, developer, queued, django_capture_on_commit_callbacks
):
    vpc = actions.create_project_vpc(project, "aws-eu-west-1", "10.1.0.0/16", actor=developer)
    reconcile.reconcile_project_vpc(vpc.pk)
    vpc.refresh_from_db()
    aws_vpc_id = vpc.aws_vpc_id
    ec2 = fake_aws.client("ec2")
    assert ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [aws_vpc_id]}])["Subnets"]

    with django_capture_on_commit_callbacks(execute=True):
        actions.delete_project_vpc(vpc, actor=developer)
    assert ("project_vpc", vpc.pk) in queued
    reconcile.reconcile_project_vpc(vpc.pk)

    assert not ProjectVPC.objects.filter(pk=vpc.pk).exists()
    assert aws_vpc_id not in {v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"]}
    assert not ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [aws_vpc_id]}])["Subnets"]
    assert AuditEvent.objects.filter(action="project_vpc.deleted", project=project).exists()
