"""Customer endpoints of one PrivateLink: seen in AWS, accepted up to the limit or rejected
with a reason, and published in DNS as privatelink-N-<service>-<project>."""

import itertools
import secrets

from django.conf import settings

from console.errors import InvalidInput
from privatelink import hosts
from privatelink.engine import naming, planner
from privatelink.engine.connection_decisions import Decision, Verdict, decide
from privatelink.engine.run import Run
from privatelink.hosts import connection_host
from privatelink.models import ConnectionHost, PrivateLinkConnection

State = PrivateLinkConnection.State
ACCEPT_POLL_SECONDS = 5


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
            planner.enabled_ports(service), service.nodes.count(), live + 1
        )
    except InvalidInput as exc:
        return exc.message
    return ""


def sync_connections(run: Run, service_id: str) -> bool:
    """Bring the rows in line with AWS, deciding pending endpoints; True if the set of live
    connections changed (their per-node listeners must follow)."""
    link = run.privatelink
    rows = {c.vpc_endpoint_id: c for c in link.connections.all()}
    live_before = {e for e, c in rows.items() if c.state in PrivateLinkConnection.LIVE}
    # Connections holding a slot of the limit: those live at the start, plus those accepted,
    # minus those cut off, in this pass.
    live = len(live_before)
    seen: set[str] = set()
    for observed in run.gateway.connections([service_id]):
        seen.add(observed.vpc_endpoint_id)
        row = rows.get(observed.vpc_endpoint_id)
        if row is None:
            row = rows[observed.vpc_endpoint_id] = _new_row(run, observed.vpc_endpoint_id)
        aws_state = observed.state.lower()
        refusal = _refusal(run, live) if aws_state == "pendingacceptance" else ""
        decision = decide(row.state, aws_state, observed.owner, link.principals, refusal)
        _carry_out(run, service_id, row, decision)
        live += decision.live_change
        row.observe(decision.aws_state_after(aws_state), observed.dns_name, observed.owner)
    for endpoint_id, row in rows.items():
        if endpoint_id not in seen and row.state != State.DELETED:
            row.mark_gone()
    live_after = {e for e, c in rows.items() if c.state in PrivateLinkConnection.LIVE}
    return live_after != live_before


def _carry_out(run: Run, service_id: str, row: PrivateLinkConnection, decision: Decision) -> None:
    """The AWS call, the row's transition and the audit event of one decision."""
    endpoint_ids = [row.vpc_endpoint_id]
    match decision.verdict:
        case Verdict.ACCEPT:
            run.gateway.accept_connections(service_id, endpoint_ids)
            row.mark_approved()
            run.event(
                "connection_accepted",
                vpc_endpoint_id=row.vpc_endpoint_id,
                privatelink_connection_id=row.privatelink_connection_id,
            )
        case Verdict.REJECT:
            run.gateway.reject_connections(service_id, endpoint_ids)
            row.mark_rejected(decision.reason)
            run.event(
                "connection_rejected", vpc_endpoint_id=row.vpc_endpoint_id, reason=decision.reason
            )
        case Verdict.REJECT_AGAIN:
            run.gateway.reject_connections(service_id, endpoint_ids)
        case Verdict.MARK if decision.state is not None:
            row.follow(decision.state)
    if decision.polls:
        run.wait(ACCEPT_POLL_SECONDS)


def sync_dns(run: Run, settled: bool) -> None:
    """One CNAME per connected endpoint; records of connections no longer live are removed."""
    link = run.privatelink
    rows = list(link.connections.all())
    wanted = {
        hosts.connection_host(link.service, row.number): row
        for row in rows
        if row.state in PrivateLinkConnection.REACHABLE and row.dns_name
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
        row.mark_published()
    for host, target in records.items():
        if host not in wanted:
            run.gateway.delete_cname(zone, host, target)
    for row in rows:
        if hosts.connection_host(link.service, row.number) not in wanted:
            row.mark_unpublished()
