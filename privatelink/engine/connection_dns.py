"""The connection hosts of one PrivateLink in the platform's DNS zone, in no cloud's terms.

Each connected endpoint gets privatelink-N-<host label> pointing at its address (a CNAME to
the endpoint's DNS name, or an A record to the IP address the user gave for it), with an
ownership record beside it; only hosts the PrivateLink owns (in the database, and marked
so in the zone) are written or deleted. The zone is reached through `DnsZone`, whichever
cloud holds the link.
"""

import logging
from collections.abc import Iterable

from privatelink import hosts
from privatelink.clouds.dns import A_RECORD, CNAME_RECORD, OWNER_RECORD_PREFIX, DnsRecord, DnsZone
from privatelink.engine import naming
from privatelink.engine.run import Run
from privatelink.hosts import connection_host
from privatelink.models import ConnectionHost, PrivateLink, PrivateLinkConnection

logger = logging.getLogger(__name__)


def record_for(row: PrivateLinkConnection, owner: str) -> DnsRecord | None:
    """The record the connection's host should have: an A record to the address the user
    gave for the endpoint, else a CNAME to the endpoint's DNS name; None without either."""
    if row.user_ip_address:
        return DnsRecord(target=str(row.user_ip_address), owner=owner, kind=A_RECORD)
    if row.dns_name:
        return DnsRecord(target=row.dns_name, owner=owner, kind=CNAME_RECORD)
    return None


def sync_dns(run: Run, settled: bool) -> list[str]:
    """One record per connected endpoint that has an address, with its ownership record;
    records of connections no longer live are removed. Only hosts this PrivateLink owns are
    touched: a host another owner holds is left alone, and the words saying so are returned
    for the row."""
    link = run.privatelink
    rows = list(link.connections.all())
    me = naming.dns_owner(link.pk)
    wanted: dict[str, tuple[PrivateLinkConnection, DnsRecord]] = {}
    for row in rows:
        record = record_for(row, me)
        if row.state in PrivateLinkConnection.REACHABLE and record is not None:
            wanted[hosts.connection_host(link.service, row.number)] = (row, record)
    if not wanted and not any(row.dns_record_published for row in rows):
        return []
    owned = hosts.hosts_of(link)
    dns = run.driver.dns
    zone = dns.hosted_zone(hosts.domain())
    records = dns.dns_records(zone, owned | set(wanted))
    conflicts: list[str] = []
    for host, (row, desired) in wanted.items():
        record = records.get(host)
        if not (_claim(link, host, owned) and _ours(record, me, row, desired)):
            conflicts.append(_held_elsewhere(run, row, host, zone, record))
            continue
        if record != desired:
            _publish(dns, zone, host, record, desired)
            changed = record is None or (record.target, record.kind) != (
                desired.target,
                desired.kind,
            )
            if row.dns_record_published and settled and changed:
                run.event("drift_repaired", resource="DNS record", name=host)
        row.mark_published()
    for host, record in records.items():
        if host not in wanted and host in owned and record.owner in ("", me):
            dns.delete_record(zone, host, record)
    for row in rows:
        if hosts.connection_host(link.service, row.number) not in wanted:
            row.mark_unpublished()
    return conflicts


def _publish(
    dns: DnsZone, zone: str, host: str, record: DnsRecord | None, desired: DnsRecord
) -> None:
    """Write the host's record; one of the other kind goes first (a CNAME may share its
    name with no other record)."""
    if record is not None and record.target and record.kind != desired.kind:
        dns.delete_record(zone, host, DnsRecord(target=record.target, kind=record.kind))
    if desired.kind == A_RECORD:
        dns.publish_a(zone, host, desired.target, desired.owner)
    else:
        dns.publish_cname(zone, host, desired.target, desired.owner)


def _claim(link: PrivateLink, host: str, owned: set[str]) -> bool:
    """Whether the database gives `host` to this PrivateLink; a host no one ever had (a
    connection older than host ownership) is taken now."""
    if host in owned:
        return True
    row, _ = ConnectionHost.objects.get_or_create(host=host, defaults={"privatelink": link})
    return row.privatelink_id == link.pk


def _ours(
    record: DnsRecord | None, me: str, row: PrivateLinkConnection, desired: DnsRecord
) -> bool:
    """Whether the zone's record of a host may be written for this PrivateLink: none yet,
    marked as ours, or unmarked and written by us before ownership records existed."""
    if record is None or record.owner == me:
        return True
    if record.owner:
        return False
    return record.target == desired.target or row.dns_record_published


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


def remove_records(link: PrivateLink, dns: DnsZone, owned: set[str]) -> None:
    """Delete the records of the hosts the link owns, never one marked as another's."""
    zone = dns.hosted_zone(hosts.domain())
    me = naming.dns_owner(link.pk)
    for name, record in dns.dns_records(zone, owned).items():
        if record.owner in ("", me):
            dns.delete_record(zone, name, record)
    link.connections.update(dns_record_published=False)


def drifted(dns: DnsZone, links: Iterable[PrivateLink]) -> set[int]:
    """Service ids whose published connection records are missing, point elsewhere or lack
    their ownership record."""
    expected = {
        connection_host(link.service, c.number): (link.service_id, record)
        for link in links
        for c in link.connections.all()
        if c.dns_record_published and (record := record_for(c, naming.dns_owner(link.pk)))
    }
    if not expected:
        return set()
    zone = dns.hosted_zone(hosts.domain())
    records = dns.dns_records(zone, expected)
    return {
        service_id for host, (service_id, record) in expected.items() if records.get(host) != record
    }
