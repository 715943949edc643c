"""Putting reconcile work on the queue without ever failing or blocking a save.

Tasks are published by name, so this module needs nothing from privatelink.tasks (which
queues follow-up runs through it). Each goes to the queue of the cloud provider whose
PrivateLink or Project VPC it carries out (settings.CLOUD_QUEUES), so that a worker can
serve one cloud. When the broker is down the desired state is already committed; the
periodic sweep finds it unconverged and carries it out, so a publish error is logged, not
raised.
"""

import logging

from django.conf import settings
from kombu.exceptions import OperationalError

from console import catalog
from console.celery import app

# The names the worker knows the tasks by (privatelink.tasks registers them).
RECONCILE_SERVICE = "privatelink.reconcile_service"
RECONCILE_PROJECT_VPC = "privatelink.reconcile_project_vpc"
SWEEP = "privatelink.sweep"

logger = logging.getLogger(__name__)


def provider_of(cloud: str) -> str:
    """The provider whose queue serves a catalog cloud ("aws-eu-west-1" -> "aws")."""
    return catalog.get_cloud(cloud).provider


def queue_of(provider: str | None) -> str:
    """The queue of a provider's work; the default queue for a provider unknown (a task
    published before the queues were split, which named none)."""
    return settings.CLOUD_QUEUES.get(provider or "", settings.CELERY_TASK_DEFAULT_QUEUE)


def _publish(
    task_name: str,
    args: tuple[object, ...],
    provider: str | None,
    countdown: float | None,
    what: str,
) -> bool:
    try:
        app.send_task(task_name, args, countdown=countdown or 0, queue=queue_of(provider))
    except (OperationalError, OSError):
        # Celery reports an unreachable broker as kombu's OperationalError, whatever the
        # transport; the filesystem transport can also fail with a plain OSError.
        logger.exception("Could not queue %s; the sweep will carry it out", what)
        return False
    return True


def reconcile_service(
    service_id: int, provider: str | None, countdown: float | None = None
) -> bool:
    """Queue a reconcile of the service's PrivateLink on its provider's queue; False if the
    broker refused it."""
    return _publish(
        RECONCILE_SERVICE,
        (service_id, provider),
        provider,
        countdown,
        f"reconcile of service {service_id}",
    )


def reconcile_project_vpc(
    project_vpc_id: int, provider: str | None, countdown: float | None = None
) -> bool:
    """Queue the build of a Project VPC on its provider's queue; False if the broker
    refused it."""
    return _publish(
        RECONCILE_PROJECT_VPC,
        (project_vpc_id, provider),
        provider,
        countdown,
        f"reconcile of Project VPC {project_vpc_id}",
    )


def sweep(provider: str) -> bool:
    """Queue a sweep of one provider's PrivateLinks on its queue."""
    return _publish(SWEEP, (provider,), provider, None, f"sweep of {provider}")
