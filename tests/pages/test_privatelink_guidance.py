"""What the PrivateLink page says and shows, checked against what the platform documents:
the AWS names only once usable, the limits, zones and ports to know before connecting,
principals guidance, and the price where the decision is made."""

import dataclasses

import pytest
from django.test import override_settings

from privatelink.models import AwsPrivateLink, PrivateLink
from tests.constants import CUSTOMER_ROLE, HTMX
from tests.factories import ListenerFactory, PrivateLinkFactory, ServiceFactory

PAGE = "/projects/demo/services/my-kafka/privatelink/"
SERVICE_NAME = "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0"


@pytest.mark.parametrize(
    ("state", "endpoint_service_state"),
    [("creating", "Pending"), ("creating", "Available"), ("active", "Pending")],
)
def test_the_service_name_and_command_wait_until_a_customer_can_use_them(
    developer_client, state, endpoint_service_state, service
):
    # The reconciler records the endpoint service's names as soon as AWS has created it,
    # while it is still Pending.
    link = PrivateLinkFactory(
        service=service,
        state=state,
        provisioned=True,
        aws__endpoint_service_state=endpoint_service_state,
    )
    assert link.aws.service_name == SERVICE_NAME
    for response in (developer_client.get(PAGE), developer_client.get(PAGE + "summary", **HTMX)):
        html = response.content.decode()
        assert SERVICE_NAME not in html
        assert "vpce-svc-0123456789abcdef0" not in html
        assert "create-vpc-endpoint" not in html
        assert "The service name appears here when" in html


def test_the_service_name_and_command_show_once_available_and_active(developer_client, service):
    PrivateLinkFactory(service=service, state="active")
    html = developer_client.get(PAGE + "summary", **HTMX).content.decode()
    assert f'<code data-testid="aws-service-name">{SERVICE_NAME}</code>' in html
    assert f"--service-name {SERVICE_NAME}" in html


def test_the_create_form_shows_the_catalog_price_of_the_services_cloud(developer_client, service):
    html = developer_client.get(PAGE).content.decode()
    assert service.cloud == "aws-eu-west-1"
    assert "PrivateLink is available in aws-eu-west-1, at USD 0.0600 per hour." in html


def test_the_create_form_and_the_api_answer_from_the_same_catalog(
    developer_client, service, developer, monkeypatch
):
    from console import catalog
    from console.models.tokens import ApiToken

    monkeypatch.setitem(
        catalog.CLOUD_CATALOG,
        "aws-eu-west-1",
        dataclasses.replace(catalog.CLOUD_CATALOG["aws-eu-west-1"], privatelink_price_usd="0.0725"),
    )
    html = developer_client.get(PAGE).content.decode()
    assert "at USD 0.0725 per hour" in html
    token = ApiToken.issue(developer, "tests")[1]
    answer = developer_client.get(
        "/v1/project/demo/privatelink-availability",
        headers={"Authorization": f"aivenv1 {token}"},
    ).json()["privatelink_availability"]
    assert {"cloud_name": "aws-eu-west-1", "price_usd": "0.0725"} in answer
    assert {"cloud_name": "aws-eu-central-1", "price_usd": "0.0650"} in answer


def test_where_privatelink_is_not_offered_the_page_says_so_and_nothing_can_be_created(
    developer_client, service, developer, monkeypatch
):
    from console import catalog
    from console.models.tokens import ApiToken

    not_offered = dataclasses.replace(
        catalog.CLOUD_CATALOG["aws-eu-west-1"], privatelink_price_usd=None
    )
    monkeypatch.setitem(catalog.CLOUD_CATALOG, "aws-eu-west-1", not_offered)
    html = developer_client.get(PAGE).content.decode()
    assert "PrivateLink is not offered in aws-eu-west-1." in html
    assert "Create PrivateLink</button>" not in html
    response = developer_client.post(PAGE + "create", {"principals": CUSTOMER_ROLE})
    assert response.status_code == 400
    assert "PrivateLink is not offered in aws-eu-west-1." in response.content.decode()
    assert not PrivateLink.objects.filter(service=service).exists()
    token = ApiToken.issue(developer, "tests")[1]
    answer = developer_client.get(
        "/v1/project/demo/privatelink-availability",
        headers={"Authorization": f"aivenv1 {token}"},
    ).json()["privatelink_availability"]
    assert "aws-eu-west-1" not in [entry["cloud_name"] for entry in answer]


def _summary(client) -> str:
    return client.get(PAGE + "summary", **HTMX).content.decode()


def test_the_one_endpoint_limit_is_stated_beside_the_command(developer_client, service):
    PrivateLinkFactory(service=service, state="active")
    html = _summary(developer_client)
    limit = html.index('data-testid="connection-limit"')
    assert "my-kafka accepts one VPC endpoint: a second one is rejected." in html[limit:]
    assert limit < html.index('data-testid="endpoint-command"')


@override_settings(PRIVATELINK_MAX_CONNECTIONS=3)
def test_a_larger_limit_is_stated_as_configured(developer_client, service):
    PrivateLinkFactory(service=service, state="active")
    assert "accepts up to 3 VPC endpoints: any further one is rejected." in _summary(
        developer_client
    )


def test_the_command_takes_one_subnet_per_zone_of_the_region(developer_client, service):
    PrivateLinkFactory(service=service, state="active")
    html = _summary(developer_client)
    assert "--subnet-ids SUBNET_ID_1 SUBNET_ID_2 SUBNET_ID_3 --security-group-ids SG_ID" in html
    assert (
        "SUBNET_ID_1 to SUBNET_ID_3 with a subnet in each of euw1-az1, euw1-az2, euw1-az3: "
        "the zones of eu-west-1 where my-kafka's load balancer has a node, for fault tolerance."
    ) in html
    assert "These are zone IDs, not zone names" in html
    assert "eu-west-1a, eu-west-1b" not in html


def test_before_the_network_is_built_the_zone_ids_are_promised_not_guessed(
    developer_client, service
):
    vpc = service.project_vpc
    vpc.subnets = []
    vpc.save()
    PrivateLinkFactory(service=service, state="active")
    html = _summary(developer_client)
    assert (
        "a subnet in each of 3 zones of eu-west-1, for fault tolerance; the zone IDs appear "
        "here once the service's network is built."
    ) in html


def test_on_kafka_the_security_group_hint_names_the_port_range_before_any_component(
    developer_client, service
):
    PrivateLinkFactory(service=service, state="active")
    html = _summary(developer_client)
    assert (
        "must allow inbound TCP from your clients on 10000-31000: Kafka brokers take their "
        "ports from this range. Allow it when you create the endpoint; the exact ports appear "
        "here once you enable components"
    ) in html
    assert "No component has privatelink access yet" not in html


def test_the_security_group_hint_lists_the_exact_ports_of_the_enabled_components(
    developer_client, service
):
    link = PrivateLinkFactory(service=service, state="active")
    service.user_config = {"privatelink_access": {"kafka": True, "schema_registry": True}}
    service.save()
    # Switched on, not yet carried out: the brokers' ports are still to be taken.
    assert (
        "on 10000-31000: Kafka brokers take their ports from this range, and the components "
        "enabled now use 10000-31000 (Kafka), 12695 (Schema Registry)."
    ) in _summary(developer_client)

    for node, port in zip(service.nodes.order_by("name"), (10000, 10001, 10005), strict=True):
        ListenerFactory(privatelink=link, component="kafka", node=node, port=port)
    assert (
        "the components enabled now use 10000-10001, 10005 (Kafka), 12695 (Schema Registry)."
    ) in _summary(developer_client)

    service.user_config = {"privatelink_access": {"kafka": False, "kafka_connect": True}}
    service.save()
    assert "the components enabled now use 12693 (Kafka Connect)." in _summary(developer_client)


def test_on_other_services_the_hint_waits_for_a_component(developer_client, project):
    pg = ServiceFactory(project=project, name="my-pg", service_type="pg", nodes=2)
    PrivateLinkFactory(service=pg, state="active")
    html = developer_client.get(
        "/projects/demo/services/my-pg/privatelink/summary", **HTMX
    ).content.decode()
    assert "No component has privatelink access yet" in html
    assert "10000-31000" not in html


def test_the_project_vpc_form_says_any_private_range_works_for_privatelink(
    developer_client, project
):
    html = developer_client.get("/projects/demo/vpcs/new").content.decode()
    assert "does not overlap your own VPCs" not in html
    assert "For PrivateLink any private range works" in html
    assert "nothing is routed between the VPCs" in html
    assert "Overlap matters only for VPC peering." in html


def test_principals_guidance_warns_that_an_allowed_role_connects_from_any_vpc(
    developer_client, service
):
    PrivateLinkFactory(service=service, principals=["arn:aws:iam::111122223333:root"])
    html = developer_client.get(PAGE).content.decode()
    assert "Prefer a role ARN" not in html
    help_text = html[html.index('id="principal-help"') :]
    help_text = help_text[: help_text.index("</p>")]
    assert ":user/name (that user), ...:role/app (a role), ...:root" in help_text
    assert (
        "A role you allow can connect from any VPC of its choosing, so allow only roles you trust."
    ) in help_text


def test_the_page_says_removing_a_covering_principal_rejects_the_connection(
    developer_client, service
):
    PrivateLinkFactory(service=service)
    html = developer_client.get(PAGE).content.decode()
    assert "Changes apply to new connection requests" not in html
    assert "Removing the principal that covers a live connection rejects that connection" in html


def test_the_summary_keeps_polling_until_the_names_can_be_shown(developer_client, service):
    link = PrivateLinkFactory(service=service, state="active")
    AwsPrivateLink.objects.filter(privatelink=link).update(endpoint_service_state="Pending")
    response = developer_client.get(PAGE + "summary", **HTMX)
    assert response.status_code == 200
    assert 'hx-trigger="every 2s"' in response.content.decode()
    AwsPrivateLink.objects.filter(privatelink=link).update(endpoint_service_state="Available")
    settled = developer_client.get(PAGE + "summary", **HTMX)
    assert b'hx-trigger="every 5s"' in settled.content
