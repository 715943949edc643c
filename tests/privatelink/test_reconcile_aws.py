"""The reconciler against the fake AWS: create, connect, enable components, update, delete."""

import pytest

from console.models import AuditEvent
from privatelink import actions
from privatelink.api.components import privatelink_components
from privatelink.clouds.aws.gateway import Gateway, Retryable
from privatelink.engine import reconcile
from privatelink.models import Listener, PrivateLink, PrivateLinkConnection
from privatelink.routes import privatelink_routes
from tests.constants import CUSTOMER_ACCOUNT, CUSTOMER_ROLE, OTHER_ACCOUNT_ROLE
from tests.privatelink.aws_state import aws_inventory
from tests.privatelink.engine import converge


def test_create_goes_from_creating_to_active_with_the_aws_service_id_and_name(
    fake_aws, privatelink, service
):
    assert privatelink.state == PrivateLink.State.CREATING
    converge(service)
    privatelink.refresh_from_db()
    assert privatelink.state == PrivateLink.State.ACTIVE
    assert privatelink.aws.service_id.startswith("vpce-svc-")
    assert (
        privatelink.aws.service_name == f"com.amazonaws.vpce.eu-west-1.{privatelink.aws.service_id}"
    )
    assert privatelink.observed_generation == privatelink.generation
    # The activity log names the endpoint service as the platform's API does.
    active = AuditEvent.objects.get(action="privatelink.active", service=service)
    assert active.after == {"aws_service_id": privatelink.aws.service_id}
    ec2 = fake_aws.client("ec2")
    assert (
        ec2.describe_vpc_endpoint_service_permissions(ServiceId=privatelink.aws.service_id)[
            "AllowedPrincipals"
        ][0]["Principal"]
        == CUSTOMER_ROLE
    )
    inventory = aws_inventory(fake_aws)
    assert len(inventory["load_balancers"]) == 1
    assert len(inventory["endpoint_services"]) == 1


def test_a_customer_endpoint_becomes_an_active_connection_with_its_dns_record(
    fake_aws, privatelink, service
):
    converge(service)
    privatelink.refresh_from_db()
    endpoint = fake_aws.customer(CUSTOMER_ACCOUNT, CUSTOMER_ROLE).create_endpoint(
        privatelink.aws.service_name
    )
    converge(service)
    connection = PrivateLinkConnection.objects.get()
    assert connection.endpoint_id == endpoint.id
    assert connection.state == PrivateLinkConnection.State.ACTIVE
    assert connection.privatelink_connection_id.startswith("plc")
    assert connection.number == 1
    records = aws_inventory(fake_aws)["dns_records"]
    assert records == {"privatelink-1-my-kafka-demo.example.test": connection.dns_name}


def test_enabling_kafka_on_three_brokers_gives_three_healthy_listeners(
    fake_aws, privatelink, service, developer
):
    converge(service)
    privatelink.refresh_from_db()
    fake_aws.customer(CUSTOMER_ACCOUNT, CUSTOMER_ROLE).create_endpoint(privatelink.aws.service_name)
    converge(service)
    actions.set_component_access(service, {"kafka": True}, actor=developer)
    converge(service)
    listeners = Listener.objects.filter(component="kafka")
    assert listeners.count() == 3
    assert {listener.health for listener in listeners} == {Listener.Health.HEALTHY}
    assert sorted(listener.port for listener in listeners) == [10000, 10001, 10002]
    aws_ports = sorted(listener["Port"] for listener in aws_inventory(fake_aws)["listeners"])
    assert aws_ports == [10000, 10001, 10002]


def test_a_principal_update_leaves_aws_permissions_equal_to_the_new_set(
    fake_aws, privatelink, service, developer
):
    converge(service)
    actions.replace_principals(privatelink, [OTHER_ACCOUNT_ROLE, "*"], actor=developer)
    converge(service)
    privatelink.refresh_from_db()
    allowed = fake_aws.client("ec2").describe_vpc_endpoint_service_permissions(
        ServiceId=privatelink.aws.service_id
    )["AllowedPrincipals"]
    assert {p["Principal"] for p in allowed} == {OTHER_ACCOUNT_ROLE, "*"}


def test_delete_with_an_active_connection_leaves_nothing_of_ours(
    fake_aws, privatelink, service, developer
):
    converge(service)
    privatelink.refresh_from_db()
    fake_aws.customer(CUSTOMER_ACCOUNT, CUSTOMER_ROLE).create_endpoint(privatelink.aws.service_name)
    actions.set_component_access(service, {"kafka": True, "schema_registry": True}, actor=developer)
    converge(service)
    assert PrivateLinkConnection.objects.get().state == PrivateLinkConnection.State.ACTIVE

    actions.delete_privatelink(privatelink, actor=developer)
    converge(service)

    assert not PrivateLink.objects.exists()
    deleted = AuditEvent.objects.get(action="privatelink.deleted", service=service)
    assert deleted.after == {"aws_service_id": privatelink.aws.service_id}
    assert aws_inventory(fake_aws) == {
        "load_balancers": [],
        "target_groups": [],
        "listeners": [],
        "endpoint_services": [],
        "dns_records": {},
    }


def test_teardowns_first_run_leaves_no_route_and_no_connection_to_list(
    fake_aws, kafka_over_privatelink, service, developer
):
    privatelink = kafka_over_privatelink
    assert [route.host for route in privatelink_routes(service)] == [
        "privatelink-1-my-kafka-demo.example.test"
    ]

    actions.delete_privatelink(privatelink, actor=developer)
    assert privatelink_routes(service) == []

    class Throttled(Gateway):
        """AWS throttles the endpoint service's deletion: the run stops after its first
        steps (connections rejected, DNS records deleted)."""

        def delete_endpoint_service(self, service_id: str) -> None:
            raise Retryable("RequestLimitExceeded", "Request limit exceeded.")

    with pytest.raises(Retryable):
        reconcile.reconcile_service(service.pk, Throttled)

    assert PrivateLink.objects.filter(pk=privatelink.pk).exists()
    assert aws_inventory(fake_aws)["dns_records"] == {}
    assert privatelink_routes(service) == []
    assert privatelink_components(service) == []
    connection = PrivateLinkConnection.objects.get()
    assert connection.state == PrivateLinkConnection.State.REJECTED
    assert connection.rejection_reason == "The PrivateLink is being deleted."
