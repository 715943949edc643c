"""The Standard internal load balancer in front of a service's nodes: one frontend in the
nodes' subnet (the one the private link service names) and, per port, a rule forwarding to
an IP-based backend pool of that port's nodes, with a TCP health probe.

A rule, its pool and its probe are sub-resources: a change of them is a PUT of the whole
load balancer, read first and guarded by its etag, so that two writers never undo each
other's rules (the loser's PUT is refused and retried).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from azure.mgmt.network.models import LoadBalancer

from privatelink.clouds.azure.calls import NO_POLLING, AzureCalls, Json, properties, reference
from privatelink.clouds.azure.ownership import claim
from privatelink.clouds.azure.tags import Tagged, ownership_tags

FRONTEND = "frontend"
# Health probes every this many seconds; a node is taken out after this many misses.
PROBE_INTERVAL_SECONDS = 5
PROBE_THRESHOLD = 2


def port_name(port: int) -> str:
    """The name of a port's rule, pool and probe."""
    return f"port-{port}"


@dataclass(frozen=True)
class RuleTarget:
    """Where a frontend port forwards: the nodes' addresses and port in a virtual network."""

    backend_port: int
    ips: tuple[str, ...]
    virtual_network_id: str


@dataclass(frozen=True)
class AzureRule:
    name: str
    frontend_port: int
    backend_port: int
    backend_ips: tuple[str, ...]


@dataclass(frozen=True)
class AzureLoadBalancer(Tagged):
    id: str
    name: str
    provisioning_state: str
    frontend_id: str
    frontend_ip: str
    rules: tuple[AzureRule, ...]

    @property
    def ports(self) -> set[int]:
        return {rule.frontend_port for rule in self.rules}


def _load_balancer(raw: Json) -> AzureLoadBalancer:
    props = properties(raw)
    frontends = props.get("frontendIPConfigurations") or []
    frontend = next((f for f in frontends if f.get("name") == FRONTEND), None)
    pools = {
        str(pool.get("id", "")).lower(): tuple(
            sorted(
                str(properties(member).get("ipAddress", ""))
                for member in properties(pool).get("loadBalancerBackendAddresses") or []
            )
        )
        for pool in props.get("backendAddressPools") or []
    }
    rules = []
    for rule in props.get("loadBalancingRules") or []:
        rule_props = properties(rule)
        pool_id = str((rule_props.get("backendAddressPool") or {}).get("id", "")).lower()
        rules.append(
            AzureRule(
                name=str(rule.get("name", "")),
                frontend_port=int(rule_props.get("frontendPort", 0)),
                backend_port=int(rule_props.get("backendPort", 0)),
                backend_ips=pools.get(pool_id, ()),
            )
        )
    return AzureLoadBalancer(
        id=str(raw.get("id", "")),
        name=str(raw.get("name", "")),
        provisioning_state=str(props.get("provisioningState", "")),
        frontend_id=str((frontend or {}).get("id", "")),
        frontend_ip=str(properties(frontend or {}).get("privateIPAddress", "")),
        rules=tuple(sorted(rules, key=lambda r: r.frontend_port)),
        tags=dict(raw.get("tags") or {}),
    )


def _without_port(items: list[Json], port: int) -> list[Json]:
    return [item for item in items if item.get("name") != port_name(port)]


def _with_rules(raw: Json, add: Mapping[int, RuleTarget], remove: Iterable[int]) -> Json:
    """The load balancer's body with the ports of `remove` gone and those of `add` set."""
    lb_id = str(raw["id"])
    props = properties(raw)
    sections = {
        name: list(props.get(name) or [])
        for name in ("backendAddressPools", "probes", "loadBalancingRules")
    }
    for port in [*remove, *add]:
        for name in sections:
            sections[name] = _without_port(sections[name], port)
    for port, where in sorted(add.items()):
        name = port_name(port)
        sections["backendAddressPools"].append(
            {
                "name": name,
                "properties": {
                    "loadBalancerBackendAddresses": [
                        {
                            "name": f"node-{ip}",
                            "properties": {
                                "ipAddress": ip,
                                "virtualNetwork": reference(where.virtual_network_id),
                            },
                        }
                        for ip in sorted(where.ips)
                    ]
                },
            }
        )
        sections["probes"].append(
            {
                "name": name,
                "properties": {
                    "protocol": "Tcp",
                    "port": where.backend_port,
                    "intervalInSeconds": PROBE_INTERVAL_SECONDS,
                    "probeThreshold": PROBE_THRESHOLD,
                },
            }
        )
        sections["loadBalancingRules"].append(
            {
                "name": name,
                "properties": {
                    "frontendIPConfiguration": reference(
                        f"{lb_id}/frontendIPConfigurations/{FRONTEND}"
                    ),
                    "backendAddressPool": reference(f"{lb_id}/backendAddressPools/{name}"),
                    "probe": reference(f"{lb_id}/probes/{name}"),
                    "protocol": "Tcp",
                    "frontendPort": port,
                    "backendPort": where.backend_port,
                    # Kafka's connections live long; the most Azure allows before an idle
                    # flow is dropped.
                    "idleTimeoutInMinutes": 30,
                },
            }
        )
    body = {key: value for key, value in raw.items() if key != "etag"}
    body["properties"] = {**props, **sections}
    return body


class LoadBalancerOperations(AzureCalls):
    def _get_load_balancer(self, name: str) -> Json | None:
        return self._read(
            "get_load_balancer", lambda: self._network.load_balancers.get(self.group, name)
        )

    def load_balancer(self, name: str) -> AzureLoadBalancer | None:
        raw = self._get_load_balancer(name)
        return None if raw is None else _load_balancer(raw)

    def create_load_balancer(self, name: str, subnet_id: str, owner: str) -> AzureLoadBalancer:
        """The load balancer with its frontend in the nodes' subnet and no rules yet; an
        earlier run's is reused with the rules it has."""
        found = self._get_load_balancer(name)
        if found is not None:
            claimed = claim(found, owner, "create_load_balancer")
            return _load_balancer(self._idle("create_load_balancer", claimed))
        body: Json = {
            "location": self.location,
            "tags": ownership_tags(owner),
            "sku": {"name": "Standard", "tier": "Regional"},
            "properties": {
                "frontendIPConfigurations": [
                    {
                        "name": FRONTEND,
                        "properties": {
                            "subnet": reference(subnet_id),
                            "privateIPAllocationMethod": "Dynamic",
                        },
                    }
                ],
            },
        }
        raw = self._put(
            "create_load_balancer",
            lambda: self._network.load_balancers.begin_create_or_update(
                self.group, name, LoadBalancer(body), **NO_POLLING
            ),
            lambda: self._network.load_balancers.get(self.group, name),
        )
        return _load_balancer(raw)

    def rules(self, name: str) -> list[AzureRule]:
        """The load balancer's rules by port; none for a load balancer that is gone."""
        found = self.load_balancer(name)
        return list(found.rules) if found else []

    def change_rules(
        self, name: str, add: Mapping[int, RuleTarget], remove: Iterable[int] = ()
    ) -> AzureLoadBalancer:
        """Set the rules (with their pools and probes) of the ports in `add`, drop those of
        `remove`, in one update. Gone if the load balancer is."""
        remove = [port for port in remove if port not in add]
        raw = self._call(
            "get_load_balancer", lambda: self._network.load_balancers.get(self.group, name)
        ).as_dict()
        # No PUT over an operation still running (an earlier run's change, or a delete).
        self._idle("change_rules", dict(raw))
        body = _with_rules(dict(raw), add, remove)
        etag = raw.get("etag")
        headers = {"If-Match": etag} if etag else {}
        updated = self._put(
            "change_rules",
            lambda: self._network.load_balancers.begin_create_or_update(
                self.group, name, LoadBalancer(body), headers=headers, **NO_POLLING
            ),
            lambda: self._network.load_balancers.get(self.group, name),
        )
        return _load_balancer(updated)

    def add_rule(self, name: str, port: int, target: RuleTarget) -> AzureLoadBalancer:
        return self.change_rules(name, {port: target})

    def remove_rule(self, name: str, port: int) -> AzureLoadBalancer:
        return self.change_rules(name, {}, [port])

    def delete_load_balancer(self, name: str) -> None:
        self._delete(
            "delete_load_balancer",
            lambda: self._network.load_balancers.begin_delete(self.group, name, **NO_POLLING),
            lambda: self._network.load_balancers.get(self.group, name),
        )
