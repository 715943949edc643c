"""Shared fixtures: users with each role in a project with a service, and the fake AWS."""

import pytest

pytest_plugins = ["fakeaws.pytest_plugin"]


@pytest.fixture
def project(db):
    from tests.factories import ProjectFactory

    return ProjectFactory(name="demo")


@pytest.fixture
def service(project):
    from tests.factories import ServiceFactory

    return ServiceFactory(project=project, name="my-kafka", service_type="kafka", nodes=3)


def _member(project, role: str, email: str):
    from tests.factories import MembershipFactory, UserFactory

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
    from tests.factories import UserFactory

    return UserFactory(email="outsider@example.com")


@pytest.fixture
def developer_client(client, developer):
    client.force_login(developer)
    return client
