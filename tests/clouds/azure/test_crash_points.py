"""A crash right after every Azure call that changes something, in the build of a Project
VPC's network and of a PrivateLink with an approved, addressed connection: the worker dies
after Azure answered, before the database is saved. The next reconciles must converge on
exactly the desired resources, nothing duplicated, whichever call the crash followed."""

from collections import Counter
from collections.abc import Callable

import pytest

from console import catalog
from console.models import Service
from privatelink import azure_actions
from privatelink.clouds.azure import AzureGateway
from privatelink.clouds.errors import InProgress
from privatelink.engine import reconcile
from privatelink.models import PrivateLink, PrivateLinkConnection
from tests.clouds.azure.conftest import CUSTOMER
from tests.clouds.crash_points import (
    CrashPlan,
    address_records,
    assert_active,
    converged,
    crash_after_each_call,
    delete,
    new_kafka,
    step,
)

ENDPOINT_ADDRESS = "10.1.0.5"


class AzureFaults(CrashPlan):
    """Counts the Azure calls that change something, and crashes once after the k-th."""

    cloud = "Azure"

    def gateway(self) -> Callable[[], AzureGateway]:
        faults = self

        class CrashingGateway(AzureGateway):
            # A PUT or DELETE ends the run with InProgress while Azure carries it out: the
            # worker may die then too, after Azure took the request.
            def _put(self, operation, start, read):
                try:
                    answer = super()._put(operation, start, read)
                except InProgress:
                    faults.after(operation)
                    raise
                faults.after(operation)
                return answer

            def _delete(self, operation, start, read):
                try:
                    super()._delete(operation, start, read)
                except InProgress:
                    faults.after(operation)
                    raise
                faults.after(operation)

            def _call(self, operation, work):
                answer = super()._call(operation, work)
                # Approvals and rejections are plain requests, not long-running operations.
                if operation.startswith("set_connection_"):
                    faults.after(operation)
                return answer

        return CrashingGateway


def _new_service(index: int, developer) -> Service:
    """A Kafka service in a project and Azure Project VPC of its own, with Kafka over
    privatelink and an Azure PrivateLink allowing CUSTOMER."""
    return new_kafka(
        index,
        developer,
        "azure-westeurope",
        lambda service: azure_actions.create_azure_privatelink(
            service, [CUSTOMER], actor=developer
        ),
    )


def _build(service: Service, developer, fake_azure, gateway) -> None:
    """Network, link, a customer's endpoint approved by the user and given its address; a
    step whose worker crashed is carried out by the next reconcile, without faults."""

    step(lambda g: reconcile.reconcile_project_vpc(service.project_vpc_id, g), gateway)
    converged(service, gateway)
    link = PrivateLink.objects.get(service=service)
    fake_azure.customer(CUSTOMER).create_endpoint(link.azure.service_alias)
    converged(service, gateway)
    row = PrivateLinkConnection.objects.get(privatelink=link)
    azure_actions.approve_connection(link, row.privatelink_connection_id, actor=developer)
    converged(service, gateway)
    azure_actions.set_connection_address(
        link, row.privatelink_connection_id, ENDPOINT_ADDRESS, actor=developer
    )
    converged(service, gateway)


def fingerprint(fake_azure, fake_aws) -> dict[str, object]:
    """What the fakes hold, in terms that do not depend on generated names and ids."""
    resources = fake_azure.resources()
    balancers = [r for r in resources if r["type"] == "Microsoft.Network/loadBalancers"]
    services = [r for r in resources if r["type"] == "Microsoft.Network/privateLinkServices"]
    return {
        "types": Counter(r["type"] for r in resources),
        "rule_ports": sorted(
            rule["properties"]["frontendPort"]
            for lb in balancers
            for rule in lb["properties"].get("loadBalancingRules") or []
        ),
        "visibility": [s["properties"]["visibility"]["subscriptions"] for s in services],
        "connections": sorted(
            r["properties"]["privateLinkServiceConnectionState"]["status"]
            for r in resources
            if r["type"].endswith("/privateEndpointConnections")
        ),
        "dns_records": address_records(fake_aws),
    }


@pytest.mark.usefixtures("queued")
def test_a_crash_after_any_azure_call_of_the_build_converges_to_exactly_the_desired_resources(
    azure_settings, fake_azure, fake_aws, azure_service, developer, settings
):
    assert catalog.get_cloud("azure-westeurope").provider == "azure"
    reference = AzureFaults()
    service = _new_service(0, developer)
    _build(service, developer, fake_azure, reference.gateway())
    desired = fingerprint(fake_azure, fake_aws)
    assert desired["connections"] == ["Approved"]
    assert desired["dns_records"] == [("A", ENDPOINT_ADDRESS)]
    assert len(desired["rule_ports"]) == 3  # one per broker for the connection
    assert {"create_virtual_network", "create_load_balancer", "change_rules"} <= set(
        reference.calls
    )
    assert {"create_private_link_service", "set_connection_approved"} <= set(reference.calls)

    def build_crashing(k: int, faults: AzureFaults) -> None:
        fake_azure.reset()
        fake_aws.reset()
        service = _new_service(k, developer)
        _build(service, developer, fake_azure, faults.gateway())
        assert_active(service, k)
        assert fingerprint(fake_azure, fake_aws) == desired, f"crash after {faults.crashed_at}"

    crash_after_each_call(reference, build_crashing, "build")


@pytest.mark.usefixtures("queued")
def test_a_crash_after_any_azure_call_of_the_delete_leaves_nothing_of_the_link(
    azure_settings, fake_azure, fake_aws, azure_service, developer
):
    reference = AzureFaults()
    service = _new_service(0, developer)
    _build(service, developer, fake_azure, None)
    delete(service, reference.gateway())
    nothing = fingerprint(fake_azure, fake_aws)
    assert nothing["rule_ports"] == nothing["visibility"] == nothing["dns_records"] == []
    assert "Microsoft.Network/loadBalancers" not in nothing["types"]
    assert {"delete_private_link_service", "delete_load_balancer"} <= set(reference.calls)

    def delete_crashing(k: int, faults: AzureFaults) -> None:
        fake_azure.reset()
        fake_aws.reset()
        service = _new_service(k, developer)
        _build(service, developer, fake_azure, None)
        delete(service, faults.gateway())
        assert not PrivateLink.objects.filter(service=service).exists(), f"crash after {k}"
        assert fingerprint(fake_azure, fake_aws) == nothing, f"crash after {faults.crashed_at}"

    crash_after_each_call(reference, delete_crashing, "delete")
