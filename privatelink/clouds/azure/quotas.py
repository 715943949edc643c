"""Azure's limits a planner works within, as numbers (Azure's published defaults; no ARM
call reads them)."""

from dataclasses import dataclass

# NAT IP configurations of one private link service: each carries about 64k connections.
MAX_NAT_IP_CONFIGURATIONS = 8
# Load-balancing rules of one Standard load balancer: one per port here.
MAX_LOAD_BALANCING_RULES = 1500


@dataclass(frozen=True)
class AzureLimits:
    nat_ip_configurations_per_private_link_service: int = MAX_NAT_IP_CONFIGURATIONS
    load_balancing_rules_per_load_balancer: int = MAX_LOAD_BALANCING_RULES


def limits() -> AzureLimits:
    return AzureLimits()
