"""Customer endpoints of one PrivateLink: seen in AWS, accepted up to the limit or rejected
with a reason, and published in DNS as privatelink-N-<service>-<project>."""

import itertools
import secrets

from django.conf import settings

from console.errors import InvalidInput
from privatelink import hosts
from privatelink.engine import naming, planner
from privatelink.engine.run import Run
from privatelink.hosts import connection_host
from privatelink.models import ConnectionHost, PrivateLinkConnection
from privatelink.principals import covers_account

State = PrivateLinkConnection.State
LIVE = (State.USER_APPROVED, State.CONNECTED, State.ACTIVE)
ACCEPT_POLL_SECONDS = 5
_GONE_STATES = {"deleting", "deleted", "failed", "expired"}


def _new_row(run: Run, vpc_endpoint_id: str) -> PrivateLinkConnection:
    """A row with the lowest number whose host was never given out, to this service or to
    an earlier (terminated) service of the same name."""
    service = run.privatelink.service
    used = set(run.privatelink.connections.values_list("number", flat=True))
    number = next(
        n
        for n in itertools.count(1)
        if n not in used
        and not ConnectionHost.objects.filter(host=connection_host(service, n)).exists()
    )
    ConnectionHost.objects.create(host=connection_host(service, number))
    return PrivateLinkConnection.objects.create(
        privatelink=run.privatelink,
        privatelink_connection_id=f"plc{secrets.token_hex(8)}",
        vpc_endpoint_id=vpc_endpoint_id,
        number=number,
    )


def _refusal(run: Run, live: int) -> str:
    """Why one more connection cannot be accepted now, or '' if it can."""
    limit = settings.PRIVATELINK_MAX_CONNECTIONS
    if live >= limit:
        return f"Connection limit reached: this service accepts {limit} connection(s)."
    service = run.privatelink.service
    try:
        planner.check_listener_budget(
            planner.enabled_components(service), service.nodes.count(), live + 1
        )
    except InvalidInput as exc:
        return exc.message
    return ""


def sync_connections(run: Run, service_id: str) -> bool:
    """Bring the rows in line with AWS, deciding pending endpoints; True if the set of live
    connections changed (their per-node listeners must follow)."""
    gateway = run.gateway
    rows = {c.vpc_endpoint_id: c for c in run.privatelink.connections.all()}
    live = sum(1 for c in rows.values() if c.state in LIVE)
    live_before = {e for e, c in rows.items() if c.state in LIVE}
    seen: set[str] = set()
    for observed in gateway.connections([service_id]):
        seen.add(observed.vpc_endpoint_id)
        row = rows.get(observed.vpc_endpoint_id) or _new_row(run, observed.vpc_endpoint_id)
        aws_state = observed.state.lower()
        before = row.state
        if aws_state in _GONE_STATES:
            row.state = State.DELETED
        elif aws_state == "rejected":
            row.state = State.REJECTED
        elif row.state == State.REJECTED:
            # Accepted behind the console's back, or asking again: the decision stands.
            gateway.reject_connections(service_id, [observed.vpc_endpoint_id])
            aws_state = "rejected"
        elif aws_state == "pendingacceptance":
            reason = _refusal(run, live)
            if reason:
                gateway.reject_connections(service_id, [observed.vpc_endpoint_id])
                row.state, row.rejection_reason, aws_state = State.REJECTED, reason, "rejected"
                run.event("connection_rejected", vpc_endpoint_id=row.vpc_endpoint_id, reason=reason)
            else:
                gateway.accept_connections(service_id, [observed.vpc_endpoint_id])
                row.state, aws_state = State.USER_APPROVED, "pending"
                live += 1
                run.event(
                    "connection_accepted",
                    vpc_endpoint_id=row.vpc_endpoint_id,
                    privatelink_connection_id=row.privatelink_connection_id,
                )
                run.wait(ACCEPT_POLL_SECONDS)
        elif row.state in LIVE and not covers_account(run.privatelink.principals, observed.owner):
            reason = f"The principal that allowed account {observed.owner} was removed."
            gateway.reject_connections(service_id, [observed.vpc_endpoint_id])
            row.state, row.rejection_reason, aws_state = State.REJECTED, reason, "rejected"
            live -= 1
            run.event("connection_rejected", vpc_endpoint_id=row.vpc_endpoint_id, reason=reason)
        elif aws_state == "pending":
            row.state = State.USER_APPROVED
            run.wait(ACCEPT_POLL_SECONDS)
        elif aws_state == "available" and row.state not in (State.CONNECTED, State.ACTIVE):
            row.state = State.CONNECTED
        fresh = (aws_state, observed.dns_name, observed.owner)
        if before != row.state or (row.aws_state, row.dns_name, row.owner_account) != fresh:
            row.aws_state, row.dns_name, row.owner_account = fresh
            row.save()
    for endpoint_id, row in rows.items():
        if endpoint_id not in seen and row.state != State.DELETED:
            row.state, row.aws_state = State.DELETED, "deleted"
            row.save(update_fields=["state", "aws_state", "updated"])
    live_after = set(
        run.privatelink.connections.filter(state__in=LIVE).values_list("vpc_endpoint_id", flat=True)
    )
    return live_after != live_before


def sync_dns(run: Run, settled: bool) -> None:
    """One CNAME per connected endpoint; records of connections no longer live are removed."""
    link = run.privatelink
    rows = list(link.connections.all())
    wanted = {
        hosts.connection_host(link.service, row.number): row
        for row in rows
        if row.state in (State.CONNECTED, State.ACTIVE) and row.dns_name
    }
    if not wanted and not any(row.dns_record_published for row in rows):
        return
    zone = run.gateway.hosted_zone(hosts.domain())
    records = run.gateway.cname_records(zone, naming.is_record_of(link))
    for host, row in wanted.items():
        if records.get(host) != row.dns_name:
            run.gateway.upsert_cname(zone, host, row.dns_name)
            if row.dns_record_published and settled:
                run.event("drift_repaired", resource="DNS record", name=host)
        if row.state != State.ACTIVE or not row.dns_record_published:
            row.state, row.dns_record_published = State.ACTIVE, True
            row.save(update_fields=["state", "dns_record_published", "updated"])
    for host, target in records.items():
        if host not in wanted:
            run.gateway.delete_cname(zone, host, target)
    for row in rows:
        published = row.dns_record_published
        if published and hosts.connection_host(link.service, row.number) not in wanted:
            row.dns_record_published = False
            row.save(update_fields=["dns_record_published", "updated"])
