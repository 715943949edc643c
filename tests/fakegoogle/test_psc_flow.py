"""Service attachments and consumer endpoints, through the real SDK."""

import pytest
from google.api_core import exceptions
from google.cloud import compute_v1

from fakegoogle.pytest_plugin import PLATFORM_PROJECT
from tests.fakegoogle.conftest import CUSTOMER, REGION, STRANGER, scope


def accept(*projects, limit=0):
    return [
        compute_v1.ServiceAttachmentConsumerProjectLimit(
            project_id_or_num=p, connection_limit=limit
        )
        for p in projects
    ]


def test_attachment_reads_back_with_its_lists_fingerprint_and_no_endpoints(producer):
    attachment = producer.attachment(consumer_accept_lists=accept(CUSTOMER))

    assert attachment.connection_preference == "ACCEPT_MANUAL"
    assert [a.project_id_or_num for a in attachment.consumer_accept_lists] == [CUSTOMER]
    assert attachment.nat_subnets[0].endswith(scope("subnetworks", "nat"))
    assert attachment.target_service.endswith(scope("forwardingRules", "rule"))
    assert attachment.fingerprint
    assert attachment.psc_service_attachment_id.low
    assert list(attachment.connected_endpoints) == []


def test_endpoint_of_an_unlisted_project_waits_pending_with_a_connection_id(producer, fake_google):
    producer.attachment()

    endpoint = fake_google.customer(CUSTOMER).create_endpoint(scope("serviceAttachments", "sa"))

    assert endpoint.status == "PENDING"
    assert int(endpoint.psc_connection_id) > 0
    assert endpoint.ip_address.startswith("10.1.0.")
    [connected] = producer.get().connected_endpoints
    assert connected.status == "PENDING"
    assert connected.psc_connection_id == int(endpoint.psc_connection_id)
    assert connected.endpoint.endswith(
        f"projects/{CUSTOMER}/regions/{REGION}/forwardingRules/{endpoint.name}"
    )


def test_accept_list_change_shows_on_a_later_read_and_takes_a_nat_address(producer, fake_google):
    producer.attachment()
    endpoint = fake_google.customer(CUSTOMER).create_endpoint(
        scope("serviceAttachments", "sa"), "kafka"
    )
    fake_google.set_delays(provisioning=0.5)

    operation = producer.compute.service_attachments.patch(
        project=PLATFORM_PROJECT,
        region=REGION,
        service_attachment="sa",
        service_attachment_resource=compute_v1.ServiceAttachment(
            fingerprint=producer.get().fingerprint, consumer_accept_lists=accept(CUSTOMER)
        ),
    )
    assert producer.statuses() == {"kafka": "PENDING"}  # the patch is still running
    producer.compute.wait(operation, PLATFORM_PROJECT)

    [connected] = producer.get().connected_endpoints
    assert connected.status == "ACCEPTED"
    assert list(connected.nat_ips) == ["172.24.0.2"]
    customer = fake_google.customer(CUSTOMER)
    assert customer.endpoint(REGION, endpoint.name).status == "ACCEPTED"


def test_patch_with_a_stale_fingerprint_is_refused_412_condition_not_met(producer):
    stale = producer.attachment().fingerprint
    producer.patch(consumer_accept_lists=accept(CUSTOMER))

    with pytest.raises(exceptions.PreconditionFailed) as caught:
        producer.patch(fingerprint=stale, consumer_accept_lists=accept(STRANGER))

    assert caught.value.errors[0]["reason"] == "conditionNotMet"
    assert [a.project_id_or_num for a in producer.get().consumer_accept_lists] == [CUSTOMER]


def test_reject_list_rejects_and_moving_a_project_to_it_rejects_accepted_endpoints(
    producer, fake_google
):
    producer.attachment(consumer_accept_lists=accept(CUSTOMER), consumer_reject_lists=[STRANGER])
    fake_google.customer(CUSTOMER).create_endpoint(scope("serviceAttachments", "sa"), "mine")
    fake_google.customer(STRANGER).create_endpoint(scope("serviceAttachments", "sa"), "theirs")
    assert producer.statuses() == {"mine": "ACCEPTED", "theirs": "REJECTED"}

    producer.patch(consumer_reject_lists=[CUSTOMER, STRANGER])

    assert producer.statuses() == {"mine": "REJECTED", "theirs": "REJECTED"}
    assert all(not e.nat_ips for e in producer.get().connected_endpoints)


def test_sdk_cannot_clear_a_list_an_empty_list_leaves_it_as_it_was(producer):
    # proto3 JSON leaves empty repeated fields out of the body, and a PATCH leaves out what
    # it does not name: a list is changed, never emptied, through the SDK.
    producer.attachment(consumer_accept_lists=accept(CUSTOMER))

    producer.patch(consumer_accept_lists=[])

    assert [a.project_id_or_num for a in producer.get().consumer_accept_lists] == [CUSTOMER]


def test_accepted_endpoint_stays_when_its_project_leaves_the_list_unless_reconciling(
    producer, fake_google
):
    producer.attachment(consumer_accept_lists=accept(CUSTOMER))
    fake_google.customer(CUSTOMER).create_endpoint(scope("serviceAttachments", "sa"), "mine")

    producer.patch(consumer_accept_lists=accept(STRANGER))
    assert producer.statuses() == {"mine": "ACCEPTED"}

    producer.patch(reconcile_connections=True)
    assert producer.statuses() == {"mine": "PENDING"}


def test_connection_limit_leaves_endpoints_past_it_pending(producer, fake_google):
    producer.attachment(consumer_accept_lists=accept(CUSTOMER, limit=1))
    customer = fake_google.customer(CUSTOMER)
    customer.create_endpoint(scope("serviceAttachments", "sa"), "first")
    customer.create_endpoint(scope("serviceAttachments", "sa"), "second")

    assert producer.statuses() == {"first": "ACCEPTED", "second": "PENDING"}


def test_nat_subnet_size_bounds_the_accepted_endpoints(producer, fake_google):
    producer.attachment(consumer_accept_lists=accept(CUSTOMER))
    customer = fake_google.customer(CUSTOMER)
    for index in range(5):
        customer.create_endpoint(scope("serviceAttachments", "sa"), f"e{index}")

    # A /29 holds 8 addresses and Google keeps 4 of them.
    assert list(producer.statuses().values()).count("ACCEPTED") == 4
    assert producer.statuses()["e4"] == "PENDING"

    customer.delete_endpoint(REGION, "e0")
    producer.patch(consumer_accept_lists=accept(CUSTOMER))
    assert producer.statuses()["e4"] == "ACCEPTED"


def test_one_nat_subnet_cannot_serve_two_service_attachments(producer):
    producer.attachment("first")

    with pytest.raises(exceptions.BadRequest) as caught:
        producer.attachment("second")

    assert caught.value.errors[0]["reason"] == "resourceInUseByAnotherResource"


def test_nat_subnet_must_have_the_psc_purpose(producer):
    with pytest.raises(exceptions.BadRequest) as caught:
        producer.attachment(nat_subnets=("nodes",))

    assert "PRIVATE_SERVICE_CONNECT" in caught.value.message


def test_deleted_endpoint_is_listed_closed_until_the_next_patch(producer, fake_google):
    producer.attachment(consumer_accept_lists=accept(CUSTOMER))
    customer = fake_google.customer(CUSTOMER)
    customer.create_endpoint(scope("serviceAttachments", "sa"), "mine")

    customer.delete_endpoint(REGION, "mine")
    assert producer.statuses() == {"mine": "CLOSED"}

    producer.patch(description="after")
    assert producer.statuses() == {}


def test_deleting_the_attachment_closes_its_endpoints(producer, fake_google):
    producer.attachment(consumer_accept_lists=accept(CUSTOMER))
    customer = fake_google.customer(CUSTOMER)
    customer.create_endpoint(scope("serviceAttachments", "sa"), "mine")

    producer.compute.wait(
        producer.compute.service_attachments.delete(
            project=PLATFORM_PROJECT, region=REGION, service_attachment="sa"
        ),
        PLATFORM_PROJECT,
    )

    assert customer.endpoint(REGION, "mine").status == "CLOSED"


def test_rule_in_use_by_an_attachment_is_not_deleted(producer):
    producer.attachment()

    with pytest.raises(exceptions.BadRequest) as caught:
        producer.compute.forwarding_rules.delete(
            project=PLATFORM_PROJECT, region=REGION, forwarding_rule="rule"
        )

    assert caught.value.errors[0]["reason"] == "resourceInUseByAnotherResource"


def test_endpoint_to_a_missing_attachment_is_404(producer, fake_google):
    with pytest.raises(exceptions.NotFound):
        fake_google.customer(CUSTOMER).create_endpoint(scope("serviceAttachments", "nope"))


def test_attachment_quota_is_refused_403_quota_exceeded(producer, fake_google):
    fake_google.set_quotas(service_attachments=0)

    with pytest.raises(exceptions.Forbidden) as caught:
        producer.attachment()

    assert caught.value.errors[0]["reason"] == "quotaExceeded"
    assert caught.value.message.endswith(
        "Quota 'SERVICE_ATTACHMENTS' exceeded.  Limit: 0.0 in region europe-west1."
    )


def endpoint_url(name: str, project: str = CUSTOMER) -> str:
    return f"https://www.googleapis.com/compute/v1/projects/{project}/regions/{REGION}/forwardingRules/{name}"


def accept_endpoints(
    *names: str, limit: int = 1
) -> list[compute_v1.ServiceAttachmentConsumerProjectLimit]:
    return [
        compute_v1.ServiceAttachmentConsumerProjectLimit(
            endpoint_url=endpoint_url(n), connection_limit=limit
        )
        for n in names
    ]


def test_an_endpoint_entry_accepts_that_endpoint_and_no_other_of_its_project(producer, fake_google):
    producer.attachment()
    customer = fake_google.customer(CUSTOMER)
    customer.create_endpoint(scope("serviceAttachments", "sa"), "first")
    customer.create_endpoint(scope("serviceAttachments", "sa"), "second")

    producer.patch(consumer_accept_lists=accept_endpoints("first"))

    assert producer.statuses() == {"first": "ACCEPTED", "second": "PENDING"}
    [entry] = producer.get().consumer_accept_lists
    assert (entry.endpoint_url, entry.project_id_or_num) == (endpoint_url("first"), "")


def test_an_endpoint_entry_may_be_a_relative_link_and_reads_back_as_googles_full_one(
    producer, fake_google
):
    producer.attachment()
    fake_google.customer(CUSTOMER).create_endpoint(scope("serviceAttachments", "sa"), "mine")

    producer.patch(
        consumer_accept_lists=[
            compute_v1.ServiceAttachmentConsumerProjectLimit(
                endpoint_url=f"projects/{CUSTOMER}/regions/{REGION}/forwardingRules/mine",
                connection_limit=1,
            )
        ]
    )

    assert producer.statuses() == {"mine": "ACCEPTED"}
    assert producer.get().consumer_accept_lists[0].endpoint_url == endpoint_url("mine")


def test_an_endpoint_on_the_reject_list_is_rejected_alone(producer, fake_google):
    producer.attachment(consumer_accept_lists=accept_endpoints("kept", "refused"))
    customer = fake_google.customer(CUSTOMER)
    customer.create_endpoint(scope("serviceAttachments", "sa"), "kept")
    customer.create_endpoint(scope("serviceAttachments", "sa"), "refused")
    assert producer.statuses() == {"kept": "ACCEPTED", "refused": "ACCEPTED"}

    producer.patch(consumer_reject_lists=[endpoint_url("refused")])

    assert producer.statuses() == {"kept": "ACCEPTED", "refused": "REJECTED"}


def test_a_network_entry_accepts_the_endpoints_in_that_network(producer, fake_google):
    producer.attachment()
    fake_google.customer(CUSTOMER).create_endpoint(scope("serviceAttachments", "sa"), "mine")
    fake_google.customer(STRANGER).create_endpoint(scope("serviceAttachments", "sa"), "theirs")
    network = compute_v1.ServiceAttachmentConsumerProjectLimit(
        network_url=f"projects/{CUSTOMER}/global/networks/customer-network", connection_limit=0
    )

    producer.patch(consumer_accept_lists=[network])

    assert producer.statuses() == {"mine": "ACCEPTED", "theirs": "PENDING"}


def test_an_entry_naming_two_kinds_of_consumer_is_refused_400_invalid(producer):
    both = compute_v1.ServiceAttachmentConsumerProjectLimit(
        project_id_or_num=CUSTOMER, endpoint_url=endpoint_url("mine")
    )

    with pytest.raises(exceptions.BadRequest) as caught:
        producer.attachment(consumer_accept_lists=[both])

    assert caught.value.errors[0]["reason"] == "invalid"
    assert "exactly one of projectIdOrNum, networkUrl or endpointUrl" in caught.value.message


def test_lists_mixing_projects_and_endpoints_are_refused_400_invalid(producer):
    producer.attachment(consumer_accept_lists=accept_endpoints("mine"))

    with pytest.raises(exceptions.BadRequest) as mixed:
        producer.patch(consumer_reject_lists=[STRANGER])
    with pytest.raises(exceptions.BadRequest) as mixed_accept:
        producer.patch(consumer_accept_lists=[*accept_endpoints("mine"), *accept(STRANGER)])

    for caught in (mixed, mixed_accept):
        assert caught.value.errors[0]["reason"] == "invalid"
        assert "only projects, only networks or only endpoints" in caught.value.message


def test_an_endpoint_entry_limited_past_one_is_refused_400_invalid(producer):
    with pytest.raises(exceptions.BadRequest) as caught:
        producer.attachment(consumer_accept_lists=accept_endpoints("mine", limit=2))

    assert "no more than 1" in caught.value.message
