"""Configured delays show up as the states real AWS passes through."""

import time

import pytest

from fakeaws.timing import Delays, Timeline

SHORT = 0.3  # seconds: long enough to observe, short enough for the suite


def test_nlb_is_provisioning_until_its_delay_has_passed(fake_aws, platform):
    fake_aws.set_delays(nlb=SHORT)
    nlb_arn = platform.nlb()

    def state():
        answer = platform.elbv2.describe_load_balancers(LoadBalancerArns=[nlb_arn])
        return answer["LoadBalancers"][0]["State"]["Code"]

    assert state() == "provisioning"
    time.sleep(SHORT)
    assert state() == "active"


def test_endpoint_service_is_pending_until_its_delay_has_passed(fake_aws, platform):
    fake_aws.set_delays(endpoint_service=SHORT)
    service = platform.service(principals=())

    def state():
        answer = platform.ec2.describe_vpc_endpoint_service_configurations(
            ServiceIds=[service["ServiceId"]]
        )
        return answer["ServiceConfigurations"][0]["ServiceState"]

    assert service["ServiceState"] == "Pending"
    assert state() == "Pending"
    time.sleep(SHORT)
    assert state() == "Available"


def test_target_is_initial_for_two_health_check_intervals_after_attachment(fake_aws, platform):
    fake_aws.set_delays(health_check=SHORT / 2)
    target_group_arn = platform.target_group()
    platform.elbv2.register_targets(TargetGroupArn=target_group_arn, Targets=[{"Id": "10.20.0.10"}])
    time.sleep(SHORT)  # time before attachment does not count

    platform.listener(platform.nlb(), target_group_arn)

    def health():
        answer = platform.elbv2.describe_target_health(TargetGroupArn=target_group_arn)
        return answer["TargetHealthDescriptions"][0]["TargetHealth"]

    assert health()["State"] == "initial"
    assert health()["Reason"] == "Elb.RegistrationInProgress"
    time.sleep(SHORT)
    assert health()["State"] == "healthy"


def test_reset_restores_the_start_up_delays(fake_aws):
    fake_aws.set_delays(nlb=5)

    fake_aws.reset()

    assert fake_aws.set_delays() == {
        "nlb": 0.0,
        "endpoint_service": 0.0,
        "health_check": 0.0,
        "api_call": 0.0,
    }


def test_delays_are_read_from_the_environment_format():
    assert Delays.parse("nlb=3,endpoint_service=2,health_check=2") == Delays(3, 2, 2)
    assert Delays.parse("") == Delays()
    assert Delays.parse(" nlb = 1.5 ") == Delays(nlb=1.5)


@pytest.mark.parametrize("text", ["nlb=soon", "lb=3", "nlb=-1", "nlb"])
def test_malformed_delays_are_refused_with_a_clear_message(text):
    with pytest.raises(ValueError, match="delay"):
        Delays.parse(text)


def test_timeline_changes_delays_until_reset_and_forgets_moments():
    timeline = Timeline(Delays(nlb=1))
    timeline.mark(("x",))
    timeline.set_delays({"health_check": 2})

    assert timeline.delays == Delays(nlb=1, health_check=2)
    timeline.reset()
    assert timeline.delays == Delays(nlb=1)
    assert timeline.moment(("x",)) is None


def test_every_api_call_waits_the_api_call_delay_before_answering(fake_aws, platform):
    fake_aws.set_delays(api_call=SHORT)
    started = time.monotonic()
    platform.ec2.describe_vpcs()
    # A lower bound only: the server sleeps at least this long, however busy the machine.
    assert time.monotonic() - started >= SHORT
    assert fake_aws.set_delays()["api_call"] == SHORT
