"""The gateway's pure parts: ownership tags, answer parsers, batching and "already gone"."""

import pytest

from privatelink.clouds.aws.gateway import AwsLoadBalancer, Gone, Terminal
from privatelink.clouds.aws.gateway.calls import batches, unless_gone
from privatelink.clouds.aws.gateway.elbv2 import _listener, _target_group
from privatelink.clouds.aws.gateway.endpoint_services import _connection
from privatelink.clouds.aws.gateway.errors import is_gone
from privatelink.clouds.aws.gateway.tags import TAG_OWNER, ownership_tags, tag_dict, tag_list


def test_tags_go_to_aws_sorted_and_come_back_as_a_dict(settings):
    tags = ownership_tags("privatelink/7")

    assert [t["Key"] for t in tag_list(tags)] == sorted(tags)
    assert tag_dict(tag_list(tags)) == tags
    assert tag_dict(None) == {}


def test_a_resource_is_owned_by_the_owner_its_tag_names_in_this_deployment():
    balancer = AwsLoadBalancer("arn", "pl-7", "active", "dns", tags=ownership_tags("privatelink/7"))

    assert balancer.owned_by("privatelink/7")
    assert not balancer.owned_by("privatelink/8")
    assert balancer.owner == "privatelink/7"
    assert AwsLoadBalancer("arn", "pl-7", "active", "dns").owner == ""
    # Another deployment's resource of the same owner is not ours.
    foreign = AwsLoadBalancer("arn", "pl-7", "active", "dns", tags={TAG_OWNER: "privatelink/7"})
    assert not foreign.owned_by("privatelink/7")


def test_a_target_groups_port_is_read_from_the_answer():
    group = _target_group({"TargetGroupArn": "arn", "TargetGroupName": "tg", "Port": 10000}, {})

    assert (group.arn, group.name, group.port) == ("arn", "tg", 10000)


def test_a_listener_without_actions_forwards_nowhere():
    listener = _listener({"ListenerArn": "arn", "Port": 10001})

    assert (listener.port, listener.target_group_arn) == (10001, "")


def test_a_connection_without_dns_entries_has_no_dns_name():
    connection = _connection({"ServiceId": "vpce-svc-1", "VpcEndpointId": "vpce-1"})

    assert (connection.owner, connection.state, connection.dns_name) == ("", "", "")


def test_batches_hold_at_most_the_size_and_keep_the_order():
    assert list(batches([1, 2, 3, 4, 5], 2)) == [[1, 2], [3, 4], [5]]
    assert list(batches([], 2)) == []


@pytest.mark.parametrize(
    ("error", "gone"),
    [
        (Gone("LoadBalancerNotFound", "", "delete_load_balancer"), True),
        (Terminal("InvalidChangeBatch", "", "change_resource_record_sets"), True),
        (Terminal("InvalidTarget", "", "deregister_targets"), True),
        (Terminal("ValidationError", "", "create_listener"), False),
    ],
)
def test_missing_resources_are_recognised_in_each_services_words(error, gone):
    assert is_gone(error) is gone


def test_unless_gone_answers_none_for_missing_and_raises_other_errors():
    def missing():
        raise Gone("TargetGroupNotFound", "", "delete_target_group")

    def refused():
        raise Terminal("ValidationError", "", "create_listener")

    assert unless_gone(lambda: "answer") == "answer"
    assert unless_gone(missing) is None
    with pytest.raises(Terminal):
        unless_gone(refused)
