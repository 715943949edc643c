"""The Azure Private Link endpoints of /v1/, as the platform has them: the link with its
allowed subscriptions, and its connections' approval and endpoint address."""

import pytest

from console.errors import InvalidInput
from console.models import AuditEvent
from privatelink import actions, azure_actions
from privatelink.models import PrivateLink, PrivateLinkConnection
from tests.api.test_api import error_of
from tests.factories import ConnectionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("queued")]

SUB_A = "00000000-0000-0000-0000-000000000001"
SUB_B = "00000000-0000-0000-0000-000000000002"
SERVICE = "/v1/project/demo/service/my-kafka-az"
AZURE = f"{SERVICE}/privatelink/azure"
PENDING = PrivateLinkConnection.State.PENDING_USER_APPROVAL


def _endpoint_id(name: str) -> str:
    return (
        f"/subscriptions/{SUB_A}/resourceGroups/customer/providers/"
        f"Microsoft.Network/privateEndpoints/{name}"
    )


@pytest.fixture
def azure_link(api, azure_service):
    api.post(AZURE, {"user_subscription_ids": [SUB_A]})
    return PrivateLink.objects.get(service=azure_service)


def _connection(link: PrivateLink, number: int, state=PENDING) -> PrivateLinkConnection:
    return ConnectionFactory(
        privatelink=link,
        number=number,
        state=state,
        endpoint_id=_endpoint_id(f"pe-{number}"),
        owner=SUB_A,
        dns_name="",
    )


def test_create_answers_creating_with_null_ids_and_queues_the_build(
    api, azure_service, developer, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post(AZURE, {"user_subscription_ids": [SUB_B, SUB_A.upper(), SUB_A]})
    assert answer.status_code == 200
    assert answer.json() == {
        "azure_service_alias": None,
        "azure_service_id": None,
        "state": "creating",
        "user_subscription_ids": [SUB_A, SUB_B],
    }
    link = PrivateLink.objects.get(service=azure_service)
    assert link.azure.service_alias == ""
    assert ("service", azure_service.pk) in queued
    event = AuditEvent.objects.get(action="privatelink.create")
    assert (event.actor, event.after) == (developer, {"user_subscription_ids": [SUB_A, SUB_B]})


def test_alias_and_id_are_shown_once_the_service_is_provisioned(api, azure_link):
    alias = "my-kafka-az.1b2c3d4e-0000-0000-0000-000000000000.westeurope.azure.privatelinkservice"
    service_id = (
        "/subscriptions/platform/resourceGroups/privatelink/providers/"
        "Microsoft.Network/privateLinkServices/pl-1"
    )
    azure_link.azure.save_changes(
        service_alias=alias, service_id=service_id, provisioning_state="Succeeded"
    )
    PrivateLink.objects.filter(pk=azure_link.pk).update(state=PrivateLink.State.ACTIVE)
    shown = api.get(AZURE).json()
    assert (shown["azure_service_alias"], shown["azure_service_id"]) == (alias, service_id)
    deleted = api.delete(AZURE).json()
    assert (deleted["state"], deleted["azure_service_alias"]) == ("deleting", alias)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b'{"user_subscription_ids": null}', "Give the allowed subscriptions (1 to 16"),
        (b'{"user_subscription_ids": []}', "Add --user-subscription-id"),
        (b'{"user_subscription_ids": "' + SUB_A.encode() + b'"}', "must be a list"),
        (b'{"user_subscription_ids": [12]}', "Each subscription must be an Azure subscription"),
        (b'{"user_subscription_ids": ["my-subscription"]}', "is not an Azure subscription id"),
        (b'{"user_subscription_ids": ["{' + SUB_A.encode() + b'}"]}', "give a GUID such as"),
        (b'{"principals": ["*"]}', "principals is not supported"),
    ],
)
def test_bad_create_body_gets_400_saying_what_to_fix(api, azure_service, raw, words):
    status, message, _ = error_of(api.post(AZURE, raw=raw))
    assert status == 400
    assert words in message
    assert not PrivateLink.objects.filter(service=azure_service).exists()


def test_more_than_sixteen_subscriptions_are_refused(api, azure_service):
    many = [f"00000000-0000-0000-0000-{n:012d}" for n in range(17)]
    status, message, error = error_of(api.post(AZURE, {"user_subscription_ids": many}))
    assert (status, error["field"]) == (400, "user_subscription_ids")
    assert "at most 16" in message


def test_each_cloud_has_its_own_privatelink_endpoint(api, service, azure_service):
    status, message, _ = error_of(
        api.post(
            "/v1/project/demo/service/my-kafka/privatelink/azure",
            {"user_subscription_ids": [SUB_A]},
        )
    )
    assert status == 400
    assert "avn service privatelink aws create" in message
    status, message, _ = error_of(api.post(f"{SERVICE}/privatelink/aws", {"principals": ["*"]}))
    assert status == 400
    assert "avn service privatelink azure create" in message
    assert not PrivateLink.objects.exists()


def test_an_azure_link_is_not_found_through_the_aws_path_and_the_other_way(
    api, azure_link, service
):
    assert "has no AWS PrivateLink" in error_of(api.get(f"{SERVICE}/privatelink/aws"))[1]
    assert error_of(api.delete(f"{SERVICE}/privatelink/aws"))[0] == 404
    api.post("/v1/project/demo/service/my-kafka/privatelink/aws", {"principals": ["*"]})
    answer = api.get("/v1/project/demo/service/my-kafka/privatelink/azure")
    assert "has no Azure PrivateLink" in error_of(answer)[1]


def test_update_replaces_the_list_and_an_unchanged_list_saves_nothing(api, azure_link, developer):
    generation = azure_link.generation
    answer = api.put(AZURE, {"user_subscription_ids": [SUB_B]}).json()
    assert answer["user_subscription_ids"] == [SUB_B]
    azure_link.refresh_from_db()
    assert (azure_link.principals, azure_link.generation) == ([SUB_B], generation + 1)
    event = AuditEvent.objects.get(action="privatelink.subscriptions")
    assert (event.before, event.after) == (
        {"user_subscription_ids": [SUB_A]},
        {"user_subscription_ids": [SUB_B]},
    )
    api.put(AZURE, {"user_subscription_ids": [SUB_B]})
    azure_link.refresh_from_db()
    assert azure_link.generation == generation + 1


def test_connections_list_the_platforms_states_with_the_endpoint_address(api, azure_link):
    waiting = _connection(azure_link, 1)
    in_use = _connection(azure_link, 2, state=PrivateLinkConnection.State.ACTIVE)
    in_use.save_changes(user_ip_address="10.1.0.5")
    _connection(azure_link, 3, state=PrivateLinkConnection.State.REJECTED)
    listed = api.get(f"{AZURE}/connections").json()["connections"]
    assert listed == [
        {
            "private_endpoint_id": waiting.endpoint_id,
            "privatelink_connection_id": waiting.privatelink_connection_id,
            "state": "pending-user-approval",
            "user_ip_address": "",
        },
        {
            "private_endpoint_id": in_use.endpoint_id,
            "privatelink_connection_id": in_use.privatelink_connection_id,
            "state": "active",
            "user_ip_address": "10.1.0.5",
        },
    ]


def test_approve_moves_a_waiting_connection_on_and_asks_for_a_reconcile(
    api, azure_link, developer, queued, django_capture_on_commit_callbacks
):
    waiting = _connection(azure_link, 1)
    generation = azure_link.generation
    path = f"{AZURE}/connections/{waiting.privatelink_connection_id}/approve"
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post(path).json()
    assert answer["state"] == "user-approved"
    waiting.refresh_from_db()
    azure_link.refresh_from_db()
    assert waiting.state == PrivateLinkConnection.State.USER_APPROVED
    assert azure_link.generation == generation + 1
    assert queued == [("service", azure_link.service_id)]
    event = AuditEvent.objects.get(action="privatelink.connection_approved")
    assert event.actor == developer
    # Approving again changes nothing.
    assert api.post(path).json()["state"] == "user-approved"
    assert AuditEvent.objects.filter(action="privatelink.connection_approved").count() == 1


def test_an_unknown_or_ended_connection_is_404(api, azure_link):
    rejected = _connection(azure_link, 1, state=PrivateLinkConnection.State.REJECTED)
    for connection_id in ("plc-nothing", rejected.privatelink_connection_id):
        status, message, _ = error_of(api.post(f"{AZURE}/connections/{connection_id}/approve"))
        assert status == 404
        assert "connection list" in message
        body = {"user_ip_address": "10.1.0.5"}
        assert error_of(api.put(f"{AZURE}/connections/{connection_id}", body))[0] == 404


def test_the_endpoint_address_is_taken_once_approved_and_republished_when_it_changes(
    api, azure_link
):
    connection = _connection(azure_link, 1)
    path = f"{AZURE}/connections/{connection.privatelink_connection_id}"
    status, message, _ = error_of(api.put(path, {"user_ip_address": "10.1.0.5"}))
    assert status == 409
    assert "approve it first" in message
    api.post(f"{path}/approve")
    answer = api.put(path, {"user_ip_address": " 10.1.0.5 "}).json()
    assert (answer["state"], answer["user_ip_address"]) == ("user-approved", "10.1.0.5")
    connection.refresh_from_db()
    connection.save_changes(state=PrivateLinkConnection.State.ACTIVE, dns_record_published=True)
    generation = PrivateLink.objects.get(pk=azure_link.pk).generation
    answer = api.put(path, {"user_ip_address": "10.1.0.6"}).json()
    assert (answer["state"], answer["user_ip_address"]) == ("connected", "10.1.0.6")
    connection.refresh_from_db()
    assert connection.dns_record_published is False
    assert PrivateLink.objects.get(pk=azure_link.pk).generation == generation + 1
    event = AuditEvent.objects.filter(action="privatelink.connection_address").latest("pk")
    assert (event.before, event.after["user_ip_address"]) == (
        {"user_ip_address": "10.1.0.5"},
        "10.1.0.6",
    )


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({}, "Give the private endpoint's IP address, for example --endpoint-ip-address"),
        ({"user_ip_address": 5}, "must be an IPv4 address string"),
        ({"user_ip_address": "10.1.0"}, "is not an IPv4 address"),
        ({"user_ip_address": "fd00::5"}, "is not an IPv4 address"),
        ({"user_ip_address": "8.8.8.8"}, "8.8.8.8 is not a private address"),
        ({"user_ip_address": "169.254.169.254"}, "is not a private address"),
    ],
)
def test_a_bad_endpoint_address_gets_400_and_keeps_the_old_one(api, azure_link, body, words):
    connection = _connection(azure_link, 1, state=PrivateLinkConnection.State.ACTIVE)
    connection.save_changes(user_ip_address="10.1.0.5")
    status, message, error = error_of(
        api.put(f"{AZURE}/connections/{connection.privatelink_connection_id}", body)
    )
    assert (status, error["field"]) == (400, "user_ip_address")
    assert words in message
    connection.refresh_from_db()
    assert connection.user_ip_address == "10.1.0.5"


def test_two_endpoints_cannot_share_an_address(api, azure_link):
    first = _connection(azure_link, 1, state=PrivateLinkConnection.State.ACTIVE)
    first.save_changes(user_ip_address="10.1.0.5")
    second = _connection(azure_link, 2, state=PrivateLinkConnection.State.CONNECTED)
    status, message, _ = error_of(
        api.put(
            f"{AZURE}/connections/{second.privatelink_connection_id}",
            {"user_ip_address": "10.1.0.5"},
        )
    )
    assert status == 409
    assert first.privatelink_connection_id in message
    second.refresh_from_db()
    assert second.user_ip_address is None


def test_outsiders_get_404_and_read_only_members_403(
    api, azure_link, outsider_token, read_only_token
):
    waiting = _connection(azure_link, 1)
    connection_path = f"{AZURE}/connections/{waiting.privatelink_connection_id}"
    outsider, viewer = api.as_token(outsider_token), api.as_token(read_only_token)
    for path in (AZURE, f"{AZURE}/connections"):
        assert error_of(outsider.get(path))[0] == 404
        assert viewer.get(path).status_code == 200
    writes = [
        ("post", AZURE, {"user_subscription_ids": [SUB_A]}),
        ("put", AZURE, {"user_subscription_ids": [SUB_B]}),
        ("delete", AZURE, None),
        ("post", f"{AZURE}/refresh", None),
        ("post", f"{connection_path}/approve", None),
        ("put", connection_path, {"user_ip_address": "10.1.0.5"}),
    ]
    for method, path, body in writes:
        for client, status in ((outsider, 404), (viewer, 403)):
            answer = client.send(method.upper(), path, body)
            assert error_of(answer)[0] == status, (method, path)
    waiting.refresh_from_db()
    azure_link.refresh_from_db()
    assert (waiting.state, azure_link.principals, azure_link.state) == (
        PENDING,
        [SUB_A],
        PrivateLink.State.CREATING,
    )


def test_an_azure_links_allow_list_takes_no_iam_principal_and_no_stale_edit(azure_link, developer):
    with pytest.raises(InvalidInput, match="avn service privatelink azure"):
        actions.add_principal(azure_link, "arn:aws:iam::012345678901:root", actor=developer)
    stale = azure_link.principals_digest
    azure_actions.edit_subscriptions(azure_link, lambda _: [SUB_B], actor=developer)
    with pytest.raises(azure_actions.StaleEdit):
        azure_actions.edit_subscriptions(
            azure_link, lambda current: [*current, SUB_A], actor=developer, expected_digest=stale
        )
    azure_link.refresh_from_db()
    assert azure_link.principals == [SUB_B]
