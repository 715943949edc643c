"""Replacing a node, as maintenance does: a new private IP, its targets re-registered and
checked (`initial`, then `healthy` after two checks), the other nodes' traffic untouched."""

import io

import pytest
from django.core.management import CommandError, call_command

from console import actions as console_actions
from console.models import AuditEvent, ServiceNode
from privatelink.engine import reconcile
from privatelink.models import Listener
from tests.privatelink.engine import converge


def _targets(fake_aws, group_arn: str) -> dict[str, str]:
    described = fake_aws.client("elbv2").describe_target_health(TargetGroupArn=group_arn)
    return {
        t["Target"]["Id"]: t["TargetHealth"]["State"] for t in described["TargetHealthDescriptions"]
    }


def test_a_replaced_broker_gets_a_new_ip_whose_target_turns_healthy_and_others_stay(
    fake_aws, kafka_over_privatelink, service, developer, queued, django_capture_on_commit_callbacks
):
    node = ServiceNode.objects.get(name="my-kafka-1")
    rows = {row.node.name: row for row in Listener.objects.select_related("node")}
    others_before = {
        name: (row.port, row.listener_arn, _targets(fake_aws, row.target_group_arn))
        for name, row in rows.items()
        if name != node.name
    }
    old_ip = node.private_ip

    with django_capture_on_commit_callbacks(execute=True):
        replaced = console_actions.replace_node(node, actor=developer)
    assert replaced.private_ip != old_ip
    assert replaced.private_ip not in {
        n.private_ip for n in ServiceNode.objects.exclude(pk=node.pk)
    }
    assert ("service", service.pk) in queued
    event = AuditEvent.objects.get(action="service.node_replace", service=service)
    assert (event.before["private_ip"], event.after["private_ip"]) == (old_ip, replaced.private_ip)

    # Health checks take their time: the new target is seen `initial` first.
    fake_aws.set_delays(health_check=600)
    reconcile.reconcile_service(service.pk)
    row = Listener.objects.get(node=node)
    assert row.port == rows[node.name].port
    assert row.health == Listener.Health.INITIAL
    targets = _targets(fake_aws, row.target_group_arn)
    assert targets.get(replaced.private_ip) == "initial"

    # The other brokers' targets were neither deregistered nor re-registered.
    for name, (_port, _arn, before) in others_before.items():
        other = Listener.objects.get(node__name=name)
        assert set(_targets(fake_aws, other.target_group_arn)) == set(before)

    # Two health checks later (the fake AWS's clock skipped ahead):
    fake_aws.set_delays(health_check=0)
    converge(service)
    row.refresh_from_db()
    assert row.health == Listener.Health.HEALTHY
    targets = _targets(fake_aws, row.target_group_arn)
    assert targets.get(replaced.private_ip) == "healthy"
    assert targets.get(old_ip) in (None, "draining")
    others_after = {
        r.node.name: (r.port, r.listener_arn, _targets(fake_aws, r.target_group_arn))
        for r in Listener.objects.select_related("node").exclude(node=node)
    }
    assert others_after == others_before


def test_the_command_replaces_one_node_and_says_so(service, queued):
    node = ServiceNode.objects.get(name="my-kafka-2")
    out = io.StringIO()
    call_command("replace_node", "demo", "my-kafka", "my-kafka-2", stdout=out)
    replaced = ServiceNode.objects.get(pk=node.pk)
    assert replaced.private_ip != node.private_ip
    assert f"Replaced my-kafka-2: {node.private_ip} -> {replaced.private_ip}." in out.getvalue()
    with pytest.raises(CommandError, match="No node my-kafka-9"):
        call_command("replace_node", "demo", "my-kafka", "my-kafka-9", stdout=out)


def test_the_admin_action_replaces_the_selected_node(client, service, queued):
    from tests.factories import UserFactory

    client.force_login(UserFactory(email="root@example.com", is_staff=True, is_superuser=True))
    node = ServiceNode.objects.get(name="my-kafka-3")
    response = client.post(
        "/admin/console/servicenode/",
        {"action": "replace_nodes", "_selected_action": [node.pk]},
    )
    assert response.status_code == 302
    assert ServiceNode.objects.get(pk=node.pk).private_ip != node.private_ip
    assert AuditEvent.objects.filter(action="service.node_replace").count() == 1
