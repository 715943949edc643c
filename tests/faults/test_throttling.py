"""AWS throttling 30% of all requests: the reconciler still converges, with no duplicates."""

from types import SimpleNamespace

import botocore.endpoint
import pytest

from privatelink import actions
from privatelink.clouds.aws.gateway import Retryable
from privatelink.engine import reconcile
from privatelink.models import Listener, PrivateLink, PrivateLinkConnection
from tests.constants import CUSTOMER_ACCOUNT, CUSTOMER_ROLE
from tests.faults.injection import Faults
from tests.privatelink.aws_state import aws_inventory

THROTTLED_SHARE = 0.3


def _converge_through_retries(service_id: int, faults: Faults, runs: int = 60) -> int:
    """Run as the worker does: a Retryable is retried, a requeue is run again. Returns the
    number of task retries it took."""
    retries = 0
    for _ in range(runs):
        try:
            outcome = reconcile.reconcile_service(service_id, faults.gateway())
        except Retryable:
            retries += 1
            continue
        if outcome.requeue_after is None:
            return retries
    raise AssertionError(f"not converged after {runs} runs")


@pytest.mark.parametrize("seed", [1, 2])
def test_throttling_of_thirty_percent_of_calls_converges_without_duplicates(
    fake_aws, service, developer, queued, monkeypatch, seed
):
    # botocore's pause between its own retries is what would take time, not AWS.
    monkeypatch.setattr(botocore.endpoint, "time", SimpleNamespace(sleep=lambda seconds: None))
    faults = Faults(throttle_share=THROTTLED_SHARE, seed=seed)
    link = actions.create_privatelink(service, [CUSTOMER_ROLE], actor=developer).link
    actions.set_component_access(service, {"kafka": True, "schema_registry": True}, actor=developer)
    _converge_through_retries(service.pk, faults)
    link.refresh_from_db()
    fake_aws.customer(CUSTOMER_ACCOUNT, CUSTOMER_ROLE).create_endpoint(link.aws.service_name)
    retries = _converge_through_retries(service.pk, faults)

    link.refresh_from_db()
    inventory = aws_inventory(fake_aws)
    print(
        f"\nseed {seed}: {faults.throttled} of {faults.throttled + len(faults.calls)} requests "
        f"throttled, {retries} task retries"
    )
    assert faults.throttled > 0.2 * len(faults.calls)
    assert link.state == PrivateLink.State.ACTIVE
    assert link.observed_generation == link.generation
    assert len(inventory["load_balancers"]) == 1
    assert [s["ServiceId"] for s in inventory["endpoint_services"]] == [link.aws.service_id]
    assert PrivateLinkConnection.objects.get().state == PrivateLinkConnection.State.ACTIVE
    assert len(inventory["dns_records"]) == 1
    ports = sorted(listener["Port"] for listener in inventory["listeners"])
    assert ports == sorted(Listener.objects.values_list("port", flat=True))
    assert len(ports) == len(set(ports)) == service.nodes.count() + 1
    assert len(inventory["target_groups"]) == len(ports)
