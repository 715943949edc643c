"""Pages cost at most 10 queries in all and fragments at most 3 of their own, whatever the
number of services, principals, connections and nodes.

A fragment request also pays 1 query that no view can avoid (the user; the session comes
from the cache) and 1 for the access check (the service with the viewer's membership and
the PrivateLink); the fragment budget is those plus its own 3. The exact counts are pinned
in test_polled_fragments.py.
"""

import re

import pytest

from console.audit_log import record
from console.models import ServiceNode
from tests.constants import HTMX
from tests.factories import ConnectionFactory, ListenerFactory, PrivateLinkFactory, ServiceFactory

LOGIN = 1
ACCESS = 1
PAGE_BUDGET = 10
FRAGMENT_BUDGET = 3 + LOGIN + ACCESS
SERVICE = "/projects/demo/services/my-kafka/"


@pytest.fixture(params=[1, 8], ids=["one", "many"])
def world(request, project, service):
    """The Kafka service with n nodes, n principals, n connections; n other services."""
    n = request.param
    for i in range(n):
        ServiceFactory(project=project, name=f"other-{i}", nodes=1)
    service.nodes.all().delete()
    for i in range(n):
        ServiceNode.objects.create(
            service=service,
            name=f"my-kafka-{i + 1}",
            private_ip=f"10.0.1.{10 + i}",
            availability_zone="eu-west-1a",
        )
    service.user_config = {"privatelink_access": {"kafka": True, "schema_registry": True}}
    service.save()
    link = PrivateLinkFactory(
        service=service, principals=[f"arn:aws:iam::111122223333:role/r{i}" for i in range(n)]
    )
    port = 10000
    for number in range(1, n + 1):
        connection = ConnectionFactory(privatelink=link, number=number, state="active")
        for node in service.nodes.all():
            ListenerFactory(
                privatelink=link, component="kafka", port=port, connection=connection, node=node
            )
            port += 1
    ListenerFactory(privatelink=link, component="schema_registry", port=12695)
    for i in range(n):
        record(f"event.{i}", project=project, service=service)
    return link


PAGES = [
    SERVICE,
    SERVICE + "privatelink/",
    SERVICE + "privatelink/delete",
    SERVICE + "activity",
    "/projects/demo/",
    "/projects/demo/services/new",
]
FRAGMENTS = [
    SERVICE + "privatelink/summary",
    SERVICE + "privatelink/connections",
    SERVICE + "connection-info?route=plc000010001",
    SERVICE + "privatelink-access",
]


@pytest.mark.parametrize("url", PAGES)
def test_page_stays_within_its_query_budget(
    developer_client, world, url, django_assert_max_num_queries
):
    with django_assert_max_num_queries(PAGE_BUDGET):
        response = developer_client.get(url)
    assert response.status_code == 200
    assert b"<html" in response.content


@pytest.mark.parametrize("url", FRAGMENTS)
def test_fragment_stays_within_its_query_budget(
    developer_client, world, url, django_assert_max_num_queries
):
    with django_assert_max_num_queries(FRAGMENT_BUDGET):
        response = developer_client.get(url, **HTMX)
    assert response.status_code == 200
    assert b"<html" not in response.content


@pytest.mark.parametrize("url", PAGES)
def test_page_has_no_inline_script_style_or_handler(developer_client, world, url):
    response = developer_client.get(url)
    html = response.content.decode()
    assert "script-src 'self' 'nonce-" in response["Content-Security-Policy"]
    assert re.search(r"<script(?![^>]*\bsrc=)", html) is None
    assert "<style" not in html
    assert re.search(r"\sstyle=", html) is None
    assert re.search(r"\son[a-z]+=", html) is None
