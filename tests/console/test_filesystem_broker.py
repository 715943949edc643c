"""The broker of `make run` (kombu's filesystem transport) never hands a worker a message
that is still being written: kombu's own transport let a worker take the empty file,
fail to decode it and stop."""

import contextlib
from queue import Empty

import pytest
from django.conf import settings
from kombu import Connection

from console import filesystem_broker

QUEUE = "celery"


@pytest.fixture
def channel(tmp_path):
    folder = tmp_path / "broker"
    folder.mkdir()
    options = {
        "data_folder_in": str(folder),
        "data_folder_out": str(folder),
        "control_folder": str(tmp_path / "control"),
        "store_processed": False,
    }
    with Connection(
        "filesystem://", transport=filesystem_broker.Transport, transport_options=options
    ) as connection:
        yield connection.default_channel


def test_the_embedded_broker_uses_the_transport_that_writes_messages_whole():
    transport = getattr(settings, "CELERY_BROKER_TRANSPORT", None)
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        assert transport == "console.filesystem_broker:Transport"
    else:
        # A broker server (Redis, RabbitMQ) keeps the transport its URL names.
        assert transport is None


def test_a_message_being_written_is_not_taken_and_once_written_it_is(channel, monkeypatch):
    seen_while_writing = []
    dumps = filesystem_broker.dumps

    def dumps_after_a_look(payload):
        # The message's file is open, nothing written yet: what does a worker take now?
        with contextlib.suppress(Empty):
            seen_while_writing.append(channel._get(QUEUE))
        return dumps(payload)

    monkeypatch.setattr(filesystem_broker, "dumps", dumps_after_a_look)
    channel._put(QUEUE, {"body": "reconcile"})

    assert seen_while_writing == []
    assert channel._get(QUEUE) == {"body": "reconcile"}
    with pytest.raises(Empty):
        channel._get(QUEUE)
