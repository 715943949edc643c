"""The Google resources of one PrivateLink and of one Project VPC, each by its collection
and name, with the name of its deletion: in the order a teardown deletes them (an
attachment holds its NAT subnet and rule, a rule its backend service, that its group; a
subnet its network)."""

from dataclasses import dataclass

from privatelink.clouds.google.inventory import (
    BACKEND_SERVICES,
    ENDPOINT_GROUPS,
    FORWARDING_RULES,
    NETWORKS,
    SERVICE_ATTACHMENTS,
    SUBNETWORKS,
)
from privatelink.clouds.google.names import (
    backend_service_name,
    endpoint_group_name,
    forwarding_rule_name,
    nat_subnet_name,
    network_name,
    nodes_subnet_name,
    service_attachment_name,
)
from privatelink.clouds.google.operations import GoogleGateway


@dataclass(frozen=True)
class Part:
    deletion: str  # the gateway's name of its delete
    collection: str
    name: str
    regional: bool = True


def link_parts(privatelink_id: int) -> list[Part]:
    return [
        Part(
            "delete_service_attachment",
            SERVICE_ATTACHMENTS,
            service_attachment_name(privatelink_id),
        ),
        Part("delete_subnetwork", SUBNETWORKS, nat_subnet_name(privatelink_id)),
        Part("delete_forwarding_rule", FORWARDING_RULES, forwarding_rule_name(privatelink_id)),
        Part("delete_backend_service", BACKEND_SERVICES, backend_service_name(privatelink_id)),
        Part("delete_network_endpoint_group", ENDPOINT_GROUPS, endpoint_group_name(privatelink_id)),
    ]


def network_parts(project_vpc_id: int) -> list[Part]:
    return [
        Part("delete_subnetwork", SUBNETWORKS, nodes_subnet_name(project_vpc_id)),
        Part("delete_network", NETWORKS, network_name(project_vpc_id), regional=False),
    ]


def settle(gateway: GoogleGateway, parts: list[Part], *, deleting: bool) -> None:
    """InProgress while Google still carries out a change an earlier run started on one of
    `parts`: one look at the recorded operation (no read of the resources) is all a run
    costs while it waits. The error of a change that failed is raised as it would have
    been in its own run; when `deleting`, only a failed deletion's (a teardown goes on
    past a failed insert: there is nothing of it to delete)."""
    for part in parts:
        gateway.settle(
            part.collection,
            part.name,
            regional=part.regional,
            deletion=part.deletion if deleting else None,
        )
