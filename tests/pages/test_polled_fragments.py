"""Polled fragments and the Service Overview page: exact query counts at N=1 and N=100, 304
for a poll that finds nothing new, and the security properties kept (revocable sessions,
the one access check, 404 for outsiders).

Login costs one query (the user; the session comes from the cache), the access check one
(the service, the viewer's membership and the PrivateLink together). An unchanged poll
costs none: its 304 comes from change tokens in the cache (console.changes).
"""

import pytest
from django.contrib.sessions.backends.cached_db import SessionStore

from console.models import Membership, ServiceNode
from privatelink.models import Listener, PrivateLink, PrivateLinkConnection
from tests.constants import HTMX
from tests.factories import (
    ConnectionFactory,
    ListenerFactory,
    PrivateLinkFactory,
    ServiceFactory,
)

SERVICE = "/projects/demo/services/my-kafka/"
STATUS = SERVICE + "privatelink/summary"
CONNECTIONS = SERVICE + "privatelink/connections"
CONNECTION_INFO = SERVICE + "connection-info?route=plc000010001"
ACCESS = SERVICE + "privatelink-access"
POLLED = [STATUS, CONNECTIONS, CONNECTION_INFO, ACCESS]


@pytest.fixture(params=[1, 100], ids=["N=1", "N=100"])
def world(request, project, service):
    """The Kafka service with n nodes, principals, connections and other services; one
    listener per broker of the first connection and the schema registry's, all healthy."""
    n = request.param
    for i in range(n):
        ServiceFactory(project=project, name=f"other-{i}", nodes=0)
    service.nodes.all().delete()
    nodes = ServiceNode.objects.bulk_create(
        ServiceNode(
            service=service,
            name=f"my-kafka-{i + 1}",
            private_ip=f"10.0.{1 + i // 200}.{10 + i % 200}",
            availability_zone="eu-west-1a",
        )
        for i in range(n)
    )
    service.user_config = {"privatelink_access": {"kafka": True, "schema_registry": True}}
    service.save()
    link = PrivateLinkFactory(
        service=service, principals=[f"arn:aws:iam::111122223333:role/r{i}" for i in range(n)]
    )
    connections = [
        ConnectionFactory(privatelink=link, number=number, state="active")
        for number in range(1, n + 1)
    ]
    Listener.objects.bulk_create(
        [
            ListenerFactory.build(privatelink=link, connection=connections[0], node=node, port=port)
            for port, node in enumerate(nodes, start=10000)
        ]
        + [ListenerFactory.build(privatelink=link, component="schema_registry", port=12695)]
    )
    return link


@pytest.fixture
def developer_client(developer_client, world):
    """A browser that opened the page first, so it holds the CSRF cookie fragments' forms use."""
    developer_client.get(SERVICE + "privatelink/")
    return developer_client


def _poll(client, url, etag=None):
    headers = dict(HTMX)
    if etag:
        headers["HTTP_IF_NONE_MATCH"] = etag
    return client.get(url, **headers)


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        (STATUS, 3),  # user; service + membership + PrivateLink; the brokers' ports to open
        (CONNECTIONS, 3),  # ... + the connections
        (CONNECTION_INFO, 4),  # ... + connections and listeners of the routes
        (ACCESS, 5),  # ... + routes, + the node and connection counts of the listener budget
    ],
)
def test_a_rendered_fragment_costs_a_fixed_number_of_queries(
    developer_client, world, url, queries, django_assert_num_queries
):
    with django_assert_num_queries(queries):
        response = _poll(developer_client, url)
    assert response.status_code == 200
    assert response["ETag"]


@pytest.mark.parametrize("url", POLLED)
def test_an_unchanged_poll_answers_304_without_a_query(
    developer_client, world, url, django_assert_num_queries
):
    etag = _poll(developer_client, url)["ETag"]
    with django_assert_num_queries(0):
        response = _poll(developer_client, url, etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert "no-cache" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # user; service + membership + PrivateLink + the service users' names; nodes; live
        # connections; listeners (the listener budget counts the nodes and connections
        # those read)
        (SERVICE, 5),
        # user; service + membership + PrivateLink; the brokers' ports to open; connections
        (SERVICE + "privatelink/", 4),
    ],
)
def test_pages_cost_a_fixed_number_of_queries(
    developer_client, world, url, queries, django_assert_num_queries
):
    with django_assert_num_queries(queries):
        response = developer_client.get(url)
    assert response.status_code == 200
    assert b"my-kafka" in response.content


def _change_state(link):
    PrivateLink.objects.filter(pk=link.pk).update(observed_generation=0)


def _change_connection(link):
    row = link.connections.get(number=1)
    row.state = PrivateLinkConnection.State.REJECTED
    row.save(update_fields=["state", "updated"])


def _drop_listener(link):
    link.listeners.filter(component="schema_registry").delete()


def _change_user_config(link):
    service = link.service
    service.user_config = {"privatelink_access": {"kafka": True}}
    service.save(update_fields=["user_config"])


def _demote_viewer(link):
    Membership.objects.filter(user__email="dev@example.com").update(role="read_only")


def _demote_viewer_by_saving(link):
    membership = Membership.objects.get(user__email="dev@example.com")
    membership.role = "read_only"
    membership.save()


def _add_node(link):
    ServiceNode.objects.create(
        service=link.service, name="my-kafka-9", private_ip="10.0.9.9", availability_zone="b"
    )


def _change_listener_health(link):
    link.listeners.filter(component="schema_registry").update(health="unhealthy")


ROW_CHANGES = [_change_state, _change_user_config, _demote_viewer, _demote_viewer_by_saving]
CHILD_CHANGES = [_change_connection, _drop_listener, _add_node, _change_listener_health]


# What invalidates a poll does not depend on N: one row of everything is enough here.
ONE = pytest.mark.parametrize("world", [1], indirect=True, ids=["N=1"])


@ONE
@pytest.mark.parametrize(
    ("url", "change"),
    [(url, change) for url in POLLED for change in ROW_CHANGES]
    # The status fragment shows the PrivateLink row alone: its children do not concern it.
    + [(url, change) for url in POLLED if url != STATUS for change in CHILD_CHANGES],
)
def test_a_poll_after_a_change_renders_again(
    developer_client, world, url, change, django_capture_on_commit_callbacks
):
    etag = _poll(developer_client, url)["ETag"]
    assert _poll(developer_client, url, etag).status_code == 304
    # The change token is replaced when the change commits, as in production.
    with django_capture_on_commit_callbacks(execute=True):
        change(world)
    response = _poll(developer_client, url, etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert response.content


@ONE
@pytest.mark.parametrize("url", POLLED)
def test_a_removed_member_gets_404_at_once_even_with_a_current_etag(
    developer_client, world, url, django_capture_on_commit_callbacks
):
    etag = _poll(developer_client, url)["ETag"]
    assert _poll(developer_client, url, etag).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        Membership.objects.filter(user__email="dev@example.com").delete()
    response = _poll(developer_client, url, etag)
    assert response.status_code == 404
    assert "ETag" not in response


@ONE
@pytest.mark.parametrize("url", POLLED)
def test_a_poll_is_never_answered_from_a_decision_kept_for_another_session(
    client, developer, world, url, django_capture_on_commit_callbacks
):
    client.force_login(developer)
    client.get(SERVICE)  # the open page, whose polls then carry an ETag
    etag = _poll(client, url)["ETag"]
    # A password change keeps the session it was made in, and ends the others.
    with django_capture_on_commit_callbacks(execute=True):
        developer.set_password("a new password, long enough")
        developer.save()
    response = _poll(client, url, etag)
    assert response["HX-Redirect"].startswith("/accounts/login/")


@ONE
@pytest.mark.parametrize("url", POLLED)
def test_an_outsider_holding_a_valid_etag_still_gets_404(client, developer, outsider, world, url):
    client.force_login(developer)
    client.get(SERVICE)
    etag = _poll(client, url)["ETag"]
    client.force_login(outsider)
    assert _poll(client, url, etag).status_code == 404


@ONE
@pytest.mark.parametrize("url", POLLED)
def test_a_revoked_session_is_refused_even_though_it_was_cached(client, developer, world, url):
    client.force_login(developer)
    assert _poll(client, url).status_code == 200
    # What logging out or an admin flushing the session does: the cache entry goes too.
    SessionStore(session_key=client.session.session_key).delete()
    response = _poll(client, url)
    # Sent to log in (htmx follows HX-Redirect with the whole page); nothing of the fragment.
    assert response["HX-Redirect"].startswith("/accounts/login/")
    assert b"my-kafka" not in response.content


@pytest.fixture
def cache_round_trips(monkeypatch) -> list[str]:
    """Each read of the shared cache, in order (the session's included: it is kept there);
    a get_many counts once, though the test cache answers it key by key."""
    from django.core.cache import cache

    made: list[str] = []
    inside: list[bool] = []
    for name in ("get", "get_many"):
        read = getattr(cache, name)

        def counted(*args, _read=read, _name=name, **kwargs):
            if not inside:
                made.append(_name)
            inside.append(True)
            try:
                return _read(*args, **kwargs)
            finally:
                inside.pop()

        monkeypatch.setattr(cache, name, counted)
    return made


@ONE
@pytest.mark.parametrize("url", POLLED)
def test_an_unchanged_poll_costs_the_session_and_one_more_round_trip_to_the_cache(
    developer_client, world, url, cache_round_trips
):
    etag = _poll(developer_client, url)["ETag"]
    cache_round_trips.clear()

    response = _poll(developer_client, url, etag)

    assert response.status_code == 304
    assert cache_round_trips == ["get", "get_many"]


@ONE
def test_a_service_made_again_under_the_same_name_is_never_answered_from_the_old_ones_tokens(
    developer_client, world, project, django_capture_on_commit_callbacks
):
    before = _poll(developer_client, STATUS)
    etag = before["ETag"]
    assert _poll(developer_client, STATUS, etag).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        world.service.delete()
        ServiceFactory(project=project, name="my-kafka", nodes=1)

    response = _poll(developer_client, STATUS, etag)

    # Rendered for the new service (which has no PrivateLink yet), then polled as usual.
    assert response.status_code == 200
    assert response.get("ETag") != etag
    assert response.content != before.content
    assert _poll(developer_client, STATUS, etag).status_code == 200
