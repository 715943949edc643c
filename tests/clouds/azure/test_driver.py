"""The Azure driver under the engine: a Project VPC and a PrivateLink built in the fake Azure
through `reconcile`, with their rows recording what Azure reports, and removed again."""

import pytest

from console.models import AuditEvent, ProjectVPC
from privatelink import azure_actions, sweep
from privatelink.clouds import registry
from privatelink.clouds.azure import AzureGateway
from privatelink.clouds.azure.driver import AzureDriver
from privatelink.clouds.azure.names import (
    load_balancer_name,
    private_link_service_name,
    virtual_network_name,
)
from privatelink.clouds.azure.network import NAT_SUBNET, NODES_SUBNET
from privatelink.clouds.errors import Retryable
from privatelink.engine import reconcile
from privatelink.models import Listener, PrivateLink
from tests.clouds.azure.conftest import CUSTOMER
from tests.factories import ProjectVPCFactory
from tests.privatelink.engine import converge


@pytest.fixture
def azure_link(azure_settings, fake_aws, azure_service, developer, queued):
    """my-kafka-az's Azure PrivateLink allowing CUSTOMER's subscription, not reconciled."""
    return azure_actions.create_azure_privatelink(azure_service, [CUSTOMER], actor=developer).link


def _names(fake_azure, kind: str) -> list[str]:
    return sorted(
        r["name"]
        for r in fake_azure.resources()
        if r["type"].lower() == f"microsoft.network/{kind}".lower()
    )


def test_registry_gives_the_azure_driver_for_an_azure_cloud(azure_settings, azure_service):
    assert isinstance(registry.driver_for_cloud("azure-westeurope"), AzureDriver)


def test_project_vpc_reconcile_builds_its_virtual_network_and_records_both_subnets(
    azure_settings, fake_azure, azure_service
):
    vpc = azure_service.project_vpc

    assert reconcile.reconcile_project_vpc(vpc.pk).error == ""

    vpc.refresh_from_db()
    assert vpc.state == "active"
    assert {s["name"]: s["address_prefix"] for s in vpc.subnets} == {
        NODES_SUBNET: "10.1.0.0/18",
        NAT_SUBNET: "10.1.192.0/18",
    }
    assert _names(fake_azure, "virtualNetworks") == [virtual_network_name(vpc.pk)]
    # Run again: the same network, found by its name and tags.
    reconcile.reconcile_project_vpc(vpc.pk)
    assert _names(fake_azure, "virtualNetworks") == [virtual_network_name(vpc.pk)]


def test_a_deleted_project_vpc_takes_its_virtual_network_with_it(
    azure_settings, fake_azure, project
):
    vpc = ProjectVPCFactory(project=project, cloud="azure-westeurope", cidr="10.2.0.0/16")
    reconcile.reconcile_project_vpc(vpc.pk)
    assert _names(fake_azure, "virtualNetworks") == [virtual_network_name(vpc.pk)]

    ProjectVPC.objects.filter(pk=vpc.pk).update(state=ProjectVPC.State.DELETING)
    assert reconcile.reconcile_project_vpc(vpc.pk).error == ""

    assert not ProjectVPC.objects.filter(pk=vpc.pk).exists()
    assert _names(fake_azure, "virtualNetworks") == []


def test_a_project_vpc_is_built_in_its_clouds_azure_region(azure_settings, fake_azure, project):
    vpc = ProjectVPCFactory(project=project, cloud="azure-eastus", cidr="10.3.0.0/16")

    reconcile.reconcile_project_vpc(vpc.pk)

    networks = [r for r in fake_azure.resources() if r["type"].endswith("/virtualNetworks")]
    assert [n["location"] for n in networks] == ["eastus"]


def test_link_becomes_active_with_its_alias_and_one_rule_per_listener_row(azure_link, fake_azure):
    service = azure_link.service

    assert converge(service).error == ""

    link = PrivateLink.objects.get(pk=azure_link.pk)
    assert link.state == PrivateLink.State.ACTIVE
    assert link.observed_generation == link.generation
    details = link.azure
    assert details.provisioning_state == "Succeeded"
    assert details.service_alias.endswith(".westeurope.azure.privatelinkservice")
    assert details.service_id.endswith(f"/privateLinkServices/{private_link_service_name(link.pk)}")
    assert details.load_balancer_id.endswith(f"/loadBalancers/{load_balancer_name(link.pk)}")
    services = [
        r for r in fake_azure.resources() if r["type"].lower().endswith("privatelinkservices")
    ]
    assert [s["properties"]["visibility"]["subscriptions"] for s in services] == [[CUSTOMER]]
    balancer = next(
        r for r in fake_azure.resources() if r["type"].lower().endswith("/loadbalancers")
    )
    rule_ports = sorted(
        r["properties"]["frontendPort"] for r in balancer["properties"]["loadBalancingRules"]
    )
    rows = Listener.objects.filter(privatelink=link)
    assert rule_ports == sorted(rows.values_list("port", flat=True))


def test_deleting_the_link_leaves_nothing_of_it_in_azure(azure_link, fake_azure, developer):
    service = azure_link.service
    converge(service)

    azure_link.mark_deleting()
    converge(service)

    assert not PrivateLink.objects.filter(pk=azure_link.pk).exists()
    assert _names(fake_azure, "loadBalancers") == []
    assert _names(fake_azure, "privateLinkServices") == []


def test_a_throttled_call_with_a_short_retry_after_is_retried_within_the_run(
    azure_link, fake_azure, settings
):
    settings.AZURE_MAX_RETRIES = 2
    settings.AZURE_MAX_RETRY_WAIT_SECONDS = 5
    fake_azure.throttle(requests=1, retry_after=1)

    assert converge(azure_link.service).error == ""

    azure_link.refresh_from_db()
    assert azure_link.state == PrivateLink.State.ACTIVE
    assert _names(fake_azure, "privateLinkServices") == [private_link_service_name(azure_link.pk)]


def test_a_throttled_call_with_a_long_retry_after_is_left_to_the_next_run(
    azure_link, fake_azure, settings
):
    settings.AZURE_MAX_RETRIES = 2
    settings.AZURE_MAX_RETRY_WAIT_SECONDS = 5
    fake_azure.throttle(requests=1, retry_after=60)

    with pytest.raises(Retryable) as refused:
        reconcile.reconcile_service(azure_link.service.pk)

    assert refused.value.retry_after == 60
    azure_link.refresh_from_db()
    assert "Retrying" in azure_link.last_error
    # The task's retry: the throttling is over, and the run carries the build out.
    assert converge(azure_link.service).error == ""
    azure_link.refresh_from_db()
    assert azure_link.state == PrivateLink.State.ACTIVE
    assert _names(fake_azure, "loadBalancers") == [load_balancer_name(azure_link.pk)]


def test_the_sweep_sees_a_new_endpoint_of_a_settled_azure_link(azure_link, fake_azure, settings):
    settings.PRIVATELINK_DEEP_CHECK_SWEEPS = 1
    service = azure_link.service
    converge(service)
    assert service.pk not in sweep.sweep(turn=1).queued

    link = PrivateLink.objects.get(pk=azure_link.pk)
    fake_azure.customer(CUSTOMER).create_endpoint(link.azure.service_alias)

    assert service.pk in sweep.sweep(turn=1).queued


def test_the_sweep_repairs_visibility_changed_behind_the_consoles_back(
    azure_link, fake_azure, settings
):
    settings.PRIVATELINK_DEEP_CHECK_SWEEPS = 1
    service = azure_link.service
    converge(service)
    AzureGateway().set_visibility(private_link_service_name(azure_link.pk), [])

    assert service.pk in sweep.sweep(turn=1).drifted
    converge(service)

    found = AzureGateway().private_link_service(private_link_service_name(azure_link.pk))
    assert found.visibility == {CUSTOMER}
    assert AuditEvent.objects.filter(action="privatelink.drift_repaired").exists()


def test_the_leak_scan_removes_the_azure_resources_of_a_link_without_a_row(
    azure_link, fake_azure, settings
):
    settings.PRIVATELINK_ORPHAN_GRACE_SECONDS = 0
    converge(azure_link.service)
    PrivateLink.objects.filter(pk=azure_link.pk).delete()

    report = sweep.sweep(turn=0)

    assert report.leak_scan
    assert len(report.removed) == 2
    assert _names(fake_azure, "privateLinkServices") == []
    assert _names(fake_azure, "loadBalancers") == []
    # The Project VPC's network belongs to a row that still exists.
    assert _names(fake_azure, "virtualNetworks") == [
        virtual_network_name(azure_link.service.project_vpc_id)
    ]
