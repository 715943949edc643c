"""No worker thread waits while Azure carries out an operation: a reconcile run that starts
(or finds) a PUT or DELETE still running ends at once and asks to be run again after
AZURE_POLLING_INTERVAL, as a requeue (no Retryable, so none of the task's retries is
spent), and the next run reads the resource and picks up where the last one left off,
sending no PUT or DELETE over an operation still running. With the fake's delays on,
repeated runs build, connect and delete a link as they do without."""

from collections import Counter
from collections.abc import Callable

import pytest

from console.models import AuditEvent, ProjectVPC
from privatelink import actions, azure_actions
from privatelink.clouds.azure import AzureGateway
from privatelink.engine import reconcile
from privatelink.engine.reconcile import Outcome
from privatelink.models import PrivateLink, PrivateLinkConnection
from tests.clouds.azure.conftest import CUSTOMER
from tests.clouds.requeued_runs import ROUNDS, runs

# Seconds each PUT and DELETE runs in the fake Azure.
DELAY = 0.3
ENDPOINT_ADDRESS = "10.1.0.5"


@pytest.fixture
def sent() -> list[str]:
    return []


@pytest.fixture
def gateway_class(sent) -> type[AzureGateway]:
    """The gateway, noting every PUT and DELETE it sends to Azure."""

    class NotingGateway(AzureGateway):
        def _put(self, operation, start, *rest):
            return super()._put(operation, _noted(sent, operation, start), *rest)

        def _delete(self, operation, start, *rest):
            super()._delete(operation, _noted(sent, operation, start), *rest)

    return NotingGateway


def _noted[R](sent: list[str], operation: str, start: Callable[[], R]) -> Callable[[], R]:
    def send() -> R:
        sent.append(operation)
        return start()

    return send


@pytest.fixture
def slow_azure(azure_settings, fake_azure):
    fake_azure.set_delays(provisioning=DELAY, deletion=DELAY)
    return fake_azure


@pytest.fixture
def azure_link(azure_settings, fake_aws, azure_service, developer, queued):
    link = azure_actions.create_azure_privatelink(azure_service, [CUSTOMER], actor=developer).link
    actions.set_component_access(azure_service, {"kafka": True}, actor=developer)
    return link


def _service_runs(link: PrivateLink, gateway_class) -> list[Outcome]:
    return runs(lambda: reconcile.reconcile_service(link.service.pk, gateway_class))


def _ours(fake_azure) -> Counter[str]:
    """The platform's resources by type (customers' endpoints live in their own group)."""
    return Counter(
        r["type"].rsplit("/", 1)[-1]
        for r in fake_azure.resources()
        if "/resourcegroups/privatelink-test/" in r["id"].lower()
    )


def test_a_run_leaves_a_running_operation_to_a_requeued_run(
    azure_link, slow_azure, gateway_class, sent, azure_settings
):
    vpc_id = azure_link.service.project_vpc_id

    first = reconcile.reconcile_project_vpc(vpc_id, gateway_class)

    assert first == Outcome(requeue_after=azure_settings.AZURE_POLLING_INTERVAL)
    assert sent == ["create_virtual_network"]
    [network] = [r for r in slow_azure.resources() if r["type"].endswith("/virtualNetworks")]
    assert network["properties"]["provisioningState"] == "Updating"  # Azure is making it


def test_repeated_runs_build_and_connect_a_link_putting_each_resource_once(
    azure_link, slow_azure, gateway_class, sent, azure_settings, developer
):
    vpc_runs = runs(
        lambda: reconcile.reconcile_project_vpc(azure_link.service.project_vpc_id, gateway_class)
    )
    link_runs = _service_runs(azure_link, gateway_class)

    polling = azure_settings.AZURE_POLLING_INTERVAL
    assert {o.requeue_after for o in vpc_runs[:-1] + link_runs[:-1]} == {polling}
    assert len(link_runs) > 3  # each operation was left running
    link = PrivateLink.objects.get(pk=azure_link.pk)
    assert link.state == PrivateLink.State.ACTIVE
    assert link.last_error == ""  # never "Retrying after a transient cloud error"
    # Said once, by the run that sent the PUT, though Azure made it after that run ended.
    assert AuditEvent.objects.filter(action="privatelink.load_balancer_created").count() == 1
    assert _ours(slow_azure) == {
        "virtualNetworks": 1,
        "subnets": 2,  # the nodes' and the NAT subnet
        "loadBalancers": 1,
        "privateLinkServices": 1,
    }

    slow_azure.customer(CUSTOMER).create_endpoint(link.azure.service_alias)
    _service_runs(link, gateway_class)
    row = PrivateLinkConnection.objects.get(privatelink=link)
    azure_actions.approve_connection(link, row.privatelink_connection_id, actor=developer)
    _service_runs(link, gateway_class)
    azure_actions.set_connection_address(
        link, row.privatelink_connection_id, ENDPOINT_ADDRESS, actor=developer
    )
    _service_runs(link, gateway_class)

    row.refresh_from_db()
    assert row.state == PrivateLinkConnection.State.ACTIVE
    [endpoint] = slow_azure.customer(CUSTOMER).list_endpoints()
    assert endpoint.status == "Approved"
    assert Counter(sent) == {
        "create_virtual_network": 1,
        "create_load_balancer": 1,
        # One rule per broker, once the connection is approved and addressed.
        "change_rules": 1,
        "create_private_link_service": 1,
    }


def test_repeated_runs_delete_a_link_sending_each_delete_once(
    azure_link, slow_azure, gateway_class, sent
):
    _service_runs(azure_link, gateway_class)
    sent.clear()
    azure_link.refresh_from_db()
    azure_link.mark_deleting()

    outcomes = _service_runs(azure_link, gateway_class)

    assert len(outcomes) > 2  # each delete was left running, and looked at again
    assert not PrivateLink.objects.filter(pk=azure_link.pk).exists()
    assert sent == ["delete_private_link_service", "delete_load_balancer"]
    assert _ours(slow_azure) == {"virtualNetworks": 1, "subnets": 2}


def test_a_link_deleted_while_azure_makes_its_service_leaves_nothing(
    azure_link, slow_azure, gateway_class, sent
):
    runs(lambda: reconcile.reconcile_project_vpc(azure_link.service.project_vpc_id))
    for _ in range(ROUNDS):
        reconcile.reconcile_service(azure_link.service.pk, gateway_class)
        if sent[-1:] == ["create_private_link_service"]:
            break
    azure_link.refresh_from_db()
    azure_link.mark_deleting()

    _service_runs(azure_link, gateway_class)

    assert not PrivateLink.objects.filter(pk=azure_link.pk).exists()
    assert _ours(slow_azure) == {"virtualNetworks": 1, "subnets": 2}


def test_a_project_vpc_deleted_while_azure_makes_its_network_leaves_nothing(
    azure_settings, azure_service, slow_azure, gateway_class, sent
):
    vpc = azure_service.project_vpc
    azure_service.delete()
    reconcile.reconcile_project_vpc(vpc.pk, gateway_class)
    ProjectVPC.objects.filter(pk=vpc.pk).update(state=ProjectVPC.State.DELETING)

    outcomes = runs(lambda: reconcile.reconcile_project_vpc(vpc.pk, gateway_class))

    assert len(outcomes) > 2  # the network's creation, then its delete, were left running
    assert not ProjectVPC.objects.filter(pk=vpc.pk).exists()
    assert _ours(slow_azure) == {}
    assert sent == ["create_virtual_network", "delete_virtual_network"]
