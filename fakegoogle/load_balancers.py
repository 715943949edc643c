"""The producer's internal passthrough load balancer (a regional health check, a regional
backend service with `loadBalancingScheme: INTERNAL`, and a forwarding rule in a subnet),
and forwarding rules of the other sort: a consumer's PSC endpoint, whose `target` is a
service attachment (`fakegoogle.private_link`)."""

from __future__ import annotations

from typing import Any

from fakegoogle import private_link
from fakegoogle.endpoint_groups import PORTMAP
from fakegoogle.errors import in_use, invalid, quota_exceeded
from fakegoogle.network import allocate, internal_addresses
from fakegoogle.quotas import quotas
from fakegoogle.resources import Kind, Target, envelope, fingerprint, referenced
from fakegoogle.store import Resource, public, store

INTERNAL = "INTERNAL"
PROTOCOLS = {"TCP", "UDP"}


def _build_health_check(target: Target, body: dict[str, Any]) -> Resource:
    check_type = str(body.get("type") or body.get("type_") or "TCP")
    if check_type not in {"TCP", "HTTP", "HTTPS", "HTTP2", "SSL"}:
        raise invalid(f"Invalid value for field 'resource.type': '{check_type}'.")
    check = envelope(target, "compute#healthCheck", body)
    check["type"] = check_type
    for field in ("tcpHealthCheck", "httpHealthCheck", "httpsHealthCheck", "sslHealthCheck"):
        if body.get(field):
            check[field] = body[field]
    check.update(
        {
            "checkIntervalSec": int(body.get("checkIntervalSec") or 5),
            "timeoutSec": int(body.get("timeoutSec") or 5),
            "healthyThreshold": int(body.get("healthyThreshold") or 2),
            "unhealthyThreshold": int(body.get("unhealthyThreshold") or 2),
        }
    )
    return check


def _before_health_check_delete(check: Resource) -> None:
    for _, service in store.items("backendServices"):
        if check["selfLink"] in service.get("healthChecks", []):
            raise in_use(check["_path"], service["_path"])


def _build_backend_service(target: Target, body: dict[str, Any]) -> Resource:
    scheme = str(body.get("loadBalancingScheme") or "")
    if scheme != INTERNAL:
        raise invalid(
            f"Invalid value for field 'resource.loadBalancingScheme': '{scheme}'. This fake "
            "serves regional backend services of internal passthrough load balancers "
            "(INTERNAL) only."
        )
    protocol = str(body.get("protocol") or "TCP")
    if protocol not in PROTOCOLS:
        raise invalid(f"Invalid value for field 'resource.protocol': '{protocol}'.")
    backends = list(body.get("backends") or [])
    port_mapping = _port_mapping_group(target, backends)
    checks = body.get("healthChecks") or []
    if port_mapping:
        # Google: a port mapping service is not load balanced, and takes no health check.
        if checks or len(backends) != 1:
            raise invalid(
                "Invalid value for field 'resource.backends': a port mapping service has "
                "exactly one port mapping network endpoint group and no health check."
            )
        health_checks: list[str] = []
    else:
        if len(checks) != 1:
            raise invalid(
                "Invalid value for field 'resource.healthChecks': an internal backend "
                "service needs exactly one health check."
            )
        check = referenced(
            "resource.healthChecks[0]", checks[0], "healthChecks", region=target.region
        )
        health_checks = [check["selfLink"]]
    service = envelope(target, "compute#backendService", body)
    service.update(
        {
            "loadBalancingScheme": INTERNAL,
            "protocol": protocol,
            "healthChecks": health_checks,
            # Instance groups or network endpoint groups, taken as given (a port mapping
            # group is checked): the fake runs no virtual machines.
            "backends": backends,
            "_port_mapping": port_mapping,
            "sessionAffinity": str(body.get("sessionAffinity") or "NONE"),
            "fingerprint": fingerprint(),
        }
    )
    if body.get("network"):
        service["network"] = referenced("resource.network", body["network"], "networks")["selfLink"]
    return service


def _port_mapping_group(target: Target, backends: list[Any]) -> bool:
    """Whether the backends name a port mapping group (which must then exist, in the
    service's region); other groups are taken as given."""
    found = False
    for index, backend in enumerate(backends):
        group = str(backend.get("group") or "") if isinstance(backend, dict) else ""
        if "/networkEndpointGroups/" not in group or "/regions/" not in group:
            continue
        neg = referenced(
            f"resource.backends[{index}].group",
            group,
            "networkEndpointGroups",
            region=target.region,
        )
        found = found or neg.get("networkEndpointType") == PORTMAP
    return found


def _before_backend_service_delete(service: Resource) -> None:
    for _, rule in store.items("forwardingRules"):
        if rule.get("backendService") == service["selfLink"]:
            raise in_use(service["_path"], rule["_path"])


def _build_forwarding_rule(target: Target, body: dict[str, Any]) -> Resource:
    if body.get("target"):
        return _build_endpoint(target, body)
    return _build_internal_rule(target, body)


def _build_internal_rule(target: Target, body: dict[str, Any]) -> Resource:
    """The producer's rule: an address in a subnet, forwarding to a backend service."""
    scheme = str(body.get("loadBalancingScheme") or "EXTERNAL")
    if scheme != INTERNAL:
        raise invalid(
            f"Invalid value for field 'resource.loadBalancingScheme': '{scheme}'. This fake "
            "serves INTERNAL rules and PSC endpoints (a rule with a target) only."
        )
    service = referenced(
        "resource.backendService",
        body.get("backendService"),
        "backendServices",
        region=target.region,
    )
    subnet = referenced(
        "resource.subnetwork", body.get("subnetwork"), "subnetworks", region=target.region
    )
    _check_rules_quota(subnet["network"])
    protocol = str(body.get("IPProtocol") or "TCP")
    if protocol != service["protocol"]:
        raise invalid(
            f"Invalid value for field 'resource.IPProtocol': '{protocol}'. It must be the "
            f"backend service's protocol, {service['protocol']}."
        )
    ports = [str(p) for p in body.get("ports") or []]
    all_ports = bool(body.get("allPorts", False))
    if service.get("_port_mapping") and not all_ports:
        raise invalid(
            "Invalid value for field 'resource.allPorts': a port mapping service's forwarding "
            "rule takes all ports (the group's endpoints map each client destination port)."
        )
    if all_ports == bool(ports) or len(ports) > 5:
        raise invalid(
            "Invalid value for field 'resource.ports': give 1 to 5 ports, or allPorts: true."
        )
    rule = envelope(target, "compute#forwardingRule", body)
    rule.update(
        {
            "IPAddress": str(body.get("IPAddress") or allocate(subnet, internal_addresses(subnet))),
            "IPProtocol": protocol,
            "loadBalancingScheme": INTERNAL,
            "backendService": service["selfLink"],
            "network": subnet["network"],
            "subnetwork": subnet["selfLink"],
            "networkTier": "PREMIUM",
            "labels": dict(body.get("labels") or {}),
            "labelFingerprint": fingerprint(),
            "fingerprint": fingerprint(),
        }
    )
    rule["allPorts" if all_ports else "ports"] = True if all_ports else ports
    return rule


def _check_rules_quota(network: str) -> None:
    """Google's quota of internal passthrough forwarding rules is per VPC network (its
    regions.get lists none of it), and so is the fake's."""
    in_network = sum(
        1
        for _, rule in store.items("forwardingRules")
        if rule.get("loadBalancingScheme") == INTERNAL and rule.get("network") == network
    )
    limit = quotas.current.internal_forwarding_rules
    if in_network >= limit:
        raise quota_exceeded("INTERNAL_FORWARDING_RULES_PER_NETWORK", limit)


def _build_endpoint(target: Target, body: dict[str, Any]) -> Resource:
    """A consumer's PSC endpoint: an address in its network, forwarding to a service
    attachment (perhaps another project's)."""
    if body.get("loadBalancingScheme"):
        raise invalid(
            "Invalid value for field 'resource.loadBalancingScheme': a Private Service "
            "Connect endpoint has none."
        )
    attachment = referenced("resource.target", body.get("target"), "serviceAttachments")
    if attachment["_region"] != target.region:
        raise invalid(
            "Invalid value for field 'resource.target': the service attachment must be in "
            f"region {target.region}."
        )
    network = referenced("resource.network", body.get("network"), "networks")
    subnet = _endpoint_subnet(body, network, target.region)
    rule = envelope(target, "compute#forwardingRule", body)
    rule.update(
        {
            "IPAddress": str(body.get("IPAddress") or allocate(subnet, internal_addresses(subnet))),
            "target": attachment["selfLink"],
            "network": network["selfLink"],
            "subnetwork": subnet["selfLink"],
            "loadBalancingScheme": "",
            "labels": dict(body.get("labels") or {}),
            "labelFingerprint": fingerprint(),
            "fingerprint": fingerprint(),
        }
    )
    return rule


def _endpoint_subnet(body: dict[str, Any], network: Resource, region: str) -> Resource:
    if body.get("subnetwork"):
        return referenced("resource.subnetwork", body["subnetwork"], "subnetworks", region=region)
    for _, subnet in store.items("subnetworks"):
        if subnet["network"] == network["selfLink"] and subnet["_region"] == region:
            return subnet
    raise invalid(
        f"Invalid value for field 'resource.network': network '{network['name']}' has no "
        f"subnetwork in region {region} to take the endpoint's address from."
    )


def _render_forwarding_rule(rule: Resource) -> Resource:
    answer = public(rule)
    if rule.get("target"):
        answer.update(private_link.endpoint_view(rule))
    return answer


def _before_forwarding_rule_delete(rule: Resource) -> None:
    if rule.get("target"):
        private_link.disconnect(rule)
        return
    for _, attachment in store.items("serviceAttachments"):
        if attachment["targetService"] == rule["selfLink"]:
            raise in_use(rule["_path"], attachment["_path"])


def _after_forwarding_rule_insert(rule: Resource) -> None:
    if rule.get("target"):
        private_link.connect(rule)


HEALTH_CHECKS = Kind(
    collection="healthChecks",
    kind="compute#healthCheck",
    regional=True,
    build=_build_health_check,
    render=public,
    before_delete=_before_health_check_delete,
)
BACKEND_SERVICES = Kind(
    collection="backendServices",
    kind="compute#backendService",
    regional=True,
    build=_build_backend_service,
    render=public,
    before_delete=_before_backend_service_delete,
)
FORWARDING_RULES = Kind(
    collection="forwardingRules",
    kind="compute#forwardingRule",
    regional=True,
    build=_build_forwarding_rule,
    render=_render_forwarding_rule,
    before_delete=_before_forwarding_rule_delete,
    after_insert=_after_forwarding_rule_insert,
)
