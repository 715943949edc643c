"""Compute's protocol as the fake answers it: operations, errors, credentials, paging."""

import time

import pytest
from google.api_core import exceptions
from google.cloud import compute_v1
from google.oauth2.credentials import Credentials

from fakegoogle.pytest_plugin import PLATFORM_PROJECT
from fakegoogle.sdk import Compute
from tests.fakegoogle.conftest import REGION, scope


def insert_network(compute, name="net"):
    return compute.networks.insert(
        project=PLATFORM_PROJECT,
        network_resource=compute_v1.Network(name=name, auto_create_subnetworks=False),
    )


def test_insert_without_delay_answers_a_done_operation(compute):
    operation = insert_network(compute)

    assert operation.status == compute_v1.Operation.Status.DONE
    assert operation.done()
    assert operation.target_link.endswith(scope("networks", "net"))
    assert compute.networks.get(project=PLATFORM_PROJECT, network="net").name == "net"


def test_running_insert_is_not_found_until_its_operation_is_done(compute, fake_google):
    fake_google.set_delays(provisioning=0.4)

    operation = insert_network(compute)

    assert operation.status == compute_v1.Operation.Status.RUNNING
    with pytest.raises(exceptions.NotFound):
        compute.networks.get(project=PLATFORM_PROJECT, network="net")
    done = compute.wait(operation, PLATFORM_PROJECT)
    assert done.status == compute_v1.Operation.Status.DONE
    assert compute.networks.get(project=PLATFORM_PROJECT, network="net").name == "net"


def test_region_operation_get_reports_running_then_done(producer, fake_google):
    fake_google.set_delays(provisioning=0.3)
    compute = producer.compute
    operation = compute.subnetworks.insert(
        project=PLATFORM_PROJECT,
        region=REGION,
        subnetwork_resource=compute_v1.Subnetwork(
            name="more", network=scope("networks", "net"), ip_cidr_range="10.9.0.0/24"
        ),
    )

    first = compute.region_operations.get(
        project=PLATFORM_PROJECT, region=REGION, operation=operation.name
    )
    time.sleep(0.35)
    later = compute.region_operations.get(
        project=PLATFORM_PROJECT, region=REGION, operation=operation.name
    )

    assert first.status == compute_v1.Operation.Status.RUNNING
    assert later.status == compute_v1.Operation.Status.DONE
    assert later.region.endswith(f"regions/{REGION}")


def test_wait_answers_a_running_operation_after_at_most_two_seconds(compute, fake_google):
    fake_google.set_delays(provisioning=30)
    operation = insert_network(compute)

    started = time.monotonic()
    answer = compute.global_operations.wait(project=PLATFORM_PROJECT, operation=operation.name)

    assert answer.status == compute_v1.Operation.Status.RUNNING
    assert 1.5 <= time.monotonic() - started < 5


def test_sdk_polls_a_running_operation_through_a_client_without_the_endpoint(compute, fake_google):
    """ExtendedOperation refreshes through a RegionOperationsClient that the SDK builds
    with the default endpoint: left to itself, it would poll Google, not the fake. So the
    console waits with its own operations client."""
    fake_google.set_delays(provisioning=5)
    operation = insert_network(compute)

    assert operation._extended_operation.status != compute_v1.Operation.Status.DONE
    own_client = compute.networks._transport._global_operations_client
    assert own_client._transport._host == "https://compute.googleapis.com"
    assert compute.global_operations._transport._host == fake_google.endpoint_url
    # The refresh the SDK would make is bound to that client (not called: no traffic
    # leaves this machine).
    assert operation._refresh.func.__self__ is own_client


def test_errors_have_googles_json_shape_and_reason(compute):
    with pytest.raises(exceptions.NotFound) as caught:
        compute.networks.get(project=PLATFORM_PROJECT, network="nope")

    assert caught.value.code == 404
    assert caught.value.errors == [
        {
            "message": f"The resource '{scope('networks', 'nope')}' was not found",
            "domain": "global",
            "reason": "notFound",
        }
    ]


def test_second_insert_of_a_name_is_409_already_exists(compute):
    insert_network(compute)

    with pytest.raises(exceptions.Conflict) as caught:
        insert_network(compute)

    assert caught.value.errors[0]["reason"] == "alreadyExists"


def test_invalid_body_is_400_invalid(compute):
    with pytest.raises(exceptions.BadRequest) as caught:
        insert_network(compute, name="Not_A_Name")

    assert caught.value.errors[0]["reason"] == "invalid"


def test_throttled_request_is_429_rate_limit_exceeded_with_retry_after(compute, fake_google):
    fake_google.throttle(1, retry_after=3)

    with pytest.raises(exceptions.TooManyRequests) as caught:
        compute.networks.list(project=PLATFORM_PROJECT)

    assert caught.value.errors[0]["reason"] == "rateLimitExceeded"
    assert caught.value.response.headers["Retry-After"] == "3"
    assert list(compute.networks.list(project=PLATFORM_PROJECT)) == []


def test_injected_failure_answers_that_error_once(compute, fake_google):
    fake_google.fail(1, 503, "backendError", path="/global/networks")

    with pytest.raises(exceptions.ServiceUnavailable):
        insert_network(compute)

    assert insert_network(compute).done()


def test_static_token_credentials_work_as_anonymous_ones_do(fake_google):
    compute = Compute(fake_google.endpoint_url, Credentials(token="any-token"))

    insert_network(compute)

    assert [n.name for n in compute.networks.list(project=PLATFORM_PROJECT)] == ["net"]


def test_listing_pages_through_max_results(compute):
    for index in range(3):
        insert_network(compute, f"net{index}")

    pager = compute.networks.list(
        request=compute_v1.ListNetworksRequest(project=PLATFORM_PROJECT, max_results=2)
    )

    assert [n.name for n in pager] == ["net0", "net1", "net2"]


def test_aggregated_list_groups_by_region(producer):
    pages = producer.compute.forwarding_rules.aggregated_list(project=PLATFORM_PROJECT)

    found = {key: [r.name for r in scoped.forwarding_rules] for key, scoped in pages}

    assert found == {f"regions/{REGION}": ["rule"]}


def test_network_with_subnets_is_not_deleted(producer):
    with pytest.raises(exceptions.BadRequest) as caught:
        producer.compute.networks.delete(project=PLATFORM_PROJECT, network="net")

    assert caught.value.errors[0]["reason"] == "resourceInUseByAnotherResource"


def test_overlapping_subnet_is_refused(producer):
    with pytest.raises(exceptions.BadRequest) as caught:
        producer.subnet("again", "10.0.0.128/25", purpose="PRIVATE")

    assert "conflicts with existing subnetwork 'nodes'" in caught.value.message


def test_state_lists_everything_left_and_reset_empties_it(producer, fake_google):
    producer.attachment()

    kinds = sorted(r["kind"] for r in fake_google.resources())
    fake_google.reset()

    assert kinds == [
        "compute#backendService",
        "compute#forwardingRule",
        "compute#healthCheck",
        "compute#network",
        "compute#serviceAttachment",
        "compute#subnetwork",
        "compute#subnetwork",
    ]
    assert fake_google.resources() == []


def test_deletion_lingers_until_its_operation_is_done(producer, fake_google):
    producer.attachment()
    fake_google.set_delays(deletion=0.3)
    compute = producer.compute

    operation = compute.service_attachments.delete(
        project=PLATFORM_PROJECT, region=REGION, service_attachment="sa"
    )

    assert producer.get().name == "sa"
    with pytest.raises(exceptions.BadRequest) as caught:
        compute.service_attachments.delete(
            project=PLATFORM_PROJECT, region=REGION, service_attachment="sa"
        )
    assert caught.value.errors[0]["reason"] == "resourceNotReady"
    compute.wait(operation, PLATFORM_PROJECT)
    with pytest.raises(exceptions.NotFound):
        producer.get()


def test_requests_of_the_compute_api_are_counted_reads_and_writes_apart(compute, fake_google):
    counted = fake_google.requests()

    insert_network(compute)
    after_insert = fake_google.requests()
    compute.networks.get(project=PLATFORM_PROJECT, network="net")
    after_get = fake_google.requests()
    fake_google.reset()

    assert after_insert == {"reads": counted["reads"], "writes": counted["writes"] + 1}
    assert after_get == {"reads": counted["reads"] + 1, "writes": counted["writes"] + 1}
    assert fake_google.requests() == {"reads": 0, "writes": 0}
