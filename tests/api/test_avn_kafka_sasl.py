"""SASL over PrivateLink with the real `avn`: turned on with `avn service update`, listed once
per method by `avn service get`, and printed by `avn service connection-info kcat -a sasl`
with the SASL port and the user's password, while the fake AWS holds a listener on that port
forwarding to the broker."""

import pytest

from console import credentials
from privatelink import actions
from privatelink.models import PORT_POOL, Listener, PrivateLinkConnection
from tests.constants import EXAMPLE_ACCOUNT, EXAMPLE_USER
from tests.privatelink.engine import converge

pytestmark = pytest.mark.django_db(transaction=True)

PROJECT = ("--project", "demo")


def test_avn_turns_sasl_on_and_prints_a_kcat_command_for_its_privatelink_port(
    avn, fake_aws, queued, service, developer
):
    link = actions.create_privatelink(service, [EXAMPLE_USER], actor=developer).link
    converge(service)
    link.refresh_from_db()
    fake_aws.customer(EXAMPLE_ACCOUNT, EXAMPLE_USER).create_endpoint(link.aws.service_name)
    enabled = avn("service", "update", "-c", "privatelink_access.kafka=true", "my-kafka", *PROJECT)
    assert enabled.returncode == 0, enabled.stderr
    converge(service)

    sasl_on = avn("service", "update", "-c", "kafka_authentication_methods.sasl=true",
                  "my-kafka", *PROJECT)  # fmt: skip
    assert sasl_on.returncode == 0, sasl_on.stderr
    service.refresh_from_db()
    assert service.user_config["kafka_authentication_methods"] == {"sasl": True}
    converge(service)

    connection = PrivateLinkConnection.objects.get(privatelink=link)
    shown = avn("service", "get", "my-kafka", *PROJECT, "--json").json()
    kafka = [
        c for c in shown["components"] if c["component"] == "kafka" and c["route"] == "privatelink"
    ]
    assert [c["kafka_authentication_method"] for c in kafka] == ["certificate", "sasl"]
    assert {c["privatelink_connection_id"] for c in kafka} == {connection.privatelink_connection_id}
    certificate, sasl = kafka
    assert certificate["host"] == sasl["host"]
    assert certificate["port"] != sasl["port"]
    assert {certificate["port"], sasl["port"]} <= set(PORT_POOL)

    # The fake AWS: a listener on the SASL port whose target group holds the first broker
    # on the port it answers SASL on.
    first = service.nodes.order_by("name").first()
    assert first is not None
    row = Listener.objects.get(port=sasl["port"])
    assert (row.kafka_authentication_method, row.node_id) == ("sasl", first.pk)
    elbv2 = fake_aws.client("elbv2")
    (listener,) = [
        x
        for x in elbv2.describe_listeners(LoadBalancerArn=link.aws.nlb_arn)["Listeners"]
        if x["Port"] == sasl["port"]
    ]
    group_arn = listener["DefaultActions"][0]["TargetGroupArn"]
    health = elbv2.describe_target_health(TargetGroupArn=group_arn)["TargetHealthDescriptions"]
    assert [(d["Target"]["Id"], d["Target"]["Port"]) for d in health] == [(first.private_ip, 12697)]

    kcat = avn("service", "connection-info", "kcat", "my-kafka", *PROJECT,
               "-r", "privatelink", "-a", "sasl")  # fmt: skip
    assert kcat.returncode == 0, kcat.stderr
    (password,) = [u.password for u in credentials.credentials_of(service, with_passwords=True)]
    assert kcat.stdout.split() == [
        "kcat",
        "-b",
        f"{sasl['host']}:{sasl['port']}",
        "-X",
        "security.protocol=SASL_SSL",
        "-X",
        "ssl.ca.location=ca.pem",
        "-X",
        "sasl.mechanisms=SCRAM-SHA-256",
        "-X",
        "sasl.username=avnadmin",
        "-X",
        f"sasl.password={password}",
    ]

    # Certificates still answer on their own port.
    by_certificate = avn("service", "connection-info", "kcat", "my-kafka", *PROJECT,
                         "-r", "privatelink", "-a", "certificate")  # fmt: skip
    assert f"-b {certificate['host']}:{certificate['port']} " in by_certificate.stdout


def test_avn_says_sasl_is_not_enabled_until_it_is(avn, service):
    kcat = avn("service", "connection-info", "kcat", "my-kafka", *PROJECT, "-a", "sasl")
    assert kcat.returncode != 0
    assert "SASL authentication is not enabled in my-kafka" in kcat.stderr


def test_avn_cannot_turn_every_method_off(avn, service):
    refused = avn("service", "update", "-c", "kafka_authentication_methods.certificate=false",
                  "my-kafka", *PROJECT)  # fmt: skip
    assert refused.returncode != 0
    assert "at least one of certificate and sasl must stay on" in refused.stderr
    service.refresh_from_db()
    assert service.user_config == {}
