"""The VPC network of a service's nodes: the nodes' subnet, where the internal load
balancer's address sits, and the PSC NAT subnets (`purpose: PRIVATE_SERVICE_CONNECT`)
whose addresses the service attachments translate customers' connections to.

The platform keeps 172.24.0.0/16 for the NAT subnets: each service attachment has a /26
of it (60 endpoints: Google keeps 4 addresses of a subnet), the first free in its network
from a place given by the PrivateLink's id.
"""

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

from google.cloud import compute_v1

from console import catalog
from privatelink.clouds.google.calls import GoogleCalls, name_of
from privatelink.clouds.google.errors import Terminal
from privatelink.clouds.google.labels import Tagged, ownership_description, tags_of
from privatelink.clouds.google.ownership import claim

# The platform's reserved range on Google (a Project VPC there may not overlap it).
[(_RESERVED, _)] = catalog.RESERVED_RANGES["google"]
PSC_NAT_RANGE = ipaddress.IPv4Network(_RESERVED)
NAT_PREFIX_LENGTH = 26
PURPOSE_PSC = "PRIVATE_SERVICE_CONNECT"
PURPOSE_PRIVATE = "PRIVATE"


@dataclass(frozen=True)
class GoogleNetwork(Tagged):
    name: str
    self_link: str


@dataclass(frozen=True)
class GoogleSubnet(Tagged):
    name: str
    self_link: str
    network: str
    ip_cidr_range: str
    purpose: str


def _network(raw: compute_v1.Network) -> GoogleNetwork:
    return GoogleNetwork(raw.name, raw.self_link, tags=tags_of(raw.description))


def _subnet(raw: compute_v1.Subnetwork) -> GoogleSubnet:
    return GoogleSubnet(
        raw.name,
        raw.self_link,
        raw.network,
        raw.ip_cidr_range,
        raw.purpose,
        tags=tags_of(raw.description),
    )


def free_nat_range(taken: Iterable[str], start: int = 0) -> str:
    """The first /26 of the PSC NAT range, from its `start`-th on (wrapping around), that
    overlaps none of `taken` (the ranges of the network's subnets); Terminal when the
    range is full. Links created at once each start from a place of their own, so they
    seldom pick the same range."""
    used = [ipaddress.ip_network(cidr) for cidr in taken]
    blocks = list(PSC_NAT_RANGE.subnets(new_prefix=NAT_PREFIX_LENGTH))
    offset = start % len(blocks)
    for block in blocks[offset:] + blocks[:offset]:
        if not any(block.overlaps(other) for other in used):
            return str(block)
    raise Terminal(
        "PscNatRangeExhausted",
        f"Every /{NAT_PREFIX_LENGTH} of {PSC_NAT_RANGE} is taken in this network.",
        "free_nat_range",
    )


class NetworkOperations(GoogleCalls):
    def network(self, name: str) -> GoogleNetwork | None:
        raw = self._read(
            "get_network",
            lambda: self._compute.networks.get(project=self.project, **self._reads, network=name),
        )
        return None if raw is None else _network(raw)

    def create_network(self, name: str, owner: str) -> GoogleNetwork:
        """A custom-mode network (its subnets are made one by one); an earlier run's is
        reused."""
        found = self.network(name)
        if found is not None:
            return claim(found, found.self_link, owner, "create_network")
        resource = compute_v1.Network(
            name=name,
            auto_create_subnetworks=False,
            description=ownership_description(owner),
            routing_config=compute_v1.NetworkRoutingConfig(routing_mode="REGIONAL"),
        )
        return self._insert(
            "create_network",
            self._path("networks", name, regional=False),
            lambda: self._compute.networks.insert(
                project=self.project, **self._writes, network_resource=resource
            ),
            lambda: self.network(name),
        )

    def subnet(self, name: str) -> GoogleSubnet | None:
        raw = self._read(
            "get_subnetwork",
            lambda: self._compute.subnetworks.get(
                project=self.project, **self._reads, region=self.region, subnetwork=name
            ),
        )
        return None if raw is None else _subnet(raw)

    def subnets_of(self, network: GoogleNetwork) -> list[GoogleSubnet]:
        """The network's subnets in this region (their ranges are what a new one avoids)."""
        raw = self._list(
            "list_subnetworks",
            lambda: self._compute.subnetworks.list(
                project=self.project, **self._reads, region=self.region
            ),
        )
        return [_subnet(item) for item in raw if name_of(item.network) == network.name]

    def create_subnet(
        self, name: str, network: GoogleNetwork, cidr: str, owner: str, *, psc_nat: bool = False
    ) -> GoogleSubnet:
        """A subnet of the network in this region: the nodes' (PRIVATE) or a PSC NAT subnet;
        an earlier run's is reused."""
        found = self.subnet(name)
        if found is not None:
            return claim(found, found.self_link, owner, "create_subnetwork")
        resource = compute_v1.Subnetwork(
            name=name,
            network=network.self_link,
            ip_cidr_range=cidr,
            purpose=PURPOSE_PSC if psc_nat else PURPOSE_PRIVATE,
            description=ownership_description(owner),
        )
        return self._insert(
            "create_subnetwork",
            self._path("subnetworks", name),
            lambda: self._compute.subnetworks.insert(
                project=self.project,
                **self._writes,
                region=self.region,
                subnetwork_resource=resource,
            ),
            lambda: self.subnet(name),
        )

    def delete_subnet(self, name: str) -> None:
        self._delete(
            "delete_subnetwork",
            lambda: self._compute.subnetworks.delete(
                project=self.project, **self._writes, region=self.region, subnetwork=name
            ),
            self._path("subnetworks", name),
        )

    def delete_network(self, name: str) -> None:
        self._delete(
            "delete_network",
            lambda: self._compute.networks.delete(
                project=self.project, **self._writes, network=name
            ),
            self._path("networks", name, regional=False),
        )
