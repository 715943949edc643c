"""The private link service customers connect to (behind the load balancer's frontend,
translating their connections to NAT addresses of the NAT subnet), who may see it
(`visibility.subscriptions`), and the private endpoint connections customers ask for."""

from collections.abc import Iterable
from dataclasses import dataclass

from azure.mgmt.network.models import PrivateEndpointConnection, PrivateLinkService

from privatelink.clouds.azure.calls import NO_POLLING, AzureCalls, Json, properties, reference
from privatelink.clouds.azure.errors import Terminal
from privatelink.clouds.azure.ownership import claim
from privatelink.clouds.azure.quotas import MAX_NAT_IP_CONFIGURATIONS
from privatelink.clouds.azure.tags import Tagged, ownership_tags
from privatelink.clouds.errors import unless_gone

APPROVED = "Approved"
REJECTED = "Rejected"
PENDING = "Pending"
DISCONNECTED = "Disconnected"


def nat_name(index: int) -> str:
    return f"nat-{index}"


@dataclass(frozen=True)
class AzurePrivateLinkService(Tagged):
    id: str
    name: str
    alias: str
    provisioning_state: str
    frontend_ids: tuple[str, ...]
    nat_ips: tuple[str, ...]
    visibility: frozenset[str]


@dataclass(frozen=True)
class AzureConnection:
    """A customer's private endpoint asking, through the service, for a connection."""

    id: str
    name: str
    private_endpoint_id: str
    status: str  # Pending, Approved, Rejected or Disconnected
    description: str

    @property
    def subscription_id(self) -> str:
        """The customer's subscription: the one its private endpoint lives in."""
        parts = self.private_endpoint_id.split("/")
        return parts[2] if len(parts) > 2 and parts[1].lower() == "subscriptions" else ""


def _service(raw: Json) -> AzurePrivateLinkService:
    props = properties(raw)
    return AzurePrivateLinkService(
        id=str(raw.get("id", "")),
        name=str(raw.get("name", "")),
        alias=str(props.get("alias", "")),
        provisioning_state=str(props.get("provisioningState", "")),
        frontend_ids=tuple(
            str(item.get("id", ""))
            for item in props.get("loadBalancerFrontendIpConfigurations") or []
        ),
        nat_ips=tuple(
            str(properties(item).get("privateIPAddress", ""))
            for item in props.get("ipConfigurations") or []
        ),
        visibility=frozenset((props.get("visibility") or {}).get("subscriptions") or []),
        tags=dict(raw.get("tags") or {}),
    )


def _connection(raw: Json) -> AzureConnection:
    props = properties(raw)
    state = props.get("privateLinkServiceConnectionState") or {}
    return AzureConnection(
        id=str(raw.get("id", "")),
        name=str(raw.get("name", "")),
        private_endpoint_id=str((props.get("privateEndpoint") or {}).get("id", "")),
        status=str(state.get("status", "")),
        description=str(state.get("description", "")),
    )


class PrivateLinkOperations(AzureCalls):
    def _get_service(self, name: str) -> Json | None:
        return self._read(
            "get_private_link_service",
            lambda: self._network.private_link_services.get(self.group, name),
        )

    def private_link_service(self, name: str) -> AzurePrivateLinkService | None:
        """The service with its alias (what customers give their private endpoint)."""
        raw = self._get_service(name)
        return None if raw is None else _service(raw)

    def create_private_link_service(
        self,
        name: str,
        frontend_id: str,
        nat_subnet_id: str,
        subscriptions: Iterable[str],
        owner: str,
        nat_ip_count: int = 1,
    ) -> AzurePrivateLinkService:
        """The service behind the load balancer's frontend, with `nat_ip_count` NAT addresses
        in the NAT subnet, visible to `subscriptions`; an earlier run's is reused as it is."""
        if not 1 <= nat_ip_count <= MAX_NAT_IP_CONFIGURATIONS:
            raise Terminal(
                "PrivateLinkServiceIpConfigurationsLimitReached",
                f"A private link service has 1 to {MAX_NAT_IP_CONFIGURATIONS} NAT IP "
                f"configurations, not {nat_ip_count}.",
                "create_private_link_service",
            )
        found = self._get_service(name)
        if found is not None:
            claimed = claim(found, owner, "create_private_link_service")
            return _service(self._idle("create_private_link_service", claimed))
        body: Json = {
            "location": self.location,
            "tags": ownership_tags(owner),
            "properties": {
                "loadBalancerFrontendIpConfigurations": [reference(frontend_id)],
                "ipConfigurations": [
                    {
                        "name": nat_name(index),
                        "properties": {
                            "subnet": reference(nat_subnet_id),
                            "primary": index == 0,
                            "privateIPAllocationMethod": "Dynamic",
                        },
                    }
                    for index in range(nat_ip_count)
                ],
                "visibility": {"subscriptions": sorted(set(subscriptions))},
                # Every connection waits for the console's decision: none is auto-approved.
                "autoApproval": {"subscriptions": []},
            },
        }
        raw = self._put(
            "create_private_link_service",
            lambda: self._network.private_link_services.begin_create_or_update(
                self.group, name, PrivateLinkService(body), **NO_POLLING
            ),
            lambda: self._network.private_link_services.get(self.group, name),
        )
        return _service(raw)

    def set_visibility(self, name: str, subscriptions: Iterable[str]) -> AzurePrivateLinkService:
        """Let exactly `subscriptions` see the service (and so connect to it). Gone if the
        service is."""
        raw = self._call(
            "get_private_link_service",
            lambda: self._network.private_link_services.get(self.group, name),
        ).as_dict()
        # No PUT over an operation still running (an earlier run's change, or a delete).
        self._idle("set_visibility", dict(raw))
        props = dict(properties(raw))
        props["visibility"] = {"subscriptions": sorted(set(subscriptions))}
        # The connections are the customers', not part of what the service's PUT states.
        props.pop("privateEndpointConnections", None)
        body = {key: value for key, value in raw.items() if key != "etag"}
        body["properties"] = props
        etag = raw.get("etag")
        headers = {"If-Match": etag} if etag else {}
        updated = self._put(
            "set_visibility",
            lambda: self._network.private_link_services.begin_create_or_update(
                self.group, name, PrivateLinkService(body), headers=headers, **NO_POLLING
            ),
            lambda: self._network.private_link_services.get(self.group, name),
        )
        return _service(updated)

    def delete_private_link_service(self, name: str) -> None:
        self._delete(
            "delete_private_link_service",
            lambda: self._network.private_link_services.begin_delete(
                self.group, name, **NO_POLLING
            ),
            lambda: self._network.private_link_services.get(self.group, name),
        )

    # --- Private endpoint connections ---------------------------------------------------
    def connections(self, service_name: str) -> list[AzureConnection]:
        """The service's connections; none for a service that is gone."""
        raw = self._list_unless_gone(service_name)
        return [
            _connection(item)
            for item in raw
            # Some servers ignore the path: keep only this service's own.
            if f"/privatelinkservices/{service_name.lower()}/" in str(item.get("id", "")).lower()
        ]

    def _list_unless_gone(self, service_name: str) -> list[Json]:
        found = unless_gone(
            lambda: self._list(
                "list_private_endpoint_connections",
                lambda: self._network.private_link_services.list_private_endpoint_connections(
                    self.group, service_name
                ),
            )
        )
        return found or []

    def approve_connection(
        self, service_name: str, connection_name: str, description: str = ""
    ) -> AzureConnection:
        return self._decide(service_name, connection_name, APPROVED, description)

    def reject_connection(
        self, service_name: str, connection_name: str, description: str = ""
    ) -> AzureConnection:
        return self._decide(service_name, connection_name, REJECTED, description)

    def _decide(
        self, service_name: str, connection_name: str, status: str, description: str
    ) -> AzureConnection:
        body: Json = {
            "name": connection_name,
            "properties": {
                "privateLinkServiceConnectionState": {
                    "status": status,
                    "description": description,
                    "actionsRequired": "None",
                }
            },
        }
        answer = self._call(
            f"set_connection_{status.lower()}",
            lambda: self._network.private_link_services.update_private_endpoint_connection(
                self.group, service_name, connection_name, PrivateEndpointConnection(body)
            ),
        )
        return _connection(dict(answer.as_dict()))

    def delete_connection(self, service_name: str, connection_name: str) -> None:
        """Remove a connection: the customer's endpoint is left Disconnected."""
        self._delete(
            "delete_private_endpoint_connection",
            lambda: self._network.private_link_services.begin_delete_private_endpoint_connection(
                self.group, service_name, connection_name, **NO_POLLING
            ),
            lambda: self._network.private_link_services.get_private_endpoint_connection(
                self.group, service_name, connection_name
            ),
        )
