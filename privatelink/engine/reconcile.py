"""Making the cloud match the database for one service or one Project VPC: observe,
compare, apply, through the cloud's driver (`privatelink.clouds.driver`).

Each step is idempotent and finds earlier work by deterministic names and ownership tags,
so a run may be killed at any line, repeated or delivered twice. A lease keeps to one run
per service at a time. Runs never wait for the cloud: they return how soon to look again.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from console import audit_log, catalog
from console.models import ProjectVPC, Service
from privatelink import placement
from privatelink.clouds import registry
from privatelink.clouds.driver import CloudDriver
from privatelink.clouds.errors import GatewayError, InProgress, Retryable
from privatelink.engine import lease
from privatelink.engine.connection_dns import sync_dns
from privatelink.engine.connections import sync_connections
from privatelink.engine.run import Run
from privatelink.models import PrivateLink

logger = logging.getLogger(__name__)

# The cloud driver's client factory, passed through the registry: for AWS the Gateway
# class or a test's subclass of it, called as factory(region, role_arn=...).
GatewayFactory = registry.ClientFactory
# The platform's own cloud: an AWS link whose Project VPC is gone was built in its home
# region.
HOME_PROVIDER = "aws"
BUSY_RETRY_SECONDS = 10
# After the other holder's lease runs out, so that a retry right then finds it free.
BUSY_MARGIN_SECONDS = 0.5
# A change saved during a run is carried out by the next one, soon.
NEWER_CHANGE_RETRY_SECONDS = 1


@dataclass(frozen=True)
class Outcome:
    # Run again after this many seconds (the cloud in transition, or another run held the
    # lease).
    requeue_after: float | None = None
    # A terminal cloud error, recorded on the row; not retried until the user changes something.
    error: str = ""


def service_lease_key(service_id: int) -> str:
    return f"service:{service_id}"


def reconcile_service(service_id: int, gateway_factory: GatewayFactory | None = None) -> Outcome:
    """Carry out the desired state of the service's PrivateLink (create, update or delete).

    Raises Retryable for transient cloud errors (the task retries with backoff).
    """
    with lease.held(service_lease_key(service_id)) as held:
        if not held.claimed:
            return _busy(held)
        link = (
            PrivateLink.objects.select_related(
                "service__project", "service__project_vpc__placement__account", "aws"
            )
            .filter(service_id=service_id)
            .first()
        )
        if link is None or link.service.state == Service.State.REBUILDING:
            _finish_build(service_id)
        if link is None:
            _finish_termination(service_id)
            return Outcome()
        vpc = link.service.project_vpc
        run = Run(link, _driver(link, gateway_factory))
        run.driver.before_call = held.keep_alive
        try:
            if link.state == PrivateLink.State.DELETING:
                return _delete(run)
            if vpc is None:
                return _fail(link, "The service no longer runs in a Project VPC.")
            return _build(run, vpc)
        except lease.LeaseLost:
            # This run stalled past its lease and another run holds it now: that run
            # carries the work on from what the cloud shows, so this one stops quietly.
            logger.warning("PrivateLink %s: lease lost mid-run; the other run carries on", link.pk)
            return Outcome()
        except InProgress as exc:
            return _in_progress(exc)
        except Retryable as exc:
            _note(link, f"Retrying after a transient cloud error: {exc}")
            raise
        except GatewayError as exc:
            logger.warning("PrivateLink %s: the cloud refused: %s", link.pk, exc)
            if exc.code in run.driver.quota_errors and vpc is not None:
                # The recorded quota was out of date: the next create is planned with the
                # cloud's.
                placement.record_quotas(placement.account_for(vpc), run.driver.account_limits())
            return _fail(link, str(exc))
        except Exception as exc:
            # A bug of ours: shown on the row, raised for the worker's log; the sweep retries.
            _note(link, f"Internal error: {type(exc).__name__}: {exc}")
            raise


def _busy(held: lease.Lease) -> Outcome:
    """Another run holds the lease: look again just after it runs out, in case its holder
    crashed; a live holder renews it and this run backs off again."""
    return Outcome(requeue_after=min(BUSY_RETRY_SECONDS, held.seconds_left() + BUSY_MARGIN_SECONDS))


def _in_progress(exc: InProgress) -> Outcome:
    """The cloud is still carrying out a change the run started or found: nothing failed,
    so the run is requeued to look again, spending none of the task's retries."""
    return Outcome(requeue_after=exc.retry_after)


def _note(link: PrivateLink, message: str) -> None:
    link.note_error(message)


def _fail(link: PrivateLink, message: str) -> Outcome:
    link.mark_failed(message)
    return Outcome(error=message)


def _driver(link: PrivateLink, client_factory: GatewayFactory | None) -> CloudDriver:
    """The driver of the account that holds the Project VPC (the front lives where its
    targets sit). Without a VPC, the service's cloud still says where the link was built:
    an AWS link in the platform's own account in its home region, any other in its
    provider's platform account of the service's region, never through another cloud's
    driver (which would find nothing, and leave the link's resources behind)."""
    vpc = link.service.project_vpc
    if vpc is not None:
        account = placement.account_for(vpc)
        return registry.driver_for_cloud(vpc.cloud, account.role_arn, client_factory=client_factory)
    cloud = catalog.get_cloud(link.service.cloud)
    if cloud.provider != HOME_PROVIDER:
        return registry.driver_for_cloud(cloud.name, None, client_factory=client_factory)
    return registry.driver_for(
        HOME_PROVIDER, settings.AWS_REGION, None, client_factory=client_factory
    )


def _build(run: Run, vpc: ProjectVPC) -> Outcome:
    link = run.privatelink
    driver = run.driver
    generation = link.generation
    settled = link.observed_generation == generation
    if not driver.network_built(vpc):
        driver.ensure_network(vpc)
    front = driver.ensure_front(run, vpc)
    if front is None:
        return Outcome(requeue_after=run.requeue_after)
    driver.sync_ports(run, front, vpc)
    service = driver.ensure_published_service(run, front)
    if service is None:
        return Outcome(requeue_after=run.requeue_after)
    driver.ensure_allow_list(run, service.service_id, settled)
    if sync_connections(run, service.service_id):
        # Accepting a connection adds per-node ports for it; losing one removes them.
        driver.sync_ports(run, front, vpc)
    # A host another owner holds is not a failure of the run: the rest is carried out, and
    # the row says which host is blocked until an operator frees it.
    dns_conflicts = sync_dns(run, settled)
    became_active = link.state == PrivateLink.State.CREATING
    # The user may have changed the desired state, or asked for deletion, while this run
    # worked: only a run that carried out the current generation may mark it done, and
    # never over `deleting`.
    if not link.mark_observed(generation, last_error="; ".join(dns_conflicts)):
        return Outcome(requeue_after=NEWER_CHANGE_RETRY_SECONDS)
    if became_active:
        run.event("active", **_published_service_entry(link, service.service_id))
    return Outcome(requeue_after=run.requeue_after)


def _delete(run: Run) -> Outcome:
    link = run.privatelink
    if not run.driver.teardown(run):
        return Outcome(requeue_after=run.requeue_after)
    service = link.service
    run.event("deleted", **_published_service_entry(link, run.driver.published_service_id(link)))
    link.delete()
    _finish_termination(service.pk)
    return Outcome()


def _published_service_entry(link: PrivateLink, service_id: str) -> dict[str, str]:
    """The published service's id as an event records it: under the name the platform's
    API gives it on the link's cloud (`aws_service_id` for an endpoint service,
    `azure_service_id` for a private link service), so that the activity log says what the
    API says."""
    provider = catalog.get_cloud(link.service.cloud).provider
    return {f"{provider}_service_id": service_id}


def _finish_build(service_id: int) -> None:
    """A new service's nodes are in place once its first reconcile runs (this console runs
    no machines of its own): REBUILDING becomes RUNNING, as on the platform."""
    Service.objects.filter(pk=service_id, state=Service.State.REBUILDING).update(
        state=Service.State.RUNNING, updated=timezone.now()
    )


def _finish_termination(service_id: int) -> None:
    """A terminating service's row goes last, once nothing of it is left in the cloud."""
    service = (
        Service.objects.select_related("project")
        .filter(pk=service_id, state=Service.State.DELETING)
        .first()
    )
    if service is None:
        return
    audit_log.record(
        "service.terminated",
        project=service.project,
        service=service,
        after={"service_name": service.name},
    )
    service.delete()


def reconcile_project_vpc(
    project_vpc_id: int, gateway_factory: GatewayFactory | None = None
) -> Outcome:
    """Create the Project VPC and its subnets in the platform account, once; or remove them
    and the row once the VPC is marked `deleting`."""
    with lease.held(f"project-vpc:{project_vpc_id}") as held:
        if not held.claimed:
            return _busy(held)
        vpc = ProjectVPC.objects.select_related("project").filter(pk=project_vpc_id).first()
        if vpc is None:
            return Outcome()
        account = placement.account_for(vpc)
        driver = registry.driver_for_cloud(
            vpc.cloud, account.role_arn, client_factory=gateway_factory
        )
        driver.before_call = held.keep_alive
        try:
            if vpc.state == ProjectVPC.State.DELETING:
                driver.remove_network(vpc)
            else:
                if account.quotas_checked is None:
                    placement.record_quotas(account, driver.account_limits())
                driver.ensure_network(vpc)
        except lease.LeaseLost:
            return Outcome()
        except InProgress as exc:
            return _in_progress(exc)
        except Retryable as exc:
            ProjectVPC.objects.filter(pk=vpc.pk).update(last_error=f"Retrying: {exc}")
            raise
        except GatewayError as exc:
            ProjectVPC.objects.filter(pk=vpc.pk).update(last_error=str(exc))
            return Outcome(error=str(exc))
        return Outcome()
