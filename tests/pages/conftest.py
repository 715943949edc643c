"""Fixtures of the page tests: clients signed in as a read-only member and as an outsider."""

import pytest


@pytest.fixture
def read_only_client(client, read_only_user):
    client.force_login(read_only_user)
    return client


@pytest.fixture
def outsider_client(client, outsider):
    client.force_login(outsider)
    return client
