"""Deleting a PrivateLink from AWS in AWS's order, then its row once nothing of ours is left.

Order: reject connections, delete DNS records, delete the endpoint service, delete the
listeners, delete the NLB, delete the target groups.
"""

from privatelink import hosts
from privatelink.clouds.aws.gateway import Gateway
from privatelink.engine import connection_dns, naming
from privatelink.engine.run import Run
from privatelink.models import PrivateLinkConnection

DELETE_POLL_SECONDS = 5
REJECTED_BY_DELETION = "The PrivateLink is being deleted."
State = PrivateLinkConnection.State
_OPEN_CONNECTION_STATES = {"pendingacceptance", "pending", "available"}


def teardown(run: Run, gateway: Gateway) -> bool:
    """Remove everything of this PrivateLink from AWS; True once AWS is clean."""
    link = run.privatelink
    tagged = gateway.our_endpoint_services(owner=run.owner)
    services = [s for s in tagged if s.owned_by(run.owner)]
    recorded = link.aws_details.service_id
    if recorded and all(s.service_id != recorded for s in services):
        services += gateway.endpoint_services([recorded]).values()
    service_ids = [s.service_id for s in services]

    for connection in gateway.connections(service_ids):
        if connection.state.lower() in _OPEN_CONNECTION_STATES:
            gateway.reject_connections(connection.service_id, [connection.vpc_endpoint_id])
    # What the connection list shows: none of them connects any more.
    link.connections.exclude(state__in=PrivateLinkConnection.ENDED).update(
        state=State.REJECTED, rejection_reason=REJECTED_BY_DELETION
    )

    owned = hosts.hosts_of(link)
    if owned and (link.connections.filter(dns_record_published=True).exists() or service_ids):
        # The platform's zone is Route 53's, which the gateway serves.
        connection_dns.remove_records(link, gateway, owned)

    for service in services:
        if service.state.lower() not in {"deleting", "deleted"}:
            gateway.delete_endpoint_service(service.service_id)
    if any(s.state.lower() == "deleting" for s in gateway.endpoint_services(service_ids).values()):
        run.wait(DELETE_POLL_SECONDS)
        return False

    balancers = [
        lb
        for lb in gateway.find_load_balancers(naming.load_balancer_name(link.pk))
        if lb.owned_by(run.owner)
    ]
    for balancer in balancers:
        for listener in gateway.listeners(balancer.arn):
            gateway.delete_listener(listener.arn)
        gateway.delete_load_balancer(balancer.arn)

    # Only groups named for this link have their tags described (20 per call).
    for group in gateway.our_target_groups(
        lambda name: naming.privatelink_id_of_name(name) == link.pk
    ):
        if group.owned_by(run.owner):
            gateway.delete_target_group(group.arn)

    link.listeners.all().delete()
    return True
