"""The Celery application, configured from Django settings (CELERY_* names)."""

import os
import sys
from typing import Any

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "console.settings")

app = Celery("console")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Celery's Django fixup closes the running thread's database connection before and after
# every task unless this is set: each reconcile of the threads pool (a handful of queries)
# then opened a PostgreSQL connection of its own. The fixup now never closes them, and
# Django's own rule closes them as after a web request (below).
app.conf["CELERY_DB_REUSE_MAX"] = sys.maxsize
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def close_old_connections(task: Any = None, **kwargs: Any) -> None:
    """Around each task, as around each web request: the thread's connection is closed once
    older than CONN_MAX_AGE or broken, and checked before its next use
    (CONN_HEALTH_CHECKS). A task run eagerly is inside its caller's transaction: left be."""
    if task is not None and getattr(task.request, "is_eager", False):
        return
    from django.db import close_old_connections as close_if_old

    close_if_old()
