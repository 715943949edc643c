"""A run that publishes the endpoint service itself asks AWS neither for its allowed
principals nor for its connections: a service created moments before allows no one, and no
customer can have connected to a name no one knew. A later run asks for both. Nor does the
run that made the NLB ask what is on it."""

import pytest

from privatelink.clouds.aws.gateway import Gateway
from privatelink.engine import reconcile
from tests.constants import CUSTOMER_ROLE
from tests.privatelink.engine import converge

pytestmark = pytest.mark.django_db

ASKED = {"DescribeVpcEndpointServicePermissions", "DescribeVpcEndpointConnections"}


class _Counting(Gateway):
    runs: list[list[str]] = []

    def _client(self, name):
        client = super()._client(name)
        client.meta.events.register(
            "before-call",
            lambda model, **_: _Counting.runs[-1].append(model.name),
            unique_id="count-new-service",
        )
        return client


def _reconcile(service):
    _Counting.runs.append([])
    return reconcile.reconcile_service(service.pk, _Counting)


def test_the_run_that_publishes_the_service_sets_its_principals_without_asking_aws_first(
    fake_aws, privatelink, service
):
    _Counting.runs = []
    for _ in range(10):
        _reconcile(service)
        if "CreateVpcEndpointServiceConfiguration" in _Counting.runs[-1]:
            break
    publishing = _Counting.runs[-1]
    assert "CreateVpcEndpointServiceConfiguration" in publishing
    assert ASKED.isdisjoint(publishing)
    assert "ModifyVpcEndpointServicePermissions" in publishing
    converge(service)
    privatelink.refresh_from_db()
    allowed = fake_aws.client("ec2").describe_vpc_endpoint_service_permissions(
        ServiceId=privatelink.aws.service_id
    )["AllowedPrincipals"]
    assert [p["Principal"] for p in allowed] == [CUSTOMER_ROLE]

    # A run on the service as AWS holds it asks for both again.
    _reconcile(service)
    assert set(_Counting.runs[-1]) >= ASKED


def test_the_run_that_creates_the_nlb_asks_for_nothing_on_it_before_setting_it_up(
    fake_aws, privatelink, service, developer
):
    from privatelink import actions

    actions.set_component_access(service, {"schema_registry": True}, actor=developer)
    _Counting.runs = []
    _reconcile(service)
    creating = _Counting.runs[-1]

    # The NLB is active at once here: the same run sets up its listeners and publishes it,
    # and nothing can be on an NLB made moments before, nor published for it.
    assert {"CreateLoadBalancer", "CreateListener", "CreateVpcEndpointServiceConfiguration"} <= set(
        creating
    )
    assert {"DescribeListeners", "DescribeVpcEndpointServiceConfigurations"}.isdisjoint(creating)
    converge(service)
    listeners = fake_aws.client("elbv2").describe_listeners(
        LoadBalancerArn=privatelink.aws.nlb_arn
    )["Listeners"]
    assert [listener["Port"] for listener in listeners] == list(
        privatelink.listeners.values_list("port", flat=True)
    )
