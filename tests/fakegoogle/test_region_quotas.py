"""`regions.get` answers the region's quotas as Compute does, and the internal forwarding
rules' quota is a VPC network's, as Google's is."""

import pytest
from google.api_core import exceptions
from google.cloud import compute_v1

from fakegoogle.pytest_plugin import PLATFORM_PROJECT
from tests.fakegoogle.conftest import REGION, scope


def _quotas(producer, project=PLATFORM_PROJECT):
    region = producer.compute.regions.get(project=project, region=REGION)
    return {q.metric: (q.limit, q.usage) for q in region.quotas}, region


def test_region_answers_its_service_attachment_quota_and_usage(producer):
    producer.attachment()

    quotas, region = _quotas(producer)

    assert region.name == REGION
    assert region.self_link.endswith(f"projects/{PLATFORM_PROJECT}/regions/{REGION}")
    assert quotas == {"SERVICE_ATTACHMENTS": (100.0, 1.0)}


def test_region_answers_a_quota_changed_through_the_control_endpoint(producer, fake_google):
    fake_google.set_quotas(service_attachments=250)

    quotas, _ = _quotas(producer)

    assert quotas["SERVICE_ATTACHMENTS"] == (250.0, 0.0)


def test_another_projects_attachments_are_not_this_projects_usage(producer):
    producer.attachment()

    quotas, _ = _quotas(producer, project="another-project")

    assert quotas["SERVICE_ATTACHMENTS"] == (100.0, 0.0)


def _rule(producer, name):
    producer.compute.wait(
        producer.compute.forwarding_rules.insert(
            project=PLATFORM_PROJECT,
            region=REGION,
            forwarding_rule_resource=compute_v1.ForwardingRule(
                name=name,
                load_balancing_scheme="INTERNAL",
                backend_service=scope("backendServices", "bes"),
                subnetwork=scope("subnetworks", "nodes"),
                I_p_protocol="TCP",
                ports=["9093"],
            ),
        ),
        PLATFORM_PROJECT,
    )


def test_internal_rules_beyond_the_networks_quota_are_refused_naming_googles_metric(
    producer, fake_google
):
    fake_google.set_quotas(internal_forwarding_rules=2)  # the producer's `rule` is one
    _rule(producer, "second")

    with pytest.raises(exceptions.Forbidden) as caught:
        _rule(producer, "third")

    assert caught.value.errors[0]["reason"] == "quotaExceeded"
    assert caught.value.message.endswith(
        "Quota 'INTERNAL_FORWARDING_RULES_PER_NETWORK' exceeded.  Limit: 2.0 globally."
    )


def test_internal_rules_of_another_network_take_none_of_this_networks_quota(producer, fake_google):
    fake_google.set_quotas(internal_forwarding_rules=1)  # the producer's `rule` in `net`
    producer.compute.wait(
        producer.compute.networks.insert(
            project=PLATFORM_PROJECT,
            network_resource=compute_v1.Network(name="net2", auto_create_subnetworks=False),
        ),
        PLATFORM_PROJECT,
    )
    producer.compute.wait(
        producer.compute.subnetworks.insert(
            project=PLATFORM_PROJECT,
            region=REGION,
            subnetwork_resource=compute_v1.Subnetwork(
                name="nodes2", network=scope("networks", "net2"), ip_cidr_range="10.1.0.0/24"
            ),
        ),
        PLATFORM_PROJECT,
    )

    producer.compute.wait(
        producer.compute.forwarding_rules.insert(
            project=PLATFORM_PROJECT,
            region=REGION,
            forwarding_rule_resource=compute_v1.ForwardingRule(
                name="other-network",
                load_balancing_scheme="INTERNAL",
                backend_service=scope("backendServices", "bes"),
                subnetwork=scope("subnetworks", "nodes2"),
                I_p_protocol="TCP",
                ports=["9092"],
            ),
        ),
        PLATFORM_PROJECT,
    )

    rule = producer.compute.forwarding_rules.get(
        project=PLATFORM_PROJECT, region=REGION, forwarding_rule="other-network"
    )
    assert rule.network.endswith("/networks/net2")
