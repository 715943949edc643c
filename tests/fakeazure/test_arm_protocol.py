"""ARM's protocol as the SDK meets it: long-running operations (201 + Azure-AsyncOperation,
202 + Location), provisioning states under delays, throttling, errors, and the two SDK
pitfalls of a local ARM (bearer tokens over plain HTTP, the 30 s polling interval)."""

import json
import ssl
import time
import urllib.error
import urllib.request

import pytest
from azure.core.exceptions import HttpResponseError, ServiceRequestError
from azure.core.pipeline.policies import SansIOHTTPPolicy
from azure.mgmt.network.models import VirtualNetwork

from fakeazure.pytest_plugin import PLATFORM_SUBSCRIPTION
from fakeazure.sdk import StubCredential
from tests.fakeazure.conftest import GROUP, LOCATION, group_path

NETWORK = VirtualNetwork(
    {"location": LOCATION, "properties": {"addressSpace": {"addressPrefixes": ["10.30.0.0/16"]}}}
)


class Recorder(SansIOHTTPPolicy):
    """Keeps every request and response the SDK sends and gets."""

    def __init__(self):
        self.exchanges = []

    def on_response(self, request, response):
        http = response.http_response
        self.exchanges.append(
            (
                request.http_request.method,
                request.http_request.url,
                http.status_code,
                dict(http.headers),
            )
        )


def test_a_put_answers_201_with_an_async_operation_the_sdk_polls_to_success(fake_azure):
    recorder = Recorder()
    client = fake_azure.client(per_retry_policies=[recorder])

    network = client.virtual_networks.begin_create_or_update(GROUP, "vnet", NETWORK).result()

    assert network.provisioning_state == "Succeeded"
    method, url, status, headers = recorder.exchanges[0]
    assert (method, status) == ("PUT", 201)
    assert "api-version=2026-03-01" in url
    operation_url = headers["Azure-AsyncOperation"]
    provider = f"/subscriptions/{PLATFORM_SUBSCRIPTION}/providers/Microsoft.Network"
    assert f"{provider}/locations/westeurope/operations/" in operation_url
    assert [(m, s) for m, u, s, h in recorder.exchanges[1:]] == [("GET", 200), ("GET", 200)]
    assert recorder.exchanges[1][1] == operation_url


def test_an_update_answers_200_and_keeps_the_resource_guid(fake_azure):
    recorder = Recorder()
    client = fake_azure.client(per_retry_policies=[recorder])
    first = client.virtual_networks.begin_create_or_update(GROUP, "vnet", NETWORK).result()

    second = client.virtual_networks.begin_create_or_update(GROUP, "vnet", NETWORK).result()

    puts = [status for method, _, status, _ in recorder.exchanges if method == "PUT"]
    assert puts == [201, 200]
    assert second.resource_guid == first.resource_guid
    assert second.etag != first.etag


def test_a_delete_answers_202_with_a_location_the_sdk_polls_until_204(fake_azure):
    recorder = Recorder()
    client = fake_azure.client(per_retry_policies=[recorder])
    client.virtual_networks.begin_create_or_update(GROUP, "vnet", NETWORK).result()
    recorder.exchanges.clear()

    client.virtual_networks.begin_delete(GROUP, "vnet").result()

    method, _, status, headers = recorder.exchanges[0]
    assert (method, status) == ("DELETE", 202)
    assert "/operationResults/" in headers["Location"]
    assert recorder.exchanges[-1][2] == 204
    assert fake_azure.resources() == []


def test_under_a_delay_a_resource_is_updating_then_succeeded(fake_azure):
    fake_azure.set_delays(provisioning=0.5)
    client = fake_azure.client(polling_interval=0.1)

    poller = client.virtual_networks.begin_create_or_update(GROUP, "vnet", NETWORK)
    during = client.virtual_networks.get(GROUP, "vnet").provisioning_state
    network = poller.result()

    assert during == "Updating"
    assert network.provisioning_state == "Succeeded"


def test_under_a_delay_a_deleted_resource_is_deleting_then_gone(fake_azure):
    client = fake_azure.client(polling_interval=0.1)
    client.virtual_networks.begin_create_or_update(GROUP, "vnet", NETWORK).result()
    fake_azure.set_delays(deletion=0.5)

    poller = client.virtual_networks.begin_delete(GROUP, "vnet")
    during = client.virtual_networks.get(GROUP, "vnet").provisioning_state
    poller.result()

    assert during == "Deleting"
    assert fake_azure.resources() == []


def test_a_write_over_a_put_still_running_is_refused_409_until_it_is_over(fake_azure):
    fake_azure.set_delays(provisioning=0.5)
    client = fake_azure.client(polling_interval=0.1)
    poller = client.virtual_networks.begin_create_or_update(GROUP, "vnet", NETWORK)

    with pytest.raises(HttpResponseError) as put:
        client.virtual_networks.begin_create_or_update(GROUP, "vnet", NETWORK)
    with pytest.raises(HttpResponseError) as delete:
        client.virtual_networks.begin_delete(GROUP, "vnet")

    for refusal in (put.value, delete.value):
        assert (refusal.status_code, refusal.error.code) == (409, "AnotherOperationInProgress")
    poller.result()
    client.virtual_networks.begin_delete(GROUP, "vnet").result()
    assert fake_azure.resources() == []


def test_a_429_with_retry_after_is_retried_by_the_sdk(fake_azure):
    recorder = Recorder()
    client = fake_azure.client(per_retry_policies=[recorder])
    fake_azure.throttle(requests=2, retry_after=1)
    started = time.monotonic()

    network = client.virtual_networks.begin_create_or_update(GROUP, "vnet", NETWORK).result()

    assert network.provisioning_state == "Succeeded"
    statuses = [status for _, _, status, _ in recorder.exchanges]
    assert statuses[:3] == [429, 429, 201]
    assert recorder.exchanges[0][3]["Retry-After"] == "1"
    assert time.monotonic() - started >= 2  # the SDK waited as told


def test_a_throttled_answer_has_arms_error_shape(fake_azure):
    fake_azure.throttle(requests=1, retry_after=7)

    status, headers, body = raw_get(
        fake_azure,
        f"{group_path()}/virtualNetworks?api-version=2026-03-01",
    )

    assert status == 429
    assert headers["Retry-After"] == "7"
    assert body["error"]["code"] == "SubscriptionRequestsThrottled"


def test_an_injected_failure_answers_only_the_requests_it_names(fake_azure):
    collection = f"{group_path()}/virtualNetworks?api-version=2026-03-01"
    fake_azure.fail(1, 409, "AnotherOperationInProgress", "busy", path="/loadBalancers")

    assert raw_get(fake_azure, collection)[0] == 200
    status, _, body = raw_get(fake_azure, f"{group_path()}/loadBalancers?api-version=2026-03-01")
    assert status == 409
    assert body["error"] == {"code": "AnotherOperationInProgress", "message": "busy"}
    assert raw_get(fake_azure, f"{group_path()}/loadBalancers?api-version=2026-03-01")[0] == 200


def test_a_failure_without_an_error_status_is_refused(fake_azure):
    with pytest.raises(urllib.error.HTTPError) as refusal:
        fake_azure.fail(1, 200, "Fine")

    assert refusal.value.code == 400


def test_a_put_over_a_stale_etag_is_refused_with_412(fake_azure):
    client = fake_azure.client()
    first = client.virtual_networks.begin_create_or_update(GROUP, "vnet", NETWORK).result()
    client.virtual_networks.begin_create_or_update(GROUP, "vnet", NETWORK).result()

    with pytest.raises(HttpResponseError) as refusal:
        client.virtual_networks.begin_create_or_update(
            GROUP, "vnet", NETWORK, headers={"If-Match": first.etag}
        )

    assert (refusal.value.status_code, refusal.value.error.code) == (412, "PreconditionFailed")
    current = client.virtual_networks.get(GROUP, "vnet")
    updated = client.virtual_networks.begin_create_or_update(
        GROUP, "vnet", NETWORK, headers={"If-Match": current.etag}
    ).result()
    assert updated.etag != current.etag


def test_a_request_without_api_version_or_token_is_refused_in_arms_shape(fake_azure):
    path = f"{group_path()}/virtualNetworks"

    assert raw_get(fake_azure, path)[2]["error"]["code"] == "MissingApiVersionParameter"
    status, _, body = raw_get(fake_azure, path + "?api-version=2026-03-01", token=None)
    assert (status, body["error"]["code"]) == (401, "AuthenticationFailed")


def test_an_unknown_delay_is_refused_naming_the_known_ones(fake_azure):
    with pytest.raises(urllib.error.HTTPError) as refusal:
        fake_azure.set_delays(provisionning=3)

    message = json.loads(refusal.value.read())["error"]
    assert "unknown delay provisionning" in message
    assert "api_call, deletion, provisioning" in message
    assert fake_azure.delays()["provisioning"] == 0


def test_a_missing_resource_is_a_404_the_sdk_raises_as_not_found(fake_azure):
    with pytest.raises(HttpResponseError) as refusal:
        fake_azure.client().load_balancers.get(GROUP, "missing")

    assert refusal.value.status_code == 404
    assert refusal.value.error.code == "ResourceNotFound"


def test_the_sdk_refuses_to_send_a_bearer_token_over_plain_http(fake_azure):
    from azure.mgmt.network import NetworkManagementClient

    plain = fake_azure.endpoint_url.replace("https://", "http://")
    client = NetworkManagementClient(
        StubCredential(), PLATFORM_SUBSCRIPTION, base_url=plain, retry_total=0
    )

    with pytest.raises(ServiceRequestError, match="non-TLS"):
        client.virtual_networks.get(GROUP, "vnet")


def test_the_sdk_refuses_the_fakes_certificate_unless_told_to_trust_it(fake_azure):
    from azure.mgmt.network import NetworkManagementClient

    client = NetworkManagementClient(
        StubCredential(), PLATFORM_SUBSCRIPTION, base_url=fake_azure.endpoint_url, retry_total=0
    )

    with pytest.raises(ServiceRequestError, match="CERTIFICATE_VERIFY_FAILED"):
        client.virtual_networks.get(GROUP, "vnet")


def test_the_sdks_default_polling_waits_30_seconds_after_a_resource_is_ready(fake_azure):
    fake_azure.set_delays(provisioning=0.2)
    from azure.mgmt.network import NetworkManagementClient

    default = NetworkManagementClient(
        StubCredential(),
        PLATFORM_SUBSCRIPTION,
        base_url=fake_azure.endpoint_url,
        connection_verify=str(fake_azure.certificate),
    )
    slow = default.virtual_networks.begin_create_or_update(GROUP, "slow", NETWORK)
    fast = fake_azure.client(polling_interval=0.05).virtual_networks.begin_create_or_update(
        GROUP, "fast", NETWORK
    )

    assert fast.result(timeout=5).provisioning_state == "Succeeded"
    slow.wait(timeout=1.5)
    assert default.virtual_networks.get(GROUP, "slow").provisioning_state == "Succeeded"
    assert not slow.done()  # still asleep in its 30 s interval
    assert slow.polling_method()._timeout == 30


def raw_get(fake_azure, path, token="fake"):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    request = urllib.request.Request(fake_azure.endpoint_url + path, headers=headers)
    context = ssl.create_default_context(cafile=str(fake_azure.certificate))
    try:
        with urllib.request.urlopen(request, timeout=10, context=context) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())
