"""The internal passthrough load balancer in front of a service's nodes: a regional TCP
health check, a regional backend service (`loadBalancingScheme: INTERNAL`) holding the
nodes' instance groups or network endpoint groups, and the forwarding rule whose address
in the nodes' subnet takes the traffic. The service attachment publishes that rule."""

from collections.abc import Sequence
from dataclasses import dataclass

from google.cloud import compute_v1

from privatelink.clouds.google.calls import GoogleCalls
from privatelink.clouds.google.labels import (
    Tagged,
    ownership_description,
    ownership_labels,
    tags_of,
)
from privatelink.clouds.google.network import GoogleSubnet
from privatelink.clouds.google.ownership import claim

INTERNAL = "INTERNAL"
TCP = "TCP"
# A forwarding rule names at most five ports; past that, it takes all of them.
MAX_RULE_PORTS = 5


@dataclass(frozen=True)
class GoogleHealthCheck(Tagged):
    name: str
    self_link: str
    port: int


@dataclass(frozen=True)
class GoogleBackendService(Tagged):
    name: str
    self_link: str
    backends: tuple[str, ...]  # the groups' links


@dataclass(frozen=True)
class GoogleForwardingRule(Tagged):
    name: str
    self_link: str
    ip_address: str
    ports: tuple[str, ...]  # empty when it takes all ports
    backend_service: str
    subnetwork: str


def _health_check(raw: compute_v1.HealthCheck) -> GoogleHealthCheck:
    return GoogleHealthCheck(
        raw.name, raw.self_link, raw.tcp_health_check.port, tags=tags_of(raw.description)
    )


def _backend_service(raw: compute_v1.BackendService) -> GoogleBackendService:
    return GoogleBackendService(
        raw.name,
        raw.self_link,
        tuple(b.group for b in raw.backends),
        tags=tags_of(raw.description),
    )


def _forwarding_rule(raw: compute_v1.ForwardingRule) -> GoogleForwardingRule:
    return GoogleForwardingRule(
        raw.name,
        raw.self_link,
        raw.I_p_address,
        tuple(raw.ports),
        raw.backend_service,
        raw.subnetwork,
        tags=tags_of(raw.description),
    )


class LoadBalancerOperations(GoogleCalls):
    # --- Health check -------------------------------------------------------------------
    def health_check(self, name: str) -> GoogleHealthCheck | None:
        raw = self._read(
            "get_health_check",
            lambda: self._compute.health_checks.get(
                project=self.project, **self._reads, region=self.region, health_check=name
            ),
        )
        return None if raw is None else _health_check(raw)

    def create_health_check(self, name: str, port: int, owner: str) -> GoogleHealthCheck:
        """A TCP check of `port` on every node; an earlier run's is reused."""
        found = self.health_check(name)
        if found is not None:
            return claim(found, found.self_link, owner, "create_health_check")
        resource = compute_v1.HealthCheck(
            name=name,
            type_=TCP,
            tcp_health_check=compute_v1.TCPHealthCheck(port=port),
            description=ownership_description(owner),
        )
        return self._insert(
            "create_health_check",
            self._path("healthChecks", name),
            lambda: self._compute.health_checks.insert(
                project=self.project,
                **self._writes,
                region=self.region,
                health_check_resource=resource,
            ),
            lambda: self.health_check(name),
        )

    def delete_health_check(self, name: str) -> None:
        self._delete(
            "delete_health_check",
            lambda: self._compute.health_checks.delete(
                project=self.project, **self._writes, region=self.region, health_check=name
            ),
            self._path("healthChecks", name),
        )

    # --- Backend service ----------------------------------------------------------------
    def backend_service(self, name: str) -> GoogleBackendService | None:
        raw = self._read(
            "get_backend_service",
            lambda: self._compute.backend_services.get(
                project=self.project, **self._reads, region=self.region, backend_service=name
            ),
        )
        return None if raw is None else _backend_service(raw)

    def create_backend_service(
        self,
        name: str,
        health_check: GoogleHealthCheck | None,
        groups: Sequence[str],
        owner: str,
    ) -> GoogleBackendService:
        """An internal TCP backend service over `groups`, checked by `health_check` (none
        over a port mapping group); an earlier run's is reused."""
        found = self.backend_service(name)
        if found is not None:
            return claim(found, found.self_link, owner, "create_backend_service")
        resource = compute_v1.BackendService(
            name=name,
            load_balancing_scheme=INTERNAL,
            protocol=TCP,
            health_checks=[health_check.self_link] if health_check else [],
            backends=[compute_v1.Backend(group=group) for group in groups],
            description=ownership_description(owner),
        )
        return self._insert(
            "create_backend_service",
            self._path("backendServices", name),
            lambda: self._compute.backend_services.insert(
                project=self.project,
                **self._writes,
                region=self.region,
                backend_service_resource=resource,
            ),
            lambda: self.backend_service(name),
        )

    def create_port_mapping_service(
        self, name: str, group_link: str, owner: str
    ) -> GoogleBackendService:
        """The backend service over one port mapping group: Google balances nothing through
        it (each client port has its node) and checks no health."""
        return self.create_backend_service(name, None, [group_link], owner)

    def delete_backend_service(self, name: str) -> None:
        self._delete(
            "delete_backend_service",
            lambda: self._compute.backend_services.delete(
                project=self.project, **self._writes, region=self.region, backend_service=name
            ),
            self._path("backendServices", name),
        )

    # --- Forwarding rule ----------------------------------------------------------------
    def forwarding_rule(self, name: str) -> GoogleForwardingRule | None:
        raw = self._read(
            "get_forwarding_rule",
            lambda: self._compute.forwarding_rules.get(
                project=self.project, **self._reads, region=self.region, forwarding_rule=name
            ),
        )
        return None if raw is None else _forwarding_rule(raw)

    def create_forwarding_rule(
        self,
        name: str,
        backend_service: GoogleBackendService,
        subnet: GoogleSubnet,
        ports: Sequence[int],
        owner: str,
    ) -> GoogleForwardingRule:
        """The internal rule taking `ports` (all ports past five, or when none is given: a
        port mapping service's rule) to the backend service, its address in the nodes'
        subnet; an earlier run's is reused."""
        found = self.forwarding_rule(name)
        if found is not None:
            return claim(found, found.self_link, owner, "create_forwarding_rule")
        resource = compute_v1.ForwardingRule(
            name=name,
            load_balancing_scheme=INTERNAL,
            I_p_protocol=TCP,
            backend_service=backend_service.self_link,
            subnetwork=subnet.self_link,
            description=ownership_description(owner),
            labels=ownership_labels(owner),
        )
        if not ports or len(ports) > MAX_RULE_PORTS:
            resource.all_ports = True
        else:
            resource.ports = [str(port) for port in sorted(ports)]
        return self._insert(
            "create_forwarding_rule",
            self._path("forwardingRules", name),
            lambda: self._compute.forwarding_rules.insert(
                project=self.project,
                **self._writes,
                region=self.region,
                forwarding_rule_resource=resource,
            ),
            lambda: self.forwarding_rule(name),
        )

    def delete_forwarding_rule(self, name: str) -> None:
        self._delete(
            "delete_forwarding_rule",
            lambda: self._compute.forwarding_rules.delete(
                project=self.project, **self._writes, region=self.region, forwarding_rule=name
            ),
            self._path("forwardingRules", name),
        )
