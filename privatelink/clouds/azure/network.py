"""The virtual network of a service's nodes: the nodes' subnet, where the load balancer's
frontend sits, and the NAT subnet whose addresses the private link service translates
customers' connections to (network policies disabled there, as Azure requires)."""

from dataclasses import dataclass

from azure.mgmt.network.models import Subnet, VirtualNetwork

from privatelink.clouds.azure.calls import NO_POLLING, AzureCalls, Json, properties
from privatelink.clouds.azure.ownership import claim
from privatelink.clouds.azure.tags import Tagged, ownership_tags

NODES_SUBNET = "nodes"
NAT_SUBNET = "privatelink-nat"


@dataclass(frozen=True)
class AzureSubnet:
    id: str
    name: str
    address_prefix: str
    private_link_service_network_policies: str
    provisioning_state: str


@dataclass(frozen=True)
class AzureVirtualNetwork(Tagged):
    id: str
    name: str
    address_prefixes: tuple[str, ...]
    subnets: tuple[AzureSubnet, ...]
    provisioning_state: str

    def subnet(self, name: str) -> AzureSubnet | None:
        return next((s for s in self.subnets if s.name.lower() == name.lower()), None)


def _subnet(raw: Json) -> AzureSubnet:
    props = properties(raw)
    return AzureSubnet(
        id=str(raw.get("id", "")),
        name=str(raw.get("name", "")),
        address_prefix=str(props.get("addressPrefix", "")),
        private_link_service_network_policies=str(
            props.get("privateLinkServiceNetworkPolicies", "")
        ),
        provisioning_state=str(props.get("provisioningState", "")),
    )


def _virtual_network(raw: Json) -> AzureVirtualNetwork:
    props = properties(raw)
    return AzureVirtualNetwork(
        id=str(raw.get("id", "")),
        name=str(raw.get("name", "")),
        address_prefixes=tuple((props.get("addressSpace") or {}).get("addressPrefixes") or []),
        subnets=tuple(_subnet(s) for s in props.get("subnets") or []),
        provisioning_state=str(props.get("provisioningState", "")),
        tags=dict(raw.get("tags") or {}),
    )


def subnet_body(prefix: str, *, private_link_nat: bool = False) -> Json:
    props: Json = {"addressPrefix": prefix}
    if private_link_nat:
        # A private link service's NAT addresses may only sit in a subnet without them.
        props["privateLinkServiceNetworkPolicies"] = "Disabled"
    return {"properties": props}


class NetworkOperations(AzureCalls):
    def virtual_network(self, name: str) -> AzureVirtualNetwork | None:
        raw = self._read(
            "get_virtual_network", lambda: self._network.virtual_networks.get(self.group, name)
        )
        return None if raw is None else _virtual_network(raw)

    def create_virtual_network(
        self, name: str, address_prefix: str, nodes_prefix: str, nat_prefix: str, owner: str
    ) -> AzureVirtualNetwork:
        """The network with its nodes' subnet and NAT subnet; an earlier run's is reused as
        it is (a second PUT would state the subnet list anew)."""
        found = self._read(
            "get_virtual_network", lambda: self._network.virtual_networks.get(self.group, name)
        )
        if found is not None:
            # An earlier run's network, taken once ARM has made it (its subnets with it).
            claimed = claim(found, owner, "create_virtual_network")
            return _virtual_network(self._idle("create_virtual_network", claimed))
        body: Json = {
            "location": self.location,
            "tags": ownership_tags(owner),
            "properties": {
                "addressSpace": {"addressPrefixes": [address_prefix]},
                "subnets": [
                    {"name": NODES_SUBNET, **subnet_body(nodes_prefix)},
                    {"name": NAT_SUBNET, **subnet_body(nat_prefix, private_link_nat=True)},
                ],
            },
        }
        raw = self._put(
            "create_virtual_network",
            lambda: self._network.virtual_networks.begin_create_or_update(
                self.group, name, VirtualNetwork(body), **NO_POLLING
            ),
            lambda: self._network.virtual_networks.get(self.group, name),
        )
        return _virtual_network(raw)

    def put_subnet(
        self, network: str, name: str, prefix: str, *, private_link_nat: bool = False
    ) -> AzureSubnet:
        """Create the subnet, or set its prefix and NAT flag (a subnet's PUT is whole)."""
        body = subnet_body(prefix, private_link_nat=private_link_nat)
        raw = self._put(
            "put_subnet",
            lambda: self._network.subnets.begin_create_or_update(
                self.group, network, name, Subnet(body), **NO_POLLING
            ),
            lambda: self._network.subnets.get(self.group, network, name),
        )
        return _subnet(raw)

    def delete_subnet(self, network: str, name: str) -> None:
        self._delete(
            "delete_subnet",
            lambda: self._network.subnets.begin_delete(self.group, network, name, **NO_POLLING),
            lambda: self._network.subnets.get(self.group, network, name),
        )

    def delete_virtual_network(self, name: str) -> None:
        self._delete(
            "delete_virtual_network",
            lambda: self._network.virtual_networks.begin_delete(self.group, name, **NO_POLLING),
            lambda: self._network.virtual_networks.get(self.group, name),
        )
