"""The client factory: one client per thread, configured from the settings alone, with a
stub token for the fake and Azure's own credential chain for Azure."""

import threading

import pytest
from azure.identity import DefaultAzureCredential
from django.core.exceptions import ImproperlyConfigured

from privatelink.clouds.azure import clients


def test_a_thread_keeps_its_client_and_another_thread_has_its_own(azure_settings):
    first = clients.network_client()
    others = []
    thread = threading.Thread(target=lambda: others.append(clients.network_client()))
    thread.start()
    thread.join()

    assert clients.network_client() is first
    assert others[0] is not first


def test_the_fake_is_reached_with_a_stub_token_trusting_its_certificate(azure_settings):
    client = clients.network_client()

    assert clients.mode() == "fake"
    assert isinstance(client._config.credential, clients.StubCredential)
    assert client._config.subscription_id == azure_settings.AZURE_SUBSCRIPTION_ID
    # Polls every AZURE_POLLING_INTERVAL, not the SDK's 30 s.
    assert client._config.polling_interval == azure_settings.AZURE_POLLING_INTERVAL
    assert client._config.retry_policy.total_retries == azure_settings.AZURE_MAX_RETRIES
    connection = client._client._pipeline._transport.connection_config
    assert connection.verify == azure_settings.AZURE_CERTIFICATE
    assert (connection.timeout, connection.read_timeout) == (
        azure_settings.AZURE_CONNECT_TIMEOUT,
        azure_settings.AZURE_READ_TIMEOUT,
    )


def test_changed_settings_make_a_new_client(azure_settings):
    first = clients.network_client()
    azure_settings.AZURE_POLLING_INTERVAL = 3

    second = clients.network_client()

    assert second is not first
    assert second._config.polling_interval == 3


def test_azure_itself_is_reached_with_azures_credential_chain(azure_settings):
    azure_settings.AZURE_ENDPOINT_URL = ""

    client = clients.network_client()

    assert clients.mode() == "azure"
    assert isinstance(client._config.credential, DefaultAzureCredential)
    assert client._config.base_url.rstrip("/") == "https://management.azure.com"


def test_without_a_subscription_the_gateway_says_what_is_missing(azure_settings):
    azure_settings.AZURE_SUBSCRIPTION_ID = ""

    with pytest.raises(ImproperlyConfigured, match="AZURE_SUBSCRIPTION_ID"):
        clients.network_client()
