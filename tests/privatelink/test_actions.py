"""User actions on a PrivateLink: validation, desired state, audit events, queued reconciles."""

import pytest
from kombu.exceptions import OperationalError

from console import actions as console_actions
from console.errors import Conflict, InvalidInput
from console.models import AuditEvent, Service
from privatelink import actions
from privatelink.models import PrivateLink
from tests.factories import ConnectionFactory, ServiceFactory

ROLE = "arn:aws:iam::012345678901:role/app"
USER = "arn:aws:iam::012345678901:user/ci"
ROOT = "arn:aws:iam::210987654321:root"


@pytest.fixture
def privatelink(service, developer, queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        link = actions.create_privatelink(service, [ROLE], actor=developer).link
    queued.clear()
    return link


def test_create_saves_sorted_distinct_principals_an_audit_event_and_queues_a_reconcile(
    service, developer, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        saved = actions.create_privatelink(service, [ROLE, USER, ROLE], actor=developer)

    link = PrivateLink.objects.get(pk=saved.link.pk)
    assert link.state == PrivateLink.State.CREATING
    assert link.principals == [ROLE, USER]
    assert queued == [("service", service.pk)]
    assert saved.queued is True
    event = AuditEvent.objects.get(action="privatelink.create")
    assert (event.actor, event.service, event.after) == (
        developer,
        service,
        {"principals": link.principals},
    )


def test_create_without_principals_names_the_field(service, developer):
    with pytest.raises(InvalidInput) as error:
        actions.create_privatelink(service, None, actor=developer)
    assert error.value.field == "principals"
    assert not PrivateLink.objects.exists()


@pytest.mark.parametrize(
    ("principals", "words"),
    [
        (["arn:aws:iam::012345678901:role/path/app"], "has a path"),
        (["arn:aws:iam::0123:role/app"], "is not an IAM principal"),
        ([ROLE, "arn:aws-cn:iam::012345678901:root"], "one AWS partition"),
        ([f"arn:aws:iam::012345678901:role/r{i}" for i in range(17)], "at most 16"),
        ([], "at least one"),
    ],
)
def test_create_refuses_principals_aws_would_not_accept(service, developer, principals, words):
    with pytest.raises(InvalidInput, match=words):
        actions.create_privatelink(service, principals, actor=developer)
    assert not PrivateLink.objects.exists()


def test_create_allows_everyone_and_account_roots(service, developer, queued):
    link = actions.create_privatelink(service, ["*", ROOT], actor=developer).link
    assert link.principals == ["*", ROOT]


def test_create_needs_a_project_vpc(project, developer):
    service = Service.objects.create(
        project=project, name="loose", service_type="kafka", plan="business-4"
    )
    with pytest.raises(InvalidInput, match="Project VPC"):
        actions.create_privatelink(service, [ROLE], actor=developer)
    assert not PrivateLink.objects.exists()


def test_a_second_privatelink_on_one_service_is_a_conflict(privatelink, service, developer):
    with pytest.raises(Conflict):
        actions.create_privatelink(service, [USER], actor=developer)
    assert PrivateLink.objects.get().principals == [ROLE]


def test_replace_principals_bumps_generation_audits_and_queues(
    privatelink, developer, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        actions.replace_principals(privatelink, [USER, ROOT], actor=developer)

    privatelink.refresh_from_db()
    assert privatelink.principals == [USER, ROOT]
    assert privatelink.generation == 2
    assert queued == [("service", privatelink.service_id)]
    event = AuditEvent.objects.get(action="privatelink.principals")
    assert event.before == {"principals": [ROLE]}
    assert event.after == {"principals": [USER, ROOT]}


def test_replace_with_a_stale_digest_is_refused_and_keeps_the_list(privatelink, developer):
    stale = privatelink.principals_digest
    actions.add_principal(privatelink, USER, actor=developer)
    with pytest.raises(Conflict, match="changed meanwhile"):
        actions.replace_principals(privatelink, [ROOT], actor=developer, expected_digest=stale)
    privatelink.refresh_from_db()
    assert privatelink.principals == [ROLE, USER]


def test_add_and_remove_single_principals_keep_the_others(privatelink, developer):
    actions.add_principal(privatelink, USER, actor=developer)
    actions.add_principal(privatelink, ROOT, actor=developer)
    actions.remove_principal(privatelink, ROLE, actor=developer)
    privatelink.refresh_from_db()
    assert privatelink.principals == [USER, ROOT]
    assert AuditEvent.objects.filter(action="privatelink.principals").count() == 3


def test_adding_a_principal_already_allowed_says_so(privatelink, developer):
    with pytest.raises(InvalidInput, match="already allowed") as error:
        actions.add_principal(privatelink, ROLE, actor=developer)
    assert error.value.field == "principals"


def test_removing_the_last_principal_is_refused(privatelink, developer):
    with pytest.raises(InvalidInput, match="at least one"):
        actions.remove_principal(privatelink, ROLE, actor=developer)
    privatelink.refresh_from_db()
    assert privatelink.principals == [ROLE]


def test_delete_marks_deleting_and_later_changes_are_conflicts(privatelink, developer, queued):
    actions.delete_privatelink(privatelink, actor=developer)
    privatelink.refresh_from_db()
    assert privatelink.state == PrivateLink.State.DELETING
    assert AuditEvent.objects.filter(action="privatelink.delete", actor=developer).exists()
    with pytest.raises(Conflict):
        actions.delete_privatelink(privatelink, actor=developer)
    with pytest.raises(Conflict):
        actions.replace_principals(privatelink, [USER], actor=developer)
    privatelink.refresh_from_db()
    assert privatelink.principals == [ROLE]


def test_a_save_while_the_broker_is_down_is_kept_and_reported_as_not_queued(
    service, developer, monkeypatch, django_capture_on_commit_callbacks
):
    from console.celery import app

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(app, "send_task", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        saved = actions.create_privatelink(service, [ROLE], actor=developer)

    assert saved.queued is False
    assert PrivateLink.objects.get(pk=saved.link.pk).principals == [ROLE]


def test_the_reconcile_is_reported_as_queued_only_once_the_save_commits(
    service, developer, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        saved = actions.create_privatelink(service, [ROLE], actor=developer)
        assert (saved.queued, queued) == (None, [])
    assert saved.queued is True
    assert queued == [("service", service.pk)]


def test_an_edit_that_changes_nothing_saves_and_queues_nothing(
    privatelink, developer, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        saved = actions.replace_principals(privatelink, [ROLE], actor=developer)
    assert (saved.reconcile, saved.queued) == (None, None)
    assert queued == []
    assert PrivateLink.objects.get(pk=privatelink.pk).generation == 1
    assert not AuditEvent.objects.filter(action="privatelink.principals").exists()


def test_refreshing_connections_queues_a_reconcile_and_reports_it(
    privatelink, developer, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        saved = actions.refresh_connections(privatelink, actor=developer)
    assert saved.queued is True
    assert queued == [("service", privatelink.service_id)]


def test_enabling_a_component_without_a_privatelink_is_stored_for_the_next_one(
    service, developer, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        actions.set_component_access(service, {"kafka": True}, actor=developer)
    assert Service.objects.get(pk=service.pk).privatelink_access()["kafka"] is True
    # Nothing to reconcile yet: the PrivateLink's create carries it out.
    assert queued == []


def test_enabling_a_component_bumps_the_generation_and_queues_a_reconcile(
    privatelink, service, developer, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        console_actions.update_user_config(
            service, {"privatelink_access": {"kafka": True}}, actor=developer
        )
    privatelink.refresh_from_db()
    assert privatelink.generation == 2
    assert queued == [("service", service.pk)]
    assert Service.objects.get(pk=service.pk).privatelink_access()["kafka"] is True


def test_enabling_components_beyond_fifty_listeners_names_the_count(project, developer, queued):
    service = ServiceFactory(project=project, name="big", nodes=9)
    link = actions.create_privatelink(service, [ROLE], actor=developer).link
    ConnectionFactory(privatelink=link, number=1)
    ConnectionFactory(privatelink=link, number=2)
    every = {c.name: True for c in service.type.privatelink_components}
    # kafka, prometheus and jolokia per broker and per connection: 3 * 9 * 2, plus 3 shared.
    with pytest.raises(InvalidInput, match="needs 57 load balancer listeners") as refused:
        actions.set_component_access(service, every, actor=developer)
    assert "at most 50 listeners per Network Load Balancer" in refused.value.message
    assert "kafka 18, prometheus 18, jolokia 18" in refused.value.message.replace(
        "jolokia 18, kafka 18, prometheus 18", "kafka 18, prometheus 18, jolokia 18"
    )
    assert "Turn off privatelink access for jolokia" in refused.value.message
    assert "to free at least 7" in refused.value.message
    assert Service.objects.get(pk=service.pk).user_config == {}


def test_disabling_a_component_of_a_deleting_privatelink_is_allowed(
    privatelink, service, developer
):
    actions.set_component_access(service, {"kafka": True}, actor=developer)
    actions.delete_privatelink(privatelink, actor=developer)
    service.refresh_from_db()
    actions.set_component_access(service, {"kafka": False}, actor=developer)
    assert Service.objects.get(pk=service.pk).privatelink_access()["kafka"] is False


def test_a_requested_project_vpc_is_queued_for_its_build(
    project, developer, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        vpc = console_actions.create_project_vpc(
            project, "aws-eu-central-1", "10.20.0.0/16", actor=developer
        )
    assert queued == [("project_vpc", vpc.pk)]
