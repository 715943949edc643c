"""The inventory pages a member sees, and the strict CSP they keep: no inline script or style."""

import re

import pytest

from tests.factories import ServiceFactory

INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bnonce=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(rb"<style\b|\sstyle\s*=", re.IGNORECASE)
EVENT_HANDLER = re.compile(rb"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def assert_strict_csp(response):
    policy = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert "style-src 'self'" in policy
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce, policy
    body = response.content
    assert not INLINE_SCRIPT.findall(body), INLINE_SCRIPT.findall(body)
    assert not INLINE_STYLE.findall(body), INLINE_STYLE.findall(body)
    assert not EVENT_HANDLER.findall(body), EVENT_HANDLER.findall(body)
    for tag in re.findall(rb"<script[^>]*>", body):
        assert f'nonce="{nonce.group(1)}"'.encode() in tag


def test_project_list_shows_only_the_members_projects(developer_client, service):
    ServiceFactory(project__name="elsewhere", name="secret-service")

    response = developer_client.get("/projects/")

    assert [p.name for p in response.context["projects"]] == ["demo"]
    assert b'href="/projects/demo/"' in response.content
    assert b"elsewhere" not in response.content


def test_service_list_shows_services_and_project_vpc(developer_client, service):
    ServiceFactory(project=service.project, name="my-pg", service_type="pg", nodes=2)

    response = developer_client.get("/projects/demo/")

    assert [s.name for s in response.context["services"]] == ["my-kafka", "my-pg"]
    assert b"my-kafka" in response.content
    assert b"10.0.0.0/16" in response.content
    assert b"aws-eu-west-1" in response.content


def test_service_overview_lists_every_node(developer_client, service):
    response = developer_client.get("/projects/demo/services/my-kafka/")

    assert response.context["service"] == service
    for node in service.nodes.all():
        assert node.name.encode() in response.content
        assert node.private_ip.encode() in response.content


def test_outsider_sees_no_project_in_the_list(client, service, outsider):
    client.force_login(outsider)

    response = client.get("/projects/")

    assert response.context["projects"] == []
    assert b"demo" not in response.content


def test_unknown_service_of_a_members_project_is_404(developer_client, service):
    response = developer_client.get("/projects/demo/services/no-such/")

    assert response.status_code == 404
    assert b"my-kafka" not in response.content


@pytest.mark.parametrize(
    "path",
    [
        "/projects/",
        "/projects/demo/",
        "/projects/demo/services/my-kafka/",
        "/projects/demo/services/my-kafka/activity",
        "/projects/demo/services/my-kafka/privatelink/",
        "/accounts/password/",
        "/projects/demo/services/no-such/",
    ],
)
def test_pages_keep_the_strict_csp(developer_client, service, path):
    assert_strict_csp(developer_client.get(path))


def test_login_page_keeps_the_strict_csp(client, db):
    assert_strict_csp(client.get("/accounts/login/"))


def test_healthz_reports_database_and_broker(client, db):
    response = client.get("/healthz")

    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]
