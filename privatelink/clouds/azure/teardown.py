"""Deleting a PrivateLink from Azure in Azure's order, then its rows once nothing of ours is
left: reject the open connections, delete the connection hosts, delete the private link
service (it holds the load balancer's frontend), then the load balancer."""

from privatelink import hosts
from privatelink.clouds.azure.names import load_balancer_name, private_link_service_name
from privatelink.clouds.azure.operations import AzureGateway
from privatelink.clouds.azure.private_link import APPROVED, PENDING
from privatelink.clouds.dns import DnsZone
from privatelink.engine import connection_dns
from privatelink.engine.run import Run
from privatelink.models import PrivateLinkConnection

REJECTED_BY_DELETION = "The PrivateLink is being deleted."
State = PrivateLinkConnection.State


def teardown(run: Run, gateway: AzureGateway, dns: DnsZone) -> bool:
    """Remove everything of this PrivateLink from Azure, in order; True once Azure is
    clean. A delete still running ends the run (InProgress): the next run reads what is
    left and carries on from there, sending no second DELETE while one runs."""
    link = run.privatelink
    service_name = private_link_service_name(link.pk)
    service = gateway.private_link_service(service_name)
    ours = service is not None and service.owned_by(run.owner)
    if ours:
        for connection in gateway.connections(service_name):
            if connection.status in (PENDING, APPROVED):
                gateway.reject_connection(service_name, connection.name, REJECTED_BY_DELETION)
    # What the connection list shows: none of them connects any more.
    link.connections.exclude(state__in=PrivateLinkConnection.ENDED).update(
        state=State.REJECTED, rejection_reason=REJECTED_BY_DELETION
    )
    owned = hosts.hosts_of(link)
    if owned and (link.connections.filter(dns_record_published=True).exists() or ours):
        connection_dns.remove_records(link, dns, owned)
    if ours:
        gateway.delete_private_link_service(service_name)
    balancer = gateway.load_balancer(load_balancer_name(link.pk))
    if balancer is not None and balancer.owned_by(run.owner):
        gateway.delete_load_balancer(balancer.name)
    link.listeners.all().delete()
    return True
