"""The worker keeps each thread's database connection from task to task, as the web keeps a
connection from request to request: Django's rule (CONN_MAX_AGE, CONN_HEALTH_CHECKS)
decides when it is closed, not Celery's Django fixup, which closed it around every task."""

from types import SimpleNamespace

import django.db
from celery.fixups.django import DjangoWorkerFixup

from console import celery


def test_celerys_django_fixup_never_closes_the_connection_around_tasks(monkeypatch):
    fixup = DjangoWorkerFixup(celery.app)
    closed = []
    monkeypatch.setattr(fixup, "_close_database", lambda: closed.append(True))

    for _ in range(1000):
        fixup.on_task_prerun(SimpleNamespace(request=SimpleNamespace(is_eager=False)))
        fixup.on_task_postrun(SimpleNamespace(request=SimpleNamespace(is_eager=False)))

    assert closed == []


def test_djangos_rule_runs_around_each_task_run_by_a_worker_but_not_an_eager_one(monkeypatch):
    ran = []
    monkeypatch.setattr(django.db, "close_old_connections", lambda: ran.append(True))

    celery.close_old_connections(task=SimpleNamespace(request=SimpleNamespace(is_eager=False)))
    assert ran == [True]
    celery.close_old_connections(task=SimpleNamespace(request=SimpleNamespace(is_eager=True)))
    assert ran == [True]
