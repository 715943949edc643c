"""Leaked AWS resources of this deployment: endpoint services, NLBs and target groups
tagged for a PrivateLink that has no row, found and removed in AWS's order."""

import logging
from collections.abc import Callable, Sequence

from privatelink.clouds.aws.gateway import AwsEndpointService, Gateway, GatewayError, Tagged
from privatelink.clouds.driver import Leak, PublishedService
from privatelink.engine import naming

logger = logging.getLogger(__name__)

ENDPOINT_SERVICE = "endpoint-service"
LOAD_BALANCER = "load-balancer"
TARGET_GROUP = "target-group"


def leaks(
    gateway: Gateway, known_links: set[int], published: Sequence[PublishedService]
) -> list[Leak]:
    """Our resources of PrivateLinks without a row, in the order they must go: endpoint
    services, then load balancers, then target groups. Untagged resources are never listed."""

    def leaked(resource: Tagged) -> bool:
        link_id = naming.privatelink_id_of(resource.owner)
        return link_id is not None and link_id not in known_links

    def maybe_leaked(name: str) -> bool:
        # Names are deterministic: only these need their tags described to be sure.
        link_id = naming.privatelink_id_of_name(name)
        return link_id is not None and link_id not in known_links

    services = [s for s in published if isinstance(s, AwsEndpointService) and leaked(s)]
    balancers = [lb for lb in gateway.our_load_balancers(maybe_leaked) if leaked(lb)]
    groups = [tg for tg in gateway.our_target_groups(maybe_leaked) if leaked(tg)]
    return [
        *(Leak(s.service_id, ENDPOINT_SERVICE) for s in services),
        *(Leak(lb.arn, LOAD_BALANCER) for lb in balancers),
        *(Leak(tg.arn, TARGET_GROUP) for tg in groups),
    ]


def remove_leaks(gateway: Gateway, due: list[Leak]) -> list[str]:
    """Delete the leaks in the order given; the ids of those deleted."""
    removed: list[str] = []
    for leak in due:
        if leak.kind == ENDPOINT_SERVICE:
            delete: Callable[[str], None] = gateway.delete_endpoint_service
        elif leak.kind == LOAD_BALANCER:
            for listener in gateway.listeners(leak.resource_id):
                gateway.delete_listener(listener.arn)
            delete = gateway.delete_load_balancer
        else:
            delete = gateway.delete_target_group
        if _try(delete, leak.resource_id):
            removed.append(leak.resource_id)
    return removed


def _try(delete: Callable[[str], None], resource_id: str) -> bool:
    try:
        delete(resource_id)
    except GatewayError as exc:
        # A target group still in use by a deleting NLB: the next sweep gets it.
        logger.info("Leaked %s not removed yet: %s", resource_id, exc)
        return False
    return True
