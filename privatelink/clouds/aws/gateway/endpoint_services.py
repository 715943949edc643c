"""VPC endpoint services (the PrivateLink side AWS shows to customers), their allowed
principals, and the customers' endpoint connections to them."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from privatelink.clouds.aws.gateway.calls import AwsCalls, batches, unless_gone
from privatelink.clouds.aws.gateway.errors import Gone, failure
from privatelink.clouds.aws.gateway.tags import (
    TAG_DEPLOYMENT,
    TAG_OWNER,
    Tagged,
    is_ours,
    ownership_tags,
    tag_dict,
    tag_list,
)

if TYPE_CHECKING:
    from types_boto3_ec2.type_defs import (
        AcceptVpcEndpointConnectionsResultTypeDef,
        FilterTypeDef,
        ModifyVpcEndpointServicePermissionsRequestTypeDef,
        RejectVpcEndpointConnectionsResultTypeDef,
        ServiceConfigurationTypeDef,
        UnsuccessfulItemTypeDef,
        VpcEndpointConnectionTypeDef,
    )

    Decided = AcceptVpcEndpointConnectionsResultTypeDef | RejectVpcEndpointConnectionsResultTypeDef

# EC2 pages hold at most 1000 and a filter at most 200 values; larger sets of ids go in
# several calls of 100.
_PAGE_SIZE = 1000
_FILTER_VALUES = 200
_ID_BATCH = 100


@dataclass(frozen=True)
class AwsEndpointService(Tagged):
    service_id: str
    service_name: str
    state: str
    nlb_arns: tuple[str, ...]
    acceptance_required: bool

    @property
    def available(self) -> bool:
        return self.state == "Available"


@dataclass(frozen=True)
class AwsConnection:
    service_id: str
    vpc_endpoint_id: str
    owner: str
    state: str
    dns_name: str


def _endpoint_service(raw: "ServiceConfigurationTypeDef") -> AwsEndpointService:
    return AwsEndpointService(
        service_id=raw["ServiceId"],
        service_name=raw.get("ServiceName", ""),
        state=raw.get("ServiceState", ""),
        nlb_arns=tuple(raw.get("NetworkLoadBalancerArns", [])),
        acceptance_required=bool(raw.get("AcceptanceRequired")),
        tags=tag_dict(raw.get("Tags")),
    )


def _connection(raw: "VpcEndpointConnectionTypeDef") -> AwsConnection:
    entries = raw.get("DnsEntries") or []
    return AwsConnection(
        service_id=raw["ServiceId"],
        vpc_endpoint_id=raw["VpcEndpointId"],
        owner=str(raw.get("VpcEndpointOwner", "")),
        state=str(raw.get("VpcEndpointState", "")),
        dns_name=entries[0].get("DnsName", "") if entries else "",
    )


def _raise_unsuccessful(failed: list["UnsuccessfulItemTypeDef"], operation: str) -> None:
    """A 200 answer may still hold per-item failures; only 'gone' counts as done."""
    for item in failed:
        error = item.get("Error", {})
        problem = failure(error.get("Code", ""), error.get("Message", ""), operation)
        if not isinstance(problem, Gone):
            raise problem


class EndpointServiceOperations(AwsCalls):
    def endpoint_services(self, service_ids: list[str]) -> dict[str, AwsEndpointService]:
        """The endpoint services among `service_ids` that still exist, in few calls.

        One unknown id fails a whole batch, so a failing batch is split in halves.
        """
        wanted = sorted(set(service_ids))
        found: dict[str, AwsEndpointService] = {}
        if not wanted:
            return found
        if len(wanted) > _ID_BATCH:
            for batch in batches(wanted, _ID_BATCH):
                found.update(self.endpoint_services(batch))
            return found
        try:
            raw: Iterable[ServiceConfigurationTypeDef] = self._paginate(
                self._ec2,
                "describe_vpc_endpoint_service_configurations",
                "ServiceConfigurations",
                ServiceIds=wanted,
            )
            for item in raw:
                if item["ServiceId"] in wanted:
                    found[item["ServiceId"]] = _endpoint_service(item)
        except Gone:
            if len(wanted) == 1:
                return {}
            middle = len(wanted) // 2
            found.update(self.endpoint_services(wanted[:middle]))
            found.update(self.endpoint_services(wanted[middle:]))
        return found

    def our_endpoint_services(self, owner: str | None = None) -> list[AwsEndpointService]:
        """This deployment's endpoint services, or only those tagged for `owner` (AWS then
        answers with one, not with every service of the account)."""
        filters: list[FilterTypeDef] = [{"Name": "tag-key", "Values": [TAG_DEPLOYMENT]}]
        if owner is not None:
            filters.append({"Name": f"tag:{TAG_OWNER}", "Values": [owner]})
        raw: Iterable[ServiceConfigurationTypeDef] = self._paginate(
            self._ec2,
            "describe_vpc_endpoint_service_configurations",
            "ServiceConfigurations",
            Filters=filters,
            PaginationConfig={"PageSize": _PAGE_SIZE},
        )
        services = [_endpoint_service(item) for item in raw]
        return [s for s in services if is_ours(s.tags)]

    def create_endpoint_service(
        self, load_balancer_arn: str, owner: str, client_token: str
    ) -> AwsEndpointService:
        answer = self._call(
            self._ec2.create_vpc_endpoint_service_configuration,
            NetworkLoadBalancerArns=[load_balancer_arn],
            AcceptanceRequired=True,
            ClientToken=client_token,
            TagSpecifications=[
                {
                    "ResourceType": "vpc-endpoint-service",
                    "Tags": tag_list(ownership_tags(owner)),
                }
            ],
        )
        return _endpoint_service(answer["ServiceConfiguration"])

    def delete_endpoint_service(self, service_id: str) -> None:
        answer = unless_gone(
            lambda: self._call(
                self._ec2.delete_vpc_endpoint_service_configurations, ServiceIds=[service_id]
            )
        )
        if answer is not None:
            _raise_unsuccessful(
                answer.get("Unsuccessful") or [], "delete_vpc_endpoint_service_configurations"
            )

    def allowed_principals(self, service_id: str) -> set[str]:
        raw = self._paginate(
            self._ec2,
            "describe_vpc_endpoint_service_permissions",
            "AllowedPrincipals",
            ServiceId=service_id,
        )
        return {p["Principal"] for p in raw if p.get("Principal")}

    def modify_principals(self, service_id: str, add: set[str], remove: set[str]) -> None:
        request: ModifyVpcEndpointServicePermissionsRequestTypeDef = {"ServiceId": service_id}
        if add:
            request["AddAllowedPrincipals"] = sorted(add)
        if remove:
            request["RemoveAllowedPrincipals"] = sorted(remove)
        if add or remove:
            self._call(self._ec2.modify_vpc_endpoint_service_permissions, **request)

    # --- Connections ------------------------------------------------------------------
    def connections(self, service_ids: list[str]) -> list[AwsConnection]:
        if not service_ids:
            return []
        wanted = set(service_ids)
        found: list[AwsConnection] = []
        for batch in batches(sorted(wanted), _FILTER_VALUES):
            raw: Iterable[VpcEndpointConnectionTypeDef] = self._paginate(
                self._ec2,
                "describe_vpc_endpoint_connections",
                "VpcEndpointConnections",
                Filters=[{"Name": "service-id", "Values": batch}],
                PaginationConfig={"PageSize": _PAGE_SIZE},
            )
            # Some servers ignore the filter: keep only the services asked for.
            found += [_connection(item) for item in raw if item.get("ServiceId") in wanted]
        return found

    def accept_connections(self, service_id: str, endpoint_ids: list[str]) -> None:
        self._decide(self._ec2.accept_vpc_endpoint_connections, service_id, endpoint_ids)

    def reject_connections(self, service_id: str, endpoint_ids: list[str]) -> None:
        self._decide(self._ec2.reject_vpc_endpoint_connections, service_id, endpoint_ids)

    def _decide(
        self, decide: Callable[..., "Decided"], service_id: str, endpoint_ids: list[str]
    ) -> None:
        if endpoint_ids:
            answer = self._call(decide, ServiceId=service_id, VpcEndpointIds=sorted(endpoint_ids))
            _raise_unsuccessful(answer.get("Unsuccessful") or [], decide.__name__)
