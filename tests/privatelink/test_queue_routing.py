"""Every reconcile goes to the queue of its cloud's provider, from every place that queues
one, so that a worker serving one cloud sees no other cloud's work; the sweep of a provider
covers its own PrivateLinks, Project VPCs and accounts alone."""

import pytest

from console import actions as console_actions
from console.celery import app
from console.models import ProjectVPC, Service
from privatelink import actions, placement, sweep
from privatelink.clouds import registry
from privatelink.clouds.errors import GatewayError
from privatelink.models import PrivateLink
from tests.factories import PrivateLinkFactory, ProjectVPCFactory, ServiceFactory

CLOUDS = {"aws": "aws-eu-west-1", "azure": "azure-westeurope", "google": "google-europe-west1"}


@pytest.fixture
def queues(monkeypatch) -> list[tuple[str, str]]:
    """(task name, queue) of each publish, instead of sent to a broker."""
    published: list[tuple[str, str]] = []
    monkeypatch.setattr(
        app, "send_task", lambda name, args, countdown, queue: published.append((name, queue))
    )
    return published


def _service_in(provider: str, project) -> Service:
    cloud = CLOUDS[provider]
    vpc = ProjectVPCFactory(project=project, cloud=cloud, cidr="10.20.0.0/16")
    return ServiceFactory(project=project, cloud=cloud, project_vpc=vpc)


@pytest.mark.parametrize("provider", sorted(CLOUDS))
def test_actions_and_receivers_queue_a_services_reconcile_on_its_providers_queue(
    provider, project, developer, queues, settings, django_capture_on_commit_callbacks
):
    service = _service_in(provider, project)
    link = PrivateLinkFactory(service=service)
    own_queue = f"{settings.CELERY_TASK_DEFAULT_QUEUE}.{provider}"

    actions.retry_reconcile(link, actor=developer)
    with django_capture_on_commit_callbacks(execute=True):
        console_actions.update_user_config(
            service, {"privatelink_access": {"kafka": True}}, actor=developer
        )
    with django_capture_on_commit_callbacks(execute=True):
        console_actions.terminate_service(service, actor=developer)

    assert len(queues) == 3
    assert set(queues) == {("privatelink.reconcile_service", own_queue)}


@pytest.mark.parametrize("provider", sorted(CLOUDS))
def test_a_project_vpcs_build_is_queued_on_its_providers_queue(
    provider, project, developer, queues, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        console_actions.create_project_vpc(
            project, CLOUDS[provider], "10.30.0.0/16", actor=developer
        )

    own_queue = f"{settings.CELERY_TASK_DEFAULT_QUEUE}.{provider}"
    assert queues == [("privatelink.reconcile_project_vpc", own_queue)]


class _Unreachable:
    """A driver whose cloud does not answer: the sweep of its account stops early."""

    def published_service_id(self, link):
        return None

    def account_limits(self):
        raise GatewayError("Unreachable", "no cloud in this test", "account_limits")


def test_the_sweep_of_a_provider_covers_only_its_own_links_project_vpcs_and_accounts(
    project, monkeypatch
):
    asked: list[str] = []

    def driver_for(provider, *args, **kwargs):
        asked.append(provider)
        return _Unreachable()

    monkeypatch.setattr(registry, "driver_for", driver_for)
    stale = {}
    for provider in CLOUDS:
        service = _service_in(provider, project)
        placement.account_for(service.project_vpc)
        # Changed and not carried out: every sweep that covers it queues its reconcile.
        PrivateLinkFactory(service=service, state=PrivateLink.State.CREATING, converged=False)
        stale[provider] = (service.pk, service.project_vpc_id)
        ProjectVPC.objects.filter(pk=service.project_vpc_id).update(state=ProjectVPC.State.CREATING)

    for provider, (service_id, vpc_id) in stale.items():
        asked.clear()
        report = sweep.sweep(provider=provider, turn=1)
        assert (report.queued, report.project_vpcs) == ({service_id}, {vpc_id})
        assert set(asked) == {provider}
    everything = sweep.sweep(turn=1)
    assert everything.queued == {service_id for service_id, _ in stale.values()}
