"""Terminating a service with a PrivateLink: the PrivateLink is torn down first, the service
shows DELETING meanwhile, its row goes only once AWS is clean, and its connection host
names are never given to another service."""

import pytest

from console import actions as console_actions
from console.errors import Conflict
from console.models import AuditEvent, Service
from privatelink import actions
from privatelink.models import ConnectionHost, PrivateLink, PrivateLinkConnection
from tests.constants import CUSTOMER_ACCOUNT, CUSTOMER_ROLE
from tests.factories import ServiceFactory
from tests.privatelink.aws_state import aws_inventory
from tests.privatelink.engine import converge

EMPTY = {
    "load_balancers": [],
    "target_groups": [],
    "listeners": [],
    "endpoint_services": [],
    "dns_records": {},
}


def test_termination_tears_the_privatelink_down_first_and_the_row_goes_last(
    fake_aws, kafka_over_privatelink, service, developer, queued, django_capture_on_commit_callbacks
):
    assert aws_inventory(fake_aws)["listeners"]
    with django_capture_on_commit_callbacks(execute=True):
        console_actions.terminate_service(service, actor=developer)

    service.refresh_from_db()
    assert service.state == Service.State.DELETING
    assert PrivateLink.objects.get(service=service).state == PrivateLink.State.DELETING
    assert ("service", service.pk) in queued
    assert AuditEvent.objects.get(action="service.terminate", service=service).actor == developer

    converge(service)

    assert not Service.objects.filter(pk=service.pk).exists()
    assert aws_inventory(fake_aws) == EMPTY
    terminated = AuditEvent.objects.get(action="service.terminated")
    assert (terminated.service_name, terminated.actor) == ("my-kafka", None)


def test_a_service_without_privatelink_goes_at_its_first_reconcile(
    service, developer, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        console_actions.terminate_service(service, actor=developer)
    assert Service.objects.filter(pk=service.pk, state=Service.State.DELETING).exists()
    converge(service)
    assert not Service.objects.filter(pk=service.pk).exists()


def test_a_terminating_service_can_no_longer_be_changed(service, developer, queued):
    console_actions.terminate_service(service, actor=developer)
    with pytest.raises(Conflict, match="being terminated"):
        console_actions.terminate_service(service, actor=developer)
    with pytest.raises(Conflict, match="being terminated"):
        console_actions.change_plan(service, "premium-6", actor=developer)
    with pytest.raises(Conflict, match="being terminated"):
        actions.create_privatelink(service, [CUSTOMER_ROLE], actor=developer)


def test_connection_hosts_of_a_terminated_service_are_never_reused(
    fake_aws, kafka_over_privatelink, service, project, developer, queued,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    first_host = "privatelink-1-my-kafka-demo.example.test"
    assert ConnectionHost.objects.filter(host=first_host).exists()
    with django_capture_on_commit_callbacks(execute=True):
        console_actions.terminate_service(service, actor=developer)
    converge(service)

    again = ServiceFactory(project=project, name="my-kafka", project_vpc=service.project_vpc)
    link = actions.create_privatelink(again, [CUSTOMER_ROLE], actor=developer).link
    converge(again)
    link.refresh_from_db()
    fake_aws.customer(CUSTOMER_ACCOUNT, CUSTOMER_ROLE).create_endpoint(link.aws.service_name)
    converge(again)

    connection = PrivateLinkConnection.objects.get(privatelink=link)
    assert connection.number == 2
    records = aws_inventory(fake_aws)["dns_records"]
    assert first_host not in records
    assert "privatelink-2-my-kafka-demo.example.test" in records
