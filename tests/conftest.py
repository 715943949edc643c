"""Shared fixtures: users with each role in a project with a service, the fake AWS, and a
queue that records reconciles instead of publishing them."""

import pytest
from django.core.cache import cache

from console import catalog
from privatelink import queue
from tests.factories import (
    MembershipFactory,
    ProjectFactory,
    ProjectVPCFactory,
    ServiceFactory,
    UserFactory,
)

pytest_plugins = ["fakeaws.pytest_plugin", "fakeazure.pytest_plugin", "fakegoogle.pytest_plugin"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: change tokens and access decisions kept for
    another test's rows (SQLite reuses primary keys after a rollback, PostgreSQL does not)
    must not decide what this one sees."""
    cache.clear()


@pytest.fixture
def project(db):
    return ProjectFactory(name="demo")


@pytest.fixture
def service(project):
    return ServiceFactory(project=project, name="my-kafka", service_type="kafka", nodes=3)


AZURE_CLOUD = catalog.get_cloud("azure-westeurope")


@pytest.fixture
def azure_service(project):
    """A Kafka service in an Azure Project VPC of the project."""
    vpc = ProjectVPCFactory(project=project, cloud=AZURE_CLOUD.name, cidr="10.1.0.0/16")
    return ServiceFactory(
        project=project,
        name="my-kafka-az",
        service_type="kafka",
        cloud=AZURE_CLOUD.name,
        project_vpc=vpc,
    )


GOOGLE_CLOUD = catalog.get_cloud("google-europe-west1")


@pytest.fixture
def google_service(project):
    """A Kafka service in a Google Project VPC of the project."""
    vpc = ProjectVPCFactory(project=project, cloud=GOOGLE_CLOUD.name, cidr="10.2.0.0/16")
    return ServiceFactory(
        project=project,
        name="my-kafka-gcp",
        service_type="kafka",
        cloud=GOOGLE_CLOUD.name,
        project_vpc=vpc,
    )


def _member(project, role: str, email: str):
    user = UserFactory(email=email)
    MembershipFactory(user=user, project=project, role=role)
    return user


@pytest.fixture
def admin_user(project):
    return _member(project, "admin", "admin@example.com")


@pytest.fixture
def developer(project):
    return _member(project, "developer", "dev@example.com")


@pytest.fixture
def read_only_user(project):
    return _member(project, "read_only", "viewer@example.com")


@pytest.fixture
def outsider(db):
    return UserFactory(email="outsider@example.com")


@pytest.fixture
def developer_client(client, developer):
    client.force_login(developer)
    return client


@pytest.fixture
def queued(monkeypatch) -> list[tuple[str, int]]:
    """Reconciles queued by actions, receivers and the API, recorded as ("service", pk) or
    ("project_vpc", pk) instead of published: tests without a broker run them directly."""
    calls: list[tuple[str, int]] = []
    monkeypatch.setattr(
        queue,
        "reconcile_service",
        lambda pk, provider, countdown=None: calls.append(("service", pk)) or True,
    )
    monkeypatch.setattr(
        queue,
        "reconcile_project_vpc",
        lambda pk, provider, countdown=None: calls.append(("project_vpc", pk)) or True,
    )
    return calls


# Fixtures that start the console's own processes on a database, cache and broker of their
# own (SQLite, files, or a broker the test names): what they test does not depend on
# DATABASE_URL or CELERY_BROKER_URL.
OWN_STACK_FIXTURES = frozenset({"stack", "running_console"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that run on their own stack `own_stack`, so that a second run of the
    suite on another database and broker (CI's PostgreSQL + Redis leg) may leave them to
    the first."""
    for item in items:
        if OWN_STACK_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.own_stack)
