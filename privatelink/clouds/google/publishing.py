"""The front, the service attachment and its lists of one PrivateLink on Google.

The front is a port mapping service: the link's port mapping group in the nodes' subnet,
an internal backend service over it and an all-ports internal forwarding rule. The
attachment publishes that rule, translating connections into a PSC NAT subnet of its own.
Each step reads first: what an earlier (possibly crashed) run made is found by its
deterministic name and taken only if its marks say it is this link's. What Google reports
is written to the link's `GooglePrivateLink` row.
"""

from collections.abc import Callable
from dataclasses import dataclass

from privatelink.clouds.google import parts
from privatelink.clouds.google.calls import name_of, path_of
from privatelink.clouds.google.errors import Retryable, Terminal
from privatelink.clouds.google.load_balancers import GoogleForwardingRule
from privatelink.clouds.google.names import (
    backend_service_name,
    endpoint_group_name,
    forwarding_rule_name,
    nat_subnet_name,
    service_attachment_name,
)
from privatelink.clouds.google.network import GoogleNetwork, GoogleSubnet, free_nat_range
from privatelink.clouds.google.operations import GoogleGateway
from privatelink.clouds.google.ownership import claim
from privatelink.clouds.google.private_link import CLOSED, GoogleServiceAttachment
from privatelink.engine.run import Run
from privatelink.models import GooglePrivateLink, PrivateLink, PrivateLinkConnection

# Connections the user approved (their endpoints accepted) and those the console refused.
# Google's words when a subnet's range overlaps one the network already has.
RANGE_TAKEN = "conflicts with existing subnetwork"
# Inserts of a NAT subnet a run tries before leaving it to the next run.
NAT_RANGE_ATTEMPTS = 3
_APPROVED = PrivateLinkConnection.LIVE
_REJECTED = PrivateLinkConnection.State.REJECTED


@dataclass(frozen=True)
class NodesNetwork:
    """The Project VPC's network and the nodes' subnet, where the front sits."""

    network: GoogleNetwork
    subnet: GoogleSubnet


@dataclass(frozen=True)
class PublishedAttachment:
    """The service attachment as the engine sees a published service: named by its path
    (what customers target), usable once made (Google builds it within the insert)."""

    service_id: str
    available: bool = True


def details(link: PrivateLink) -> GooglePrivateLink:
    """The link's Google row (made here for a link created before it had one)."""
    try:
        return link.google
    except GooglePrivateLink.DoesNotExist:
        row, _ = GooglePrivateLink.objects.get_or_create(privatelink=link)
        link.google = row
        return row


def attachment_path(self_link: str) -> str:
    """`projects/<p>/regions/<r>/serviceAttachments/<name>` from any link to it."""
    return path_of(self_link)


def wanted_lists(
    link: PrivateLink, found: GoogleServiceAttachment
) -> tuple[frozenset[str], frozenset[str]]:
    """The endpoints (by path) the attachment should accept, those of the link's approved
    connections, and refuse, those of its rejected ones. An endpoint not approved yet is
    on neither, so Google keeps it pending whatever its project; a closed one too."""
    states = dict(link.connections.values_list("endpoint_id", "state"))
    connected = [e for e in found.endpoints if e.status.upper() != CLOSED]
    accepted = {e.path for e in connected if states.get(e.psc_connection_id) in _APPROVED}
    rejected = {e.path for e in connected if states.get(e.psc_connection_id) == _REJECTED}
    return frozenset(accepted), frozenset(rejected)


def lists_drifted(link: PrivateLink, found: GoogleServiceAttachment) -> bool:
    """Whether the lists decide a connected endpoint otherwise than the link's rows, or
    still name whole projects or networks."""
    accepted, rejected = wanted_lists(link, found)
    connected = {e.path for e in found.endpoints if e.status.upper() != CLOSED}
    differ = (found.accepted_endpoints ^ accepted) | (found.rejected_endpoints ^ rejected)
    return bool(differ & connected or found.wholesale)


def ensure_front(
    run: Run, gateway: GoogleGateway, nodes: Callable[[], NodesNetwork]
) -> GoogleForwardingRule:
    """The link's forwarding rule, over its port mapping service and group; `nodes` is
    asked only when something must be made."""
    link = run.privatelink
    # A part still being made holds the build up: wait for it without reading them all.
    parts.settle(gateway, parts.link_parts(link.pk), deleting=False)
    rule = gateway.forwarding_rule(forwarding_rule_name(link.pk))
    if rule is not None:
        rule = claim(rule, rule.self_link, run.owner, "find")
    else:
        where = nodes()
        group = gateway.create_endpoint_group(
            endpoint_group_name(link.pk), where.network.self_link, where.subnet.self_link, run.owner
        )
        service = gateway.create_port_mapping_service(
            backend_service_name(link.pk), group.self_link, run.owner
        )
        rule = gateway.create_forwarding_rule(
            forwarding_rule_name(link.pk), service, where.subnet, [], run.owner
        )
        run.event("forwarding_rule_created", forwarding_rule=rule.name)
    details(link).save_changes(forwarding_rule=rule.self_link)
    return rule


def ensure_attachment(
    run: Run, gateway: GoogleGateway, rule: GoogleForwardingRule, nodes: Callable[[], NodesNetwork]
) -> PublishedAttachment:
    """The attachment publishing the rule, with its own NAT subnet, accepting the link's
    projects; recorded as READY."""
    link = run.privatelink
    row = details(link)
    found = gateway.service_attachment(service_attachment_name(link.pk))
    if found is not None:
        found = claim(found, found.self_link, run.owner, "find")
    else:
        if row.service_attachment:
            run.event(
                "drift_repaired", resource="service attachment", missing=row.service_attachment
            )
        found = _create_attachment(run, gateway, rule, nodes())
    was_ready = row.status == GooglePrivateLink.READY
    path = attachment_path(found.self_link)
    row.save_changes(
        service_attachment=path,
        nat_subnet=found.nat_subnets[0] if found.nat_subnets else "",
        status=GooglePrivateLink.READY,
    )
    if not was_ready:
        run.event("service_attachment_available", service_attachment=path)
    return PublishedAttachment(path)


def _create_nat_subnet(
    gateway: GoogleGateway, name: str, network: GoogleNetwork, owner: str, privatelink_id: int
) -> GoogleSubnet:
    """The link's PSC NAT subnet in a free /26 of the NAT range, looked for from the link's
    own place in it. Another link's subnet made between the listing and the insert takes
    the range (Google refuses the insert as invalid): the subnets are listed again and
    another free range tried."""
    for _ in range(NAT_RANGE_ATTEMPTS):
        taken = [s.ip_cidr_range for s in gateway.subnets_of(network)]
        cidr = free_nat_range(taken, start=privatelink_id)
        try:
            return gateway.create_subnet(name, network, cidr, owner, psc_nat=True)
        except Terminal as exc:
            if RANGE_TAKEN not in str(exc):
                raise
    raise Retryable(
        "PscNatRangeTaken",
        f"Other links took each free range tried for {name}; the next run looks again.",
        "create_subnetwork",
    )


def _create_attachment(
    run: Run, gateway: GoogleGateway, rule: GoogleForwardingRule, where: NodesNetwork
) -> GoogleServiceAttachment:
    link = run.privatelink
    name = nat_subnet_name(link.pk)
    nat = gateway.subnet(name)
    if nat is None:
        nat = _create_nat_subnet(gateway, name, where.network, run.owner, link.pk)
    else:
        nat = claim(nat, nat.self_link, run.owner, "create_subnetwork")
    return gateway.create_service_attachment(
        service_attachment_name(link.pk), rule.self_link, nat.self_link, run.owner
    )


def ensure_accept_list(run: Run, gateway: GoogleGateway, service_id: str, settled: bool) -> None:
    """The attachment accepts exactly the endpoints of the link's approved connections and
    refuses those of its rejected ones, each by its own entry.

    An attachment that still lists projects (made before the console accepted by endpoint)
    is rewritten to endpoint entries in one patch, keeping every approved connection.
    `settled`: the user changed nothing since the last run, so a difference was made behind
    the console's back and is reported as repaired drift."""
    name = name_of(service_id)
    found = gateway.service_attachment(name)
    if found is None:
        return
    accepted, rejected = wanted_lists(run.privatelink, found)
    current = (found.accepted_endpoints, found.rejected_endpoints)
    if current == (accepted, rejected) and not found.wholesale:
        return
    drifted = lists_drifted(run.privatelink, found)
    gateway.set_endpoint_lists(name, accepted, rejected)
    if found.wholesale:
        run.event("accept_list_by_endpoint", replaced=sorted(found.wholesale))
    elif settled and drifted:
        run.event(
            "drift_repaired",
            resource="accepted endpoints",
            added=sorted(accepted - found.accepted_endpoints),
            removed=sorted(found.accepted_endpoints - accepted),
        )
