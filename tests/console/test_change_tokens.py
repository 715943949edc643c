"""A service's change token (console.changes) is replaced when the change is made and again
once its transaction commits. A change made outside any transaction, as a reconcile run's
writes are, is committed as it is made: both replacements would come at that same moment,
so it is replaced once."""

import pytest
from django.db import transaction

from console import changes

KEY = changes.service_key(7)


@pytest.fixture
def token_writes(monkeypatch) -> list[str]:
    """The keys the change tokens are written under, in order; the cache still written."""
    writes: list[str] = []
    real = changes.cache

    class Recording:
        def set(self, key, value, timeout=None):
            writes.append(key)
            real.set(key, value, timeout)

        def __getattr__(self, name):
            return getattr(real, name)

    monkeypatch.setattr(changes, "cache", Recording())
    return writes


@pytest.mark.django_db(transaction=True)
def test_a_change_outside_a_transaction_replaces_the_token_once(token_writes):
    before = changes.current(KEY)

    changes.service_changed(7)

    assert token_writes == [KEY]
    assert changes.current(KEY) != before


@pytest.mark.django_db(transaction=True)
def test_a_change_in_a_transaction_replaces_it_at_once_and_again_on_commit(token_writes):
    with transaction.atomic():
        changes.service_changed(7)
        during = changes.current(KEY)
        assert token_writes == [KEY]

    assert token_writes == [KEY, KEY]
    assert changes.current(KEY) != during
