"""The move of AWS's details beside the PrivateLink keeps every existing row: each link's AWS
values land in its AwsPrivateLink, and a connection's renamed columns keep their values;
going back puts the values where they were."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("privatelink", "0011_azure_details")]
AFTER = [("privatelink", "0014_cloud_neutral_columns")]
SERVICE_ID = "vpce-svc-0123456789abcdef0"
SERVICE_NAME = f"com.amazonaws.vpce.eu-west-1.{SERVICE_ID}"
NLB_ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/pl-1/abc"
AZURE_ENDPOINT = (
    "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/customer/providers/"
    "Microsoft.Network/privateEndpoints/pe-1"
)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.fixture
def old_apps():
    apps = _migrate(BEFORE)
    yield apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _link(apps, name, cloud, **aws_columns):
    Project = apps.get_model("console", "Project")
    Service = apps.get_model("console", "Service")
    PrivateLink = apps.get_model("privatelink", "PrivateLink")
    project, _ = Project.objects.get_or_create(name="demo")
    service = Service.objects.create(
        project=project,
        name=name,
        host_label=f"{name}-demo",
        service_type="kafka",
        plan="business-4",
        cloud=cloud,
    )
    return PrivateLink.objects.create(
        service=service, principals=["*"], state="active", **aws_columns
    )


def _connection(apps, link, endpoint, owner, state):
    return apps.get_model("privatelink", "PrivateLinkConnection").objects.create(
        privatelink=link,
        privatelink_connection_id=f"plc-{link.pk}",
        vpc_endpoint_id=endpoint,
        owner_account=owner,
        aws_state=state,
        dns_name="",
        state="active",
        number=1,
    )


def test_aws_values_move_to_the_aws_row_and_connections_keep_theirs(old_apps):
    provisioned = _link(
        old_apps,
        "provisioned",
        "aws-eu-west-1",
        aws_service_id=SERVICE_ID,
        aws_service_name=SERVICE_NAME,
        nlb_arn=NLB_ARN,
        nlb_state="active",
        endpoint_service_state="Available",
    )
    # Created, not yet seen in AWS: its AWS row waits, empty, as the engine would make it.
    waiting = _link(old_apps, "waiting", "aws-us-east-1")
    azure = _link(old_apps, "azure", "azure-westeurope")
    _connection(old_apps, provisioned, "vpce-0aaaabbbbccccdddd", "111122223333", "available")
    _connection(old_apps, azure, AZURE_ENDPOINT, "00000000-0000-0000-0000-000000000001", "Approved")

    apps = _migrate(AFTER)

    AwsPrivateLink = apps.get_model("privatelink", "AwsPrivateLink")
    rows = {
        row.privatelink_id: (
            row.service_id,
            row.service_name,
            row.nlb_arn,
            row.nlb_state,
            row.endpoint_service_state,
        )
        for row in AwsPrivateLink.objects.all()
    }
    assert rows == {
        provisioned.pk: (SERVICE_ID, SERVICE_NAME, NLB_ARN, "active", "Available"),
        waiting.pk: ("", "", "", "", ""),
    }
    Connection = apps.get_model("privatelink", "PrivateLinkConnection")
    kept = {
        c.privatelink_id: (c.endpoint_id, c.owner, c.cloud_state) for c in Connection.objects.all()
    }
    assert kept == {
        provisioned.pk: ("vpce-0aaaabbbbccccdddd", "111122223333", "available"),
        azure.pk: (AZURE_ENDPOINT, "00000000-0000-0000-0000-000000000001", "Approved"),
    }


def test_going_back_puts_the_aws_values_on_the_link_again(old_apps):
    link = _link(
        old_apps,
        "provisioned",
        "aws-eu-west-1",
        aws_service_id=SERVICE_ID,
        aws_service_name=SERVICE_NAME,
        nlb_arn=NLB_ARN,
        nlb_state="active",
        endpoint_service_state="Available",
    )
    _connection(old_apps, link, "vpce-0aaaabbbbccccdddd", "111122223333", "available")
    _migrate(AFTER)

    apps = _migrate(BEFORE)

    back = apps.get_model("privatelink", "PrivateLink").objects.get(pk=link.pk)
    assert (
        back.aws_service_id,
        back.aws_service_name,
        back.nlb_arn,
        back.nlb_state,
        back.endpoint_service_state,
    ) == (SERVICE_ID, SERVICE_NAME, NLB_ARN, "active", "Available")
    row = apps.get_model("privatelink", "PrivateLinkConnection").objects.get(privatelink=back)
    assert (row.vpc_endpoint_id, row.owner_account, row.aws_state) == (
        "vpce-0aaaabbbbccccdddd",
        "111122223333",
        "available",
    )
