"""The PrivateLink documentation run with `avn`, with the reconciler carrying each change
out in the fake AWS: what avn prints and what AWS holds afterwards."""

import pytest

from privatelink.models import PrivateLink, PrivateLinkConnection
from tests.constants import EXAMPLE_ACCOUNT, EXAMPLE_USER
from tests.privatelink.engine import converge

pytestmark = pytest.mark.django_db(transaction=True)

OPS = f"arn:aws:iam::{EXAMPLE_ACCOUNT}:role/ops"
PROJECT = ("--project", "demo")


def allowed_principals(fake_aws, link: PrivateLink) -> set[str]:
    answer = fake_aws.client("ec2").describe_vpc_endpoint_service_permissions(
        ServiceId=link.aws.service_id
    )
    return {p["Principal"] for p in answer["AllowedPrincipals"]}


def test_documented_commands_change_aws_accordingly(avn, fake_aws, queued, service, developer):
    created = avn("service", "privatelink", "aws", "create", "my-kafka", *PROJECT,
                  "--principal", EXAMPLE_USER, "--json")  # fmt: skip
    assert created.json()[0]["state"] == "creating"
    assert queued == [("service", service.pk)]
    converge(service)
    link = PrivateLink.objects.get(service=service)
    got = avn("service", "privatelink", "aws", "get", "my-kafka", *PROJECT, "--json").json()[0]
    assert got == {
        "aws_service_id": link.aws.service_id,
        "aws_service_name": f"com.amazonaws.vpce.eu-west-1.{link.aws.service_id}",
        "principals": [EXAMPLE_USER],
        "state": "active",
    }
    assert allowed_principals(fake_aws, link) == {EXAMPLE_USER}

    avn("service", "privatelink", "aws", "update", "my-kafka", *PROJECT,
        "--principal", EXAMPLE_USER, "--principal", OPS)  # fmt: skip
    converge(service)
    assert allowed_principals(fake_aws, link) == {EXAMPLE_USER, OPS}

    endpoint = fake_aws.customer(EXAMPLE_ACCOUNT, EXAMPLE_USER).create_endpoint(
        got["aws_service_name"]
    )
    queued.clear()
    refreshed = avn("service", "privatelink", "aws", "refresh", "my-kafka", *PROJECT)
    assert (refreshed.returncode, queued) == (0, [("service", service.pk)])
    converge(service)
    connections = avn("service", "privatelink", "aws", "connection", "list", "my-kafka",
                      *PROJECT, "--json").json()  # fmt: skip
    connection = PrivateLinkConnection.objects.get(privatelink=link)
    assert connections == [
        {
            "dns_name": connection.dns_name,
            "privatelink_connection_id": connection.privatelink_connection_id,
            "state": "active",
            "vpc_endpoint_id": endpoint.id,
        }
    ]

    enabled = avn("service", "update", "-c", "privatelink_access.kafka=true", "my-kafka", *PROJECT)
    assert enabled.returncode == 0, enabled.stderr
    converge(service)
    aws_ports = sorted(
        listener["Port"]
        for balancer in fake_aws.client("elbv2").describe_load_balancers()["LoadBalancers"]
        for listener in fake_aws.client("elbv2").describe_listeners(
            LoadBalancerArn=balancer["LoadBalancerArn"]
        )["Listeners"]
    )
    assert len(aws_ports) == 3  # one per broker for the one connection
    kcat = avn("service", "connection-info", "kcat", "my-kafka", *PROJECT,
               "-p", connection.privatelink_connection_id)  # fmt: skip
    assert f"privatelink-1-my-kafka-demo.example.test:{aws_ports[0]}" in kcat.stdout

    deleted = avn("service", "privatelink", "aws", "delete", "my-kafka", *PROJECT, "--json")
    assert deleted.json()[0]["state"] == "deleting"
    converge(service)
    assert not PrivateLink.objects.filter(service=service).exists()
    ec2 = fake_aws.client("ec2")
    assert ec2.describe_vpc_endpoint_service_configurations()["ServiceConfigurations"] == []
    assert fake_aws.client("elbv2").describe_load_balancers()["LoadBalancers"] == []
    gone = avn("service", "privatelink", "aws", "get", "my-kafka", *PROJECT)
    assert "has no AWS PrivateLink" in gone.stderr
