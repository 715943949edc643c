"""The platform project's quotas in its region, as Compute's `regions.get` reports them:
those a PrivateLink spends, planned for before a create rather than discovered by it.

Each Google PrivateLink publishes one service attachment, counted against the project's
regional SERVICE_ATTACHMENTS (100 by default). Its internal passthrough forwarding rule
counts against INTERNAL_FORWARDING_RULES_PER_NETWORK, a quota of the Project VPC's own
network (one rule per PrivateLink of its services), which `regions.get` does not list and
no region's placement needs. PSC_INTERNAL_LB_FORWARDING_RULES counts consumers' PSC
endpoints, not a producer's rules.
"""

from privatelink.clouds.google.calls import GoogleCalls

SERVICE_ATTACHMENTS_METRIC = "SERVICE_ATTACHMENTS"
# The metrics placement plans for, by Compute's names (`compute_v1.Quota.Metric`).
PLANNED_METRICS = frozenset({SERVICE_ATTACHMENTS_METRIC})


class QuotaOperations(GoogleCalls):
    def region_quotas(self) -> dict[str, int]:
        """The region's limits of PLANNED_METRICS by metric; one Google does not report is
        left out (placement keeps what it knew)."""
        region = self._call(
            "get_region",
            lambda: self._compute.regions.get(
                project=self.project, region=self.region, **self._reads
            ),
        )
        return {
            quota.metric: int(quota.limit)
            for quota in region.quotas
            if quota.metric in PLANNED_METRICS
        }
