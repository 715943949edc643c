"""Customer endpoints of one PrivateLink: seen in AWS, accepted up to the limit or rejected
with a reason, and published in DNS as privatelink-N-<host label>, on hosts it owns."""

import itertools
import logging
import secrets

from django.conf import settings

from console.errors import InvalidInput
from privatelink import hosts
from privatelink.clouds.aws.gateway import Terminal
from privatelink.clouds.aws.gateway.route53 import OWNER_RECORD_PREFIX, DnsRecord
from privatelink.engine import naming, planner
from privatelink.engine.connection_decisions import Decision, Verdict, decide
from privatelink.engine.run import Run
from privatelink.hosts import connection_host
from privatelink.models import ConnectionHost, PrivateLink, PrivateLinkConnection

logger = logging.getLogger(__name__)
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
    if number > hosts.MAX_CONNECTION_NUMBER:
        raise Terminal(
            "ConnectionHostsUsedUp",
            f"Every connection host of this service, privatelink-1- to privatelink-"
            f"{hosts.MAX_CONNECTION_NUMBER}-, has been given out; contact support.",
            "allocate a connection host",
        )
    ConnectionHost.objects.create(
        host=connection_host(service, number), privatelink=run.privatelink
    )
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


def sync_dns(run: Run, settled: bool) -> list[str]:
    """One CNAME per connected endpoint, with its ownership record; records of connections
    no longer live are removed. Only hosts this PrivateLink owns are touched: a host another
    owner holds is left alone, and the words saying so are returned for the row."""
    link = run.privatelink
    rows = list(link.connections.all())
    wanted = {
        hosts.connection_host(link.service, row.number): row
        for row in rows
        if row.state in PrivateLinkConnection.REACHABLE and row.dns_name
    }
    if not wanted and not any(row.dns_record_published for row in rows):
        return []
    owned = hosts.hosts_of(link)
    me = naming.dns_owner(link.pk)
    zone = run.gateway.hosted_zone(hosts.domain())
    records = run.gateway.dns_records(zone, owned | set(wanted))
    conflicts: list[str] = []
    for host, row in wanted.items():
        record = records.get(host)
        if not (_claim(link, host, owned) and _ours(record, me, row)):
            conflicts.append(_held_elsewhere(run, row, host, zone, record))
            continue
        if record is None or record.target != row.dns_name or record.owner != me:
            run.gateway.publish_cname(zone, host, row.dns_name, me)
            changed = record is None or record.target != row.dns_name
            if row.dns_record_published and settled and changed:
                run.event("drift_repaired", resource="DNS record", name=host)
        row.mark_published()
    for host, record in records.items():
        if host not in wanted and host in owned and record.owner in ("", me):
            run.gateway.delete_cname(zone, host, record)
    for row in rows:
        if hosts.connection_host(link.service, row.number) not in wanted:
            row.mark_unpublished()
    return conflicts


def _claim(link: PrivateLink, host: str, owned: set[str]) -> bool:
    """Whether the database gives `host` to this PrivateLink; a host no one ever had (a
    connection older than host ownership) is taken now."""
    if host in owned:
        return True
    row, _ = ConnectionHost.objects.get_or_create(host=host, defaults={"privatelink": link})
    return row.privatelink_id == link.pk


def _ours(record: DnsRecord | None, me: str, row: PrivateLinkConnection) -> bool:
    """Whether the Route 53 record of a host may be written for this PrivateLink: none yet,
    marked as ours, or unmarked and written by us before ownership records existed."""
    if record is None or record.owner == me:
        return True
    if record.owner:
        return False
    return record.target == row.dns_name or row.dns_record_published


def _held_elsewhere(
    run: Run, row: PrivateLinkConnection, host: str, zone: str, record: DnsRecord | None
) -> str:
    """Leave the host alone: record why on the connection, the log and (once) the Activity
    page, and return the words for the PrivateLink's row."""
    row.mark_dns_blocked()
    message = (
        f"The DNS name {host} in Route 53 zone {zone} belongs to another owner, so it was "
        f"left unchanged and connection {row.privatelink_connection_id} has no host yet. "
        f"An operator must remove that record and its {OWNER_RECORD_PREFIX}{host} TXT "
        "record if they are stale; the next reconcile then publishes this one"
    )
    owner = record.owner if record and record.owner else "none (not written by this console)"
    logger.warning("PrivateLink %s: %s (ownership record: %s)", run.privatelink.pk, message, owner)
    if message not in run.privatelink.last_error:
        run.event(
            "dns_conflict",
            name=host,
            privatelink_connection_id=row.privatelink_connection_id,
            message=message,
        )
    return message
