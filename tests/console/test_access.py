import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from console.access import get_service_for


def test_outsider_gets_404_for_a_service(service, outsider):
    with pytest.raises(Http404):
        get_service_for(outsider, "demo", "my-kafka")


def test_read_only_member_reads_but_cannot_write(service, read_only_user):
    assert get_service_for(read_only_user, "demo", "my-kafka") == service
    with pytest.raises(PermissionDenied):
        get_service_for(read_only_user, "demo", "my-kafka", write=True)


def test_developer_may_write(service, developer):
    assert get_service_for(developer, "demo", "my-kafka", write=True) == service
    assert service.nodes.count() == 3


def test_overview_page_shows_nodes_to_a_member(developer_client, service):
    response = developer_client.get("/projects/demo/services/my-kafka/")
    assert response.status_code == 200
    assert b"my-kafka-1" in response.content
    assert "script-src" in response["Content-Security-Policy"]


def test_overview_page_is_404_for_an_outsider(client, service, outsider):
    client.force_login(outsider)
    assert client.get("/projects/demo/services/my-kafka/").status_code == 404
