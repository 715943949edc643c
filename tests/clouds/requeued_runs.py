"""Reconcile runs played as the worker plays them for a cloud still carrying a change out:
each requeue's countdown waited, then the next run, until a run asks for none."""

import time
from collections.abc import Callable

from privatelink.engine.reconcile import Outcome

ROUNDS = 300


def runs(work: Callable[[], Outcome], between: Callable[[], None] = lambda: None) -> list[Outcome]:
    """The outcomes of `work` run again after each requeue's countdown (`between` called
    after each wait). A run that fails, or a Retryable (a task retry) propagating, fails the
    test: a change still being carried out must cost neither."""
    outcomes: list[Outcome] = []
    for _ in range(ROUNDS):
        outcome = work()
        outcomes.append(outcome)
        assert outcome.error == ""
        if outcome.requeue_after is None:
            return outcomes
        time.sleep(outcome.requeue_after)
        between()
    raise AssertionError(f"not converged after {ROUNDS} runs")
