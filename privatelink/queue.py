"""Putting reconcile work on the queue without ever failing or blocking a save.

When the broker is down the desired state is already committed; the periodic sweep
finds it unconverged and carries it out, so a publish error is logged, not raised.
"""

import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)


def _publish(send: Callable[[], object], what: str) -> bool:
    try:
        send()
    except Exception:
        # Broker errors come from kombu, redis, amqp or the OS depending on the transport.
        logger.exception("Could not queue %s; the sweep will carry it out", what)
        return False
    return True


def reconcile_service(service_id: int, countdown: float | None = None) -> bool:
    """Queue a reconcile of the service's PrivateLink; False if the broker refused it."""
    from privatelink.tasks import reconcile_service as task

    return _publish(
        lambda: task.apply_async((service_id,), countdown=countdown or 0),
        f"reconcile of service {service_id}",
    )


def reconcile_project_vpc(project_vpc_id: int, countdown: float | None = None) -> bool:
    """Queue the build of a Project VPC; False if the broker refused it."""
    from privatelink.tasks import reconcile_project_vpc as task

    return _publish(
        lambda: task.apply_async((project_vpc_id,), countdown=countdown or 0),
        f"reconcile of Project VPC {project_vpc_id}",
    )
