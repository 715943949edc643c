"""The fake AWS enforces ELB's quotas and validation and drains deregistered targets."""

import pytest
from botocore.exceptions import ClientError

from fakeaws.quotas import Quotas


def _error_code(refused: pytest.ExceptionInfo[ClientError]) -> str:
    return str(refused.value.response["Error"]["Code"])


def test_quotas_default_to_aws_values_and_parse_overrides():
    quotas = Quotas.parse("load_balancers_per_region=3, target_groups_per_region=10")

    assert quotas.load_balancers_per_region == 3
    assert quotas.target_groups_per_region == 10
    assert quotas.listeners_per_load_balancer == 50


@pytest.mark.parametrize(
    ("text", "message"),
    [("nlbs=3", "unknown quota nlbs"), ("load_balancers_per_region=many", "whole number")],
)
def test_malformed_quotas_are_refused_with_the_reason(text, message):
    with pytest.raises(ValueError, match=message):
        Quotas.parse(text)


def test_account_limits_report_the_quotas_in_force(fake_aws, platform):
    fake_aws.set_quotas(load_balancers_per_region=2)

    limits = platform.elbv2.describe_account_limits()["Limits"]

    by_name = {limit["Name"]: limit["Max"] for limit in limits}
    assert by_name["network-load-balancers"] == "2"
    assert by_name["listeners-per-network-load-balancer"] == "50"
    assert by_name["target-groups"] == "3000"


def test_a_load_balancer_past_the_region_quota_is_too_many_load_balancers(fake_aws, platform):
    fake_aws.set_quotas(load_balancers_per_region=2)
    platform.nlb("pl-one")
    platform.nlb("pl-two")

    with pytest.raises(ClientError) as refused:
        platform.nlb("pl-three")

    assert _error_code(refused) == "TooManyLoadBalancers"
    balancers = platform.elbv2.describe_load_balancers()["LoadBalancers"]
    names = [lb["LoadBalancerName"] for lb in balancers]
    assert sorted(names) == ["pl-one", "pl-two"]


def test_a_reset_restores_the_start_up_quotas(fake_aws, platform):
    fake_aws.set_quotas(load_balancers_per_region=0)
    fake_aws.reset()

    platform_after = fake_aws.client("elbv2").describe_account_limits()["Limits"]

    assert {"Name": "network-load-balancers", "Max": "50"} in platform_after


def test_the_fifty_first_listener_is_too_many_listeners(platform):
    nlb_arn = platform.nlb()
    group = platform.target_group()
    for port in range(10000, 10050):
        platform.listener(nlb_arn, group, port=port)

    with pytest.raises(ClientError) as refused:
        platform.listener(nlb_arn, group, port=10050)

    assert _error_code(refused) == "TooManyListeners"
    listeners = platform.elbv2.describe_listeners(LoadBalancerArn=nlb_arn)["Listeners"]
    assert len(listeners) == 50


def test_a_target_group_past_the_region_quota_is_too_many_target_groups(fake_aws, platform):
    fake_aws.set_quotas(target_groups_per_region=1)
    platform.target_group("tg-a")

    with pytest.raises(ClientError) as refused:
        platform.target_group("tg-b", port=10001)

    assert _error_code(refused) == "TooManyTargetGroups"
    assert len(platform.elbv2.describe_target_groups()["TargetGroups"]) == 1


@pytest.mark.parametrize("port", [65536, 70000])
def test_a_listener_port_outside_1_to_65535_is_a_validation_error(platform, port):
    nlb_arn = platform.nlb()

    with pytest.raises(ClientError) as refused:
        platform.listener(nlb_arn, platform.target_group(), port=port)

    assert _error_code(refused) == "ValidationError"
    assert platform.elbv2.describe_listeners(LoadBalancerArn=nlb_arn)["Listeners"] == []


def test_a_target_group_port_outside_1_to_65535_is_a_validation_error(platform):
    with pytest.raises(ClientError) as refused:
        platform.target_group("tg-high", port=70000)

    assert _error_code(refused) == "ValidationError"


def _states(platform, group):
    answer = platform.elbv2.describe_target_health(TargetGroupArn=group)
    described = answer["TargetHealthDescriptions"]
    return {d["Target"]["Id"]: d["TargetHealth"]["State"] for d in described}


def test_a_deregistered_target_drains_for_the_deregistration_delay(fake_aws, platform):
    nlb_arn = platform.nlb()
    group = platform.target_group()
    platform.elbv2.modify_target_group_attributes(
        TargetGroupArn=group,
        Attributes=[{"Key": "deregistration_delay.timeout_seconds", "Value": "30"}],
    )
    platform.listener(nlb_arn, group)
    platform.elbv2.register_targets(
        TargetGroupArn=group, Targets=[{"Id": "10.20.0.10"}, {"Id": "10.20.0.11"}]
    )

    platform.elbv2.deregister_targets(TargetGroupArn=group, Targets=[{"Id": "10.20.0.11"}])

    assert _states(platform, group) == {"10.20.0.10": "healthy", "10.20.0.11": "draining"}
    fake_aws.advance_clock(29)
    assert _states(platform, group)["10.20.0.11"] == "draining"
    fake_aws.advance_clock(1)
    assert _states(platform, group) == {"10.20.0.10": "healthy"}


def test_the_default_drain_is_three_hundred_seconds(fake_aws, platform):
    group = platform.target_group()
    platform.elbv2.register_targets(TargetGroupArn=group, Targets=[{"Id": "10.20.0.10"}])
    platform.elbv2.deregister_targets(TargetGroupArn=group, Targets=[{"Id": "10.20.0.10"}])

    fake_aws.advance_clock(299)
    assert _states(platform, group) == {"10.20.0.10": "draining"}
    fake_aws.advance_clock(1)
    assert _states(platform, group) == {}


def test_registering_a_draining_target_again_ends_its_drain(platform):
    nlb_arn = platform.nlb()
    group = platform.target_group()
    platform.listener(nlb_arn, group)
    platform.elbv2.register_targets(TargetGroupArn=group, Targets=[{"Id": "10.20.0.10"}])
    platform.elbv2.deregister_targets(TargetGroupArn=group, Targets=[{"Id": "10.20.0.10"}])

    platform.elbv2.register_targets(TargetGroupArn=group, Targets=[{"Id": "10.20.0.10"}])

    assert _states(platform, group) == {"10.20.0.10": "healthy"}
