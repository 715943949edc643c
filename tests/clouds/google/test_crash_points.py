"""A crash right after every Google call that changes something, in the build of a Project
VPC's network and of a PrivateLink with an approved, addressed connection: the worker dies
after Google answered, before the database is saved. The next reconciles must converge on
exactly the desired resources, nothing duplicated, whichever call the crash followed; and a
crash anywhere in the delete leaves nothing of the link."""

from collections import Counter
from collections.abc import Callable

import pytest

from console.models import Service
from privatelink import google_actions
from privatelink.clouds.google import GoogleGateway
from privatelink.engine import reconcile
from privatelink.models import PrivateLink, PrivateLinkConnection
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
from tests.clouds.google.conftest import CUSTOMER

ENDPOINT_ADDRESS = "10.9.0.5"
CLOUD = "google-europe-west1"


class GoogleFaults(CrashPlan):
    """Counts the Google calls that change something, and crashes once after the k-th."""

    cloud = "Google"

    def gateway(self) -> Callable[[], GoogleGateway]:
        faults = self

        class CrashingGateway(GoogleGateway):
            # Every insert, patch, attach, detach and delete is an operation waited for here.
            def _run(self, operation, start, target):
                answer = super()._run(operation, start, target)
                faults.after(operation)
                return answer

        return CrashingGateway


def _new_service(index: int, developer) -> Service:
    """A Kafka service in a project and Google Project VPC of its own, with Kafka over
    privatelink and a Google PrivateLink."""
    return new_kafka(
        index,
        developer,
        CLOUD,
        lambda service: google_actions.create_google_privatelink(service, actor=developer),
    )


def _build(service: Service, developer, fake_google, gateway) -> None:
    """Network, link, a customer's endpoint approved by the user with its address; a step
    whose worker crashed is carried out by the next reconcile, without faults."""

    step(lambda g: reconcile.reconcile_project_vpc(service.project_vpc_id, g), gateway)
    converged(service, gateway)
    link = PrivateLink.objects.get(service=service)
    fake_google.customer(CUSTOMER).create_endpoint(link.google.service_attachment, "kafka")
    converged(service, gateway)
    row = PrivateLinkConnection.objects.get(privatelink=link)
    google_actions.approve_connection(
        link, row.privatelink_connection_id, ENDPOINT_ADDRESS, actor=developer
    )
    converged(service, gateway)


def fingerprint(fake_google, fake_aws) -> dict[str, object]:
    """What the fakes hold, in terms that do not depend on generated names and ids."""
    resources = fake_google.resources()
    ours = [r for r in resources if r["name"].startswith("pl-")]
    attachments = [r for r in ours if r["kind"] == "compute#serviceAttachment"]
    groups = [r for r in ours if r["kind"] == "compute#networkEndpointGroup"]
    gateway = GoogleGateway()
    return {
        "kinds": Counter(r["kind"] for r in ours),
        "mapped": sorted(
            (m.instance.rsplit("/", 1)[-1], m.port)
            for group in groups
            for m in gateway.mapped_ports(group["name"])
        ),
        "accepted": [
            sorted(a["endpointUrl"] for a in s.get("consumerAcceptLists", [])) for s in attachments
        ],
        "endpoints": sorted(e.status for e in fake_google.customer(CUSTOMER).list_endpoints()),
        "dns_records": address_records(fake_aws),
    }


@pytest.mark.usefixtures("queued")
def test_a_crash_after_any_google_call_of_the_build_converges_to_exactly_the_desired_resources(
    google_settings, fake_google, fake_aws, developer
):
    reference = GoogleFaults()
    service = _new_service(0, developer)
    _build(service, developer, fake_google, reference.gateway())
    desired = fingerprint(fake_google, fake_aws)
    assert desired["endpoints"] == ["ACCEPTED"]
    # The approved endpoint alone, by its own entry.
    [[accepted]] = desired["accepted"]
    assert accepted.endswith(f"/projects/{CUSTOMER}/regions/europe-west1/forwardingRules/kafka")
    assert desired["dns_records"] == [("A", ENDPOINT_ADDRESS)]
    assert len(desired["mapped"]) == 3  # one per broker for the connection
    assert {
        "create_network",
        "create_network_endpoint_group",
        "create_backend_service",
        "create_forwarding_rule",
        "create_service_attachment",
        "attach_network_endpoints",
        "patch_service_attachment",
    } <= set(reference.calls)

    def build_crashing(k: int, faults: GoogleFaults) -> None:
        fake_google.reset()
        fake_aws.reset()
        service = _new_service(k, developer)
        _build(service, developer, fake_google, faults.gateway())
        assert_active(service, k)
        assert fingerprint(fake_google, fake_aws) == desired, f"crash after {faults.crashed_at}"

    crash_after_each_call(reference, build_crashing, "build")


@pytest.mark.usefixtures("queued")
def test_a_crash_after_any_google_call_of_the_delete_leaves_nothing_of_the_link(
    google_settings, fake_google, fake_aws, developer
):
    reference = GoogleFaults()
    service = _new_service(0, developer)
    _build(service, developer, fake_google, None)
    delete(service, reference.gateway())
    nothing = fingerprint(fake_google, fake_aws)
    assert nothing["mapped"] == nothing["accepted"] == nothing["dns_records"] == []
    assert set(nothing["kinds"]) == {"compute#network", "compute#subnetwork"}
    assert nothing["endpoints"] == ["CLOSED"]
    assert {"delete_service_attachment", "delete_network_endpoint_group"} <= set(reference.calls)

    def delete_crashing(k: int, faults: GoogleFaults) -> None:
        fake_google.reset()
        fake_aws.reset()
        service = _new_service(k, developer)
        _build(service, developer, fake_google, None)
        delete(service, faults.gateway())
        assert not PrivateLink.objects.filter(service=service).exists(), f"crash after {k}"
        assert fingerprint(fake_google, fake_aws) == nothing, f"crash after {faults.crashed_at}"

    crash_after_each_call(reference, delete_crashing, "delete")
