"""Many browsers polling status fragments at once: every poll is answered, none fails.

FAULTS_POLL_CLIENTS (default 200) clients poll for FAULTS_POLL_SECONDS (default 5 here;
`make bench` runs the same load for 60 s against gunicorn) against a live server.
"""

import os
import threading
import time
import urllib.error
import urllib.request
from collections import Counter

import pytest
from django.db import connection

from privatelink.models import PrivateLink

CLIENTS = int(os.environ.get("FAULTS_POLL_CLIENTS", "200"))
SECONDS = float(os.environ.get("FAULTS_POLL_SECONDS", "5"))
POLL_INTERVAL = 2.0  # the fragments' hx-trigger="every 2s"
# Django's live server starts a thread, and so a database connection, per request; a
# production server has a bounded pool of workers and queues the rest. At most this many
# requests are in flight, the others wait their turn, as they would in gunicorn's backlog.
IN_FLIGHT = int(os.environ.get("FAULTS_POLL_IN_FLIGHT", "20"))
_in_flight = threading.BoundedSemaphore(IN_FLIGHT)
SERVICE = "/projects/demo/services/my-kafka/"
FRAGMENTS = (SERVICE + "privatelink/summary", SERVICE + "privatelink/connections")


@pytest.fixture
def polled_privatelink(service):
    # Creating: the state in which browsers keep polling.
    return PrivateLink.objects.create(
        service=service,
        principals=["arn:aws:iam::111122223333:role/app"],
        state=PrivateLink.State.CREATING,
    )


def _poll(base: str, cookie: str, path: str, until: float, outcomes: Counter, lock) -> None:
    request = urllib.request.Request(base + path, headers={"Cookie": cookie, "HX-Request": "true"})
    while True:  # at least one poll each, however late the thread starts
        started = time.monotonic()
        try:
            with _in_flight, urllib.request.urlopen(request, timeout=120) as response:
                body = response.read()
                outcome = f"{response.status} {'fragment' if b'<html' not in body else 'page'}"
        except urllib.error.HTTPError as exc:
            outcome = f"{exc.code} error"
        except OSError as exc:
            outcome = f"{type(exc).__name__}"
        with lock:
            outcomes[outcome] += 1
        if time.monotonic() >= until:
            return
        time.sleep(max(0.0, POLL_INTERVAL - (time.monotonic() - started)))


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="Django's live server shares the in-memory SQLite test database's one connection "
    "between all its threads; the PostgreSQL run of the suite covers this test",
)
@pytest.mark.django_db(transaction=True)
def test_two_hundred_clients_polling_status_fragments_get_only_fragments(
    live_server, client, developer, polled_privatelink
):
    client.force_login(developer)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()
    until = time.monotonic() + SECONDS
    pollers = [
        threading.Thread(
            target=_poll,
            args=(live_server.url, cookie, FRAGMENTS[i % 2], until, outcomes, lock),
            daemon=True,
        )
        for i in range(CLIENTS)
    ]
    for poller in pollers:
        poller.start()
    for poller in pollers:
        poller.join(timeout=SECONDS + 120)

    print(f"\n{CLIENTS} clients for {SECONDS:g} s: {dict(outcomes)}")
    assert not any(poller.is_alive() for poller in pollers)
    assert sum(outcomes.values()) >= CLIENTS
    assert set(outcomes) == {"200 fragment"}
