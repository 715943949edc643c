"""Celery tasks: thin wrappers that hand ids to the reconciler and retry transient AWS errors."""

from celery import shared_task

from privatelink import reconcile


@shared_task(name="privatelink.reconcile_service", acks_late=True, reject_on_worker_lost=True)
def reconcile_service(service_id: int) -> None:
    reconcile.reconcile_service(service_id)


@shared_task(name="privatelink.reconcile_project_vpc", acks_late=True, reject_on_worker_lost=True)
def reconcile_project_vpc(project_vpc_id: int) -> None:
    reconcile.reconcile_project_vpc(project_vpc_id)
