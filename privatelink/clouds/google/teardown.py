"""Deleting a PrivateLink from Google in Google's order, then its rows once nothing of ours
is left: the connections are marked rejected and their hosts deleted, then the service
attachment (its customers' endpoints are closed), its NAT subnet, the forwarding rule, the
port mapping service and its group."""

from privatelink import hosts
from privatelink.clouds.dns import DnsZone
from privatelink.clouds.google import parts
from privatelink.clouds.google.labels import Tagged
from privatelink.clouds.google.names import (
    backend_service_name,
    endpoint_group_name,
    forwarding_rule_name,
    nat_subnet_name,
    service_attachment_name,
)
from privatelink.clouds.google.operations import GoogleGateway
from privatelink.engine import connection_dns
from privatelink.engine.run import Run
from privatelink.models import PrivateLinkConnection

REJECTED_BY_DELETION = "The PrivateLink is being deleted."
State = PrivateLinkConnection.State


def _ours(found: Tagged | None, run: Run) -> bool:
    return found is not None and found.owned_by(run.owner)


def teardown(run: Run, gateway: GoogleGateway, dns: DnsZone) -> bool:
    """Remove everything of this PrivateLink from Google, in order; True once Google is
    clean. A delete still running ends the run (InProgress): the next run finds the
    resources left by their names and carries on from there, starting no delete twice."""
    link = run.privatelink
    pk = link.pk
    parts.settle(gateway, parts.link_parts(pk), deleting=True)
    attachment = gateway.service_attachment(service_attachment_name(pk))
    # What the connection list shows: none of them connects any more.
    link.connections.exclude(state__in=PrivateLinkConnection.ENDED).update(
        state=State.REJECTED, rejection_reason=REJECTED_BY_DELETION
    )
    owned = hosts.hosts_of(link)
    if owned and (
        link.connections.filter(dns_record_published=True).exists() or _ours(attachment, run)
    ):
        connection_dns.remove_records(link, dns, owned)
    if _ours(attachment, run):
        gateway.delete_service_attachment(service_attachment_name(pk))
    if _ours(gateway.subnet(nat_subnet_name(pk)), run):
        gateway.delete_subnet(nat_subnet_name(pk))
    if _ours(gateway.forwarding_rule(forwarding_rule_name(pk)), run):
        gateway.delete_forwarding_rule(forwarding_rule_name(pk))
    if _ours(gateway.backend_service(backend_service_name(pk)), run):
        gateway.delete_backend_service(backend_service_name(pk))
    if _ours(gateway.endpoint_group(endpoint_group_name(pk)), run):
        gateway.delete_endpoint_group(endpoint_group_name(pk))
    link.listeners.all().delete()
    return True
