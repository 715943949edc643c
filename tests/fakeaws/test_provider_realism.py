"""NLBs, listeners, target health and endpoint services behave as the console meets them on AWS."""

import pytest
from botocore.exceptions import ClientError

from tests.constants import EXAMPLE_USER


def test_nlb_and_listener_arns_read_net(platform):
    nlb_arn = platform.nlb()
    listener = platform.listener(nlb_arn, platform.target_group())

    assert ":loadbalancer/net/pl-my-kafka/" in nlb_arn
    assert ":listener/net/pl-my-kafka/" in listener["ListenerArn"]
    described = platform.elbv2.describe_load_balancers(LoadBalancerArns=[nlb_arn])
    assert described["LoadBalancers"][0]["Type"] == "network"


def test_nlb_tags_follow_the_net_arn(platform):
    answer = platform.elbv2.create_load_balancer(
        Name="tagged",
        Type="network",
        Subnets=platform.subnet_ids,
        Tags=[{"Key": "k", "Value": "v"}],
    )
    arn = answer["LoadBalancers"][0]["LoadBalancerArn"]

    tags = platform.elbv2.describe_tags(ResourceArns=[arn])["TagDescriptions"][0]["Tags"]

    assert tags == [{"Key": "k", "Value": "v"}]


def test_second_listener_on_a_port_in_use_is_duplicate_listener(platform):
    nlb_arn = platform.nlb()
    platform.listener(nlb_arn, platform.target_group("tg-a"), port=10000)

    with pytest.raises(ClientError) as refused:
        platform.listener(nlb_arn, platform.target_group("tg-b"), port=10000)

    assert refused.value.response["Error"]["Code"] == "DuplicateListener"
    assert len(platform.elbv2.describe_listeners(LoadBalancerArn=nlb_arn)["Listeners"]) == 1


def test_identical_listener_repeat_returns_the_existing_listener(platform):
    nlb_arn = platform.nlb()
    target_group_arn = platform.target_group()

    first = platform.listener(nlb_arn, target_group_arn)
    again = platform.listener(nlb_arn, target_group_arn)

    assert again["ListenerArn"] == first["ListenerArn"]


def test_deleting_an_nlb_used_by_an_endpoint_service_is_resource_in_use(platform):
    nlb_arn = platform.nlb()
    service = platform.service(nlb_arn=nlb_arn)

    with pytest.raises(ClientError) as refused:
        platform.elbv2.delete_load_balancer(LoadBalancerArn=nlb_arn)

    assert refused.value.response["Error"]["Code"] == "ResourceInUse"
    platform.ec2.delete_vpc_endpoint_service_configurations(ServiceIds=[service["ServiceId"]])
    platform.elbv2.delete_load_balancer(LoadBalancerArn=nlb_arn)
    with pytest.raises(ClientError, match="LoadBalancerNotFound"):
        platform.elbv2.describe_load_balancers(LoadBalancerArns=[nlb_arn])


def _health(platform, target_group_arn):
    answer = platform.elbv2.describe_target_health(TargetGroupArn=target_group_arn)
    return [d["TargetHealth"]["State"] for d in answer["TargetHealthDescriptions"]]


def test_target_is_unused_until_a_listener_forwards_to_its_group_then_healthy(platform):
    target_group_arn = platform.target_group()
    platform.elbv2.register_targets(
        TargetGroupArn=target_group_arn, Targets=[{"Id": "10.20.0.10", "Port": 12692}]
    )

    unused = platform.elbv2.describe_target_health(TargetGroupArn=target_group_arn)
    platform.listener(platform.nlb(), target_group_arn)

    assert unused["TargetHealthDescriptions"][0]["TargetHealth"]["Reason"] == "Target.NotInUse"
    assert _health(platform, target_group_arn) == ["healthy"]


def test_target_is_unused_again_once_its_listener_is_deleted(platform):
    target_group_arn = platform.target_group()
    platform.elbv2.register_targets(TargetGroupArn=target_group_arn, Targets=[{"Id": "10.20.0.10"}])
    listener = platform.listener(platform.nlb(), target_group_arn)

    platform.elbv2.delete_listener(ListenerArn=listener["ListenerArn"])

    assert _health(platform, target_group_arn) == ["unused"]


def test_service_configurations_filter_by_id_state_and_tags(platform):
    kafka = platform.service(tags={"console-id": "kafka", "owner": "console"})
    pg = platform.service(tags={"console-id": "pg"})

    def ids(filters):
        answer = platform.ec2.describe_vpc_endpoint_service_configurations(Filters=filters)
        return [s["ServiceId"] for s in answer["ServiceConfigurations"]]

    assert ids([{"Name": "service-id", "Values": [pg["ServiceId"]]}]) == [pg["ServiceId"]]
    assert ids([{"Name": "tag:console-id", "Values": ["kafka"]}]) == [kafka["ServiceId"]]
    assert ids([{"Name": "tag-key", "Values": ["owner"]}]) == [kafka["ServiceId"]]
    assert ids([{"Name": "service-state", "Values": ["Available"]}]) == [
        kafka["ServiceId"],
        pg["ServiceId"],
    ]
    assert ids([{"Name": "service-state", "Values": ["Pending"]}]) == []


def test_service_configurations_come_in_pages(platform):
    nlb_arn = platform.nlb()
    created = [platform.service(nlb_arn=nlb_arn, principals=())["ServiceId"] for _ in range(7)]

    first = platform.ec2.describe_vpc_endpoint_service_configurations(MaxResults=5)
    second = platform.ec2.describe_vpc_endpoint_service_configurations(
        MaxResults=5, NextToken=first["NextToken"]
    )

    assert [s["ServiceId"] for s in first["ServiceConfigurations"]] == created[:5]
    assert [s["ServiceId"] for s in second["ServiceConfigurations"]] == created[5:]
    assert "NextToken" not in second


@pytest.mark.parametrize("max_results", [4, 1001])
def test_page_size_outside_5_to_1000_is_invalid(platform, max_results):
    with pytest.raises(ClientError) as refused:
        platform.ec2.describe_vpc_endpoint_service_configurations(MaxResults=max_results)

    assert refused.value.response["Error"]["Code"] == "InvalidParameterValue"


def test_unknown_service_id_fails_the_describe_as_on_aws(platform):
    service = platform.service()

    with pytest.raises(ClientError) as refused:
        platform.ec2.describe_vpc_endpoint_service_configurations(
            ServiceIds=[service["ServiceId"], "vpce-svc-00000000"]
        )

    assert refused.value.response["Error"]["Code"] == "InvalidVpcEndpointServiceId.NotFound"


@pytest.mark.parametrize(
    "principal",
    [
        "arn:aws:iam::012345678901:role/path/connector",
        "not-an-arn",
        "arn:aws:iam::0123:user/mwf",
        "arn:aws:sts::012345678901:assumed-role/x/y",
    ],
)
def test_malformed_principal_is_invalid_principal(platform, principal):
    service = platform.service(principals=())

    with pytest.raises(ClientError) as refused:
        platform.ec2.modify_vpc_endpoint_service_permissions(
            ServiceId=service["ServiceId"], AddAllowedPrincipals=[EXAMPLE_USER, principal]
        )

    assert refused.value.response["Error"]["Code"] == "InvalidPrincipal"
    allowed = platform.ec2.describe_vpc_endpoint_service_permissions(ServiceId=service["ServiceId"])
    assert allowed["AllowedPrincipals"] == []
