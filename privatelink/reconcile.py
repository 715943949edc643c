"""Making AWS match the database: observe, compare, apply idempotent steps."""


def reconcile_service(service_id: int) -> None:
    raise NotImplementedError


def reconcile_project_vpc(project_vpc_id: int) -> None:
    raise NotImplementedError
