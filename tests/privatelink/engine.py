"""Running the reconciler in tests until AWS settles, as the worker's requeues would."""

from console.models import Service
from privatelink.engine import reconcile
from privatelink.engine.reconcile import GatewayFactory, Outcome


def converge(
    service: Service,
    gateway: GatewayFactory | None = None,
    *,
    rounds: int = 30,
    settle: bool = True,
) -> Outcome:
    """Reconcile `service` until a run asks for no requeue, at most `rounds` times, and
    return the last outcome. A service still in transition then fails the test, unless
    `settle` is false: a test that expects AWS to keep it waiting reads the outcome."""
    outcome = Outcome()
    for _ in range(rounds):
        outcome = reconcile.reconcile_service(service.pk, gateway)
        if outcome.requeue_after is None:
            return outcome
    if settle:
        raise AssertionError(f"not converged after {rounds} runs: {outcome}")
    return outcome
