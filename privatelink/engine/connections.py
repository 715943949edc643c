"""Customer endpoints of one PrivateLink: seen in the cloud, accepted up to the limit or
rejected with a reason (their hosts are published by `connection_dns`)."""

import itertools
import secrets

from django.conf import settings

from console.errors import InvalidInput
from privatelink import hosts
from privatelink.clouds.driver import ObservedConnection, Phase
from privatelink.clouds.errors import Terminal
from privatelink.engine import planner
from privatelink.engine.connection_decisions import Decision, Verdict, decide
from privatelink.engine.run import Run
from privatelink.hosts import connection_host
from privatelink.models import ConnectionHost, PrivateLinkConnection

State = PrivateLinkConnection.State
ACCEPT_POLL_SECONDS = 5


def _new_row(run: Run, endpoint_id: str) -> PrivateLinkConnection:
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
        endpoint_id=endpoint_id,
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
    """Bring the rows in line with the cloud, deciding pending endpoints; True if the set of
    live connections changed (their per-node ports must follow)."""
    link = run.privatelink
    rows = {c.endpoint_id: c for c in link.connections.all()}
    live_before = {e for e, c in rows.items() if c.state in PrivateLinkConnection.LIVE}
    # Connections holding a slot of the limit: those live at the start, plus those accepted,
    # minus those cut off, in this pass.
    live = len(live_before)
    seen: set[str] = set()
    # A service this run published has no connection yet: the describe is saved, and rows
    # left from an earlier service go as they would after an empty answer.
    observations: list[ObservedConnection] = []
    if run.published_now != service_id:
        observations = run.driver.observe_connections([service_id])
    for observed in observations:
        seen.add(observed.endpoint_id)
        row = rows.get(observed.endpoint_id)
        if row is None:
            row = rows[observed.endpoint_id] = _new_row(run, observed.endpoint_id)
        # A row the user approved already holds its slot: it is not counted against itself.
        holding = run.driver.accepts_on_user_approval and row.state in PrivateLinkConnection.LIVE
        refusal = _refusal(run, live - holding) if observed.phase == Phase.PENDING else ""
        decision = decide(
            row.state, observed.phase, observed.owner, link.principals, refusal, run.driver
        )
        _carry_out(run, service_id, row, decision)
        live += decision.live_change
        row.observe(_status_after(run, observed, decision), observed.address, observed.owner)
    for endpoint_id, row in rows.items():
        if endpoint_id not in seen and row.state != State.DELETED:
            row.mark_gone()
    live_after = {e for e, c in rows.items() if c.state in PrivateLinkConnection.LIVE}
    return live_after != live_before


def _carry_out(run: Run, service_id: str, row: PrivateLinkConnection, decision: Decision) -> None:
    """The cloud call, the row's transition and the audit event of one decision."""
    endpoint_ids = [row.endpoint_id]
    match decision.verdict:
        case Verdict.ACCEPT:
            run.driver.accept_connections(service_id, endpoint_ids)
            row.mark_approved()
            run.event(
                "connection_accepted",
                endpoint_id=row.endpoint_id,
                privatelink_connection_id=row.privatelink_connection_id,
            )
        case Verdict.REJECT:
            run.driver.reject_connections(service_id, endpoint_ids)
            row.mark_rejected(decision.reason)
            run.event("connection_rejected", endpoint_id=row.endpoint_id, reason=decision.reason)
        case Verdict.REJECT_AGAIN:
            run.driver.reject_connections(service_id, endpoint_ids)
        case Verdict.MARK if decision.state is not None:
            row.follow(decision.state)
    if decision.polls:
        run.wait(ACCEPT_POLL_SECONDS)


def _status_after(run: Run, observed: ObservedConnection, decision: Decision) -> str:
    """The endpoint's state in the cloud's words once the decision is carried out."""
    phase = decision.phase_after(observed.phase)
    return observed.status.lower() if phase == observed.phase else run.driver.status_of(phase)
