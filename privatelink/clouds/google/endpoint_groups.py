"""The port mapping network endpoint group of one PrivateLink (Private Service Connect port
mapping, `GCE_VM_IP_PORTMAP`): each endpoint sends one client destination port of the
customer's PSC endpoint to one node's service port, so a port reaches its node without
load balancing. The group sits in the nodes' subnet, behind the link's port mapping
service."""

from collections.abc import Iterable
from dataclasses import dataclass

from google.cloud import compute_v1

from privatelink.clouds.google.calls import GoogleCalls
from privatelink.clouds.google.labels import Tagged, ownership_description, tags_of
from privatelink.clouds.google.ownership import claim

PORTMAP = "GCE_VM_IP_PORTMAP"
GROUPS = "networkEndpointGroups"


@dataclass(frozen=True)
class GoogleEndpointGroup(Tagged):
    name: str
    self_link: str
    size: int


@dataclass(frozen=True, order=True)
class MappedPort:
    """One endpoint of the group: client destination port -> a node's port."""

    client_port: int
    instance: str  # projects/<project>/zones/<zone>/instances/<name>
    port: int

    def as_endpoint(self) -> compute_v1.NetworkEndpoint:
        return compute_v1.NetworkEndpoint(
            instance=self.instance, port=self.port, client_destination_port=self.client_port
        )


def instance_path(project: str, zone: str, name: str) -> str:
    return f"projects/{project}/zones/{zone}/instances/{name}"


def _instance(link: str) -> str:
    index = link.find("projects/")
    return link[index:] if index >= 0 else link


def _group(raw: compute_v1.NetworkEndpointGroup) -> GoogleEndpointGroup:
    return GoogleEndpointGroup(raw.name, raw.self_link, raw.size, tags=tags_of(raw.description))


class EndpointGroupOperations(GoogleCalls):
    def endpoint_group(self, name: str) -> GoogleEndpointGroup | None:
        raw = self._read(
            "get_network_endpoint_group",
            lambda: self._compute.endpoint_groups.get(
                project=self.project, **self._reads, region=self.region, network_endpoint_group=name
            ),
        )
        return None if raw is None else _group(raw)

    def create_endpoint_group(
        self, name: str, network_link: str, subnet_link: str, owner: str
    ) -> GoogleEndpointGroup:
        """A port mapping group in the nodes' subnet; an earlier run's is reused."""
        found = self.endpoint_group(name)
        if found is not None:
            return claim(found, found.self_link, owner, "create_network_endpoint_group")
        resource = compute_v1.NetworkEndpointGroup(
            name=name,
            network_endpoint_type=PORTMAP,
            network=network_link,
            subnetwork=subnet_link,
            description=ownership_description(owner),
        )
        return self._insert(
            "create_network_endpoint_group",
            self._path(GROUPS, name),
            lambda: self._compute.endpoint_groups.insert(
                project=self.project,
                **self._writes,
                region=self.region,
                network_endpoint_group_resource=resource,
            ),
            lambda: self.endpoint_group(name),
        )

    def mapped_ports(self, name: str) -> list[MappedPort]:
        """The group's endpoints; none for a group that is gone."""
        items = (
            self._read(
                "list_network_endpoints",
                lambda: list(
                    self._compute.endpoint_groups.list_network_endpoints(
                        project=self.project,
                        **self._reads,
                        region=self.region,
                        network_endpoint_group=name,
                    )
                ),
            )
            or []
        )
        return sorted(
            MappedPort(
                item.network_endpoint.client_destination_port,
                _instance(item.network_endpoint.instance),
                item.network_endpoint.port,
            )
            for item in items
        )

    def attach_ports(self, name: str, ports: Iterable[MappedPort]) -> None:
        request = compute_v1.RegionNetworkEndpointGroupsAttachEndpointsRequest(
            network_endpoints=[p.as_endpoint() for p in sorted(ports)]
        )
        self._change(
            "attach_network_endpoints",
            lambda: self._compute.endpoint_groups.attach_network_endpoints(
                project=self.project,
                **self._writes,
                region=self.region,
                network_endpoint_group=name,
                region_network_endpoint_groups_attach_endpoints_request_resource=request,
            ),
            self._path(GROUPS, name),
        )

    def detach_ports(self, name: str, ports: Iterable[MappedPort]) -> None:
        request = compute_v1.RegionNetworkEndpointGroupsDetachEndpointsRequest(
            network_endpoints=[p.as_endpoint() for p in sorted(ports)]
        )
        self._change(
            "detach_network_endpoints",
            lambda: self._compute.endpoint_groups.detach_network_endpoints(
                project=self.project,
                **self._writes,
                region=self.region,
                network_endpoint_group=name,
                region_network_endpoint_groups_detach_endpoints_request_resource=request,
            ),
            self._path(GROUPS, name),
        )

    def delete_endpoint_group(self, name: str) -> None:
        self._delete(
            "delete_network_endpoint_group",
            lambda: self._compute.endpoint_groups.delete(
                project=self.project,
                **self._writes,
                region=self.region,
                network_endpoint_group=name,
            ),
            self._path(GROUPS, name),
        )
