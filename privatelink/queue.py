"""Putting reconcile work on the queue without ever failing or blocking a save.

Tasks are published by name, so this module needs nothing from privatelink.tasks (which
queues follow-up runs through it). When the broker is down the desired state is already
committed; the periodic sweep finds it unconverged and carries it out, so a publish
error is logged, not raised.
"""

import logging

from kombu.exceptions import OperationalError

from console.celery import app

# The names the worker knows the tasks by (privatelink.tasks registers them).
RECONCILE_SERVICE = "privatelink.reconcile_service"
RECONCILE_PROJECT_VPC = "privatelink.reconcile_project_vpc"
SWEEP = "privatelink.sweep"

logger = logging.getLogger(__name__)


def _publish(task_name: str, object_id: int, countdown: float | None, what: str) -> bool:
    try:
        app.send_task(task_name, (object_id,), countdown=countdown or 0)
    except (OperationalError, OSError):
        # Celery reports an unreachable broker as kombu's OperationalError, whatever the
        # transport; the filesystem transport can also fail with a plain OSError.
        logger.exception("Could not queue %s; the sweep will carry it out", what)
        return False
    return True


def reconcile_service(service_id: int, countdown: float | None = None) -> bool:
    """Queue a reconcile of the service's PrivateLink; False if the broker refused it."""
    return _publish(RECONCILE_SERVICE, service_id, countdown, f"reconcile of service {service_id}")


def reconcile_project_vpc(project_vpc_id: int, countdown: float | None = None) -> bool:
    """Queue the build of a Project VPC; False if the broker refused it."""
    return _publish(
        RECONCILE_PROJECT_VPC,
        project_vpc_id,
        countdown,
        f"reconcile of Project VPC {project_vpc_id}",
    )
