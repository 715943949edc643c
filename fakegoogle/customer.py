"""The customer's side: a Private Service Connect endpoint in the customer's own project,
made with the SDK as a customer would, against a service attachment.

The first endpoint of a project in a region creates the network `customer-network` and
its subnetwork `endpoints` (10.1.0.0/24), reused later; each endpoint is a forwarding rule
whose target is the service attachment.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from google.api_core.exceptions import NotFound
from google.cloud import compute_v1

from fakegoogle.resources import path_of
from fakegoogle.sdk import Compute

NETWORK = "customer-network"
SUBNET = "endpoints"
SUBNET_RANGE = "10.1.0.0/24"


@dataclass(frozen=True)
class Endpoint:
    name: str
    region: str
    psc_connection_id: str
    status: str  # PENDING, ACCEPTED, REJECTED or CLOSED
    ip_address: str

    @classmethod
    def of(cls, rule: compute_v1.ForwardingRule) -> Endpoint:
        return cls(
            name=rule.name,
            region=rule.region.rsplit("/", 1)[-1],
            psc_connection_id=str(rule.psc_connection_id),
            status=rule.psc_connection_status,
            ip_address=rule.I_p_address,
        )


def attachment_region(service_attachment: str) -> str:
    """The region in `projects/<p>/regions/<r>/serviceAttachments/<name>`."""
    parts = path_of(service_attachment).split("/")
    if (
        len(parts) != 6
        or parts[0] != "projects"
        or parts[2] != "regions"
        or parts[4] != ("serviceAttachments")
    ):
        raise ValueError(
            f"{service_attachment!r} is not projects/<p>/regions/<r>/serviceAttachments/<name>"
        )
    return parts[3]


class Customer:
    """A customer project acting through the real SDK."""

    def __init__(self, project: str, endpoint_url: str) -> None:
        self.project = project
        self.compute = Compute(endpoint_url)

    def create_endpoint(self, service_attachment: str, name: str | None = None) -> Endpoint:
        """A PSC endpoint targeting the service attachment, as the attachment answered it."""
        region = attachment_region(service_attachment)
        self._ensure_network(region)
        name = name or f"psc-{uuid.uuid4().hex[:8]}"
        rule = compute_v1.ForwardingRule(
            name=name,
            target=path_of(service_attachment),
            network=f"projects/{self.project}/global/networks/{NETWORK}",
            subnetwork=f"projects/{self.project}/regions/{region}/subnetworks/{SUBNET}",
        )
        operation = self.compute.forwarding_rules.insert(
            project=self.project, region=region, forwarding_rule_resource=rule
        )
        self.compute.wait(operation, self.project)
        return self.endpoint(region, name)

    def endpoint(self, region: str, name: str) -> Endpoint:
        return Endpoint.of(
            self.compute.forwarding_rules.get(
                project=self.project, region=region, forwarding_rule=name
            )
        )

    def list_endpoints(self) -> list[Endpoint]:
        pages = self.compute.forwarding_rules.aggregated_list(project=self.project)
        return [
            Endpoint.of(rule)
            for _, scoped in pages
            for rule in scoped.forwarding_rules
            if rule.target and "/serviceAttachments/" in rule.target
        ]

    def delete_endpoint(self, region: str, name: str) -> None:
        operation = self.compute.forwarding_rules.delete(
            project=self.project, region=region, forwarding_rule=name
        )
        self.compute.wait(operation, self.project)

    def _ensure_network(self, region: str) -> None:
        try:
            self.compute.networks.get(project=self.project, network=NETWORK)
        except NotFound:
            operation = self.compute.networks.insert(
                project=self.project,
                network_resource=compute_v1.Network(name=NETWORK, auto_create_subnetworks=False),
            )
            self.compute.wait(operation, self.project)
        try:
            self.compute.subnetworks.get(project=self.project, region=region, subnetwork=SUBNET)
        except NotFound:
            operation = self.compute.subnetworks.insert(
                project=self.project,
                region=region,
                subnetwork_resource=compute_v1.Subnetwork(
                    name=SUBNET,
                    network=f"projects/{self.project}/global/networks/{NETWORK}",
                    ip_cidr_range=SUBNET_RANGE,
                ),
            )
            self.compute.wait(operation, self.project)
