"""Every branch of the connection decision, without AWS or the database."""

import pytest

from privatelink.clouds.aws.driver import phase_of, status_of
from privatelink.engine.connection_decisions import Decision, Verdict, decide
from privatelink.models import PrivateLinkConnection

State = PrivateLinkConnection.State
OWNER = "111122223333"
COVERING = [f"arn:aws:iam::{OWNER}:root"]
OTHER = ["arn:aws:iam::444455556666:root"]
LIMIT_REACHED = "Connection limit reached: this service accepts 1 connection(s)."


def _decide(row_state, aws_state, principals=COVERING, refusal=""):
    return decide(row_state, phase_of(aws_state), OWNER, principals, refusal)


def _aws_state_after(decision, aws_state):
    """The endpoint's AWS state once the decision is carried out."""
    phase = decision.phase_after(phase_of(aws_state))
    return aws_state if phase == phase_of(aws_state) else status_of(phase)


@pytest.mark.parametrize("aws_state", ["deleting", "deleted", "failed", "expired"])
@pytest.mark.parametrize("row_state", list(State))
def test_an_endpoint_gone_in_aws_is_marked_deleted_whatever_the_row_says(row_state, aws_state):
    decision = _decide(row_state, aws_state, principals=OTHER, refusal=LIMIT_REACHED)

    assert decision == Decision(Verdict.MARK, State.DELETED)
    assert _aws_state_after(decision, aws_state) == aws_state


@pytest.mark.parametrize("row_state", list(State))
def test_an_endpoint_rejected_in_aws_is_marked_rejected_and_keeps_its_reason(row_state):
    decision = _decide(row_state, "rejected", principals=OTHER)

    assert decision == Decision(Verdict.MARK, State.REJECTED)
    assert not decision.reason


@pytest.mark.parametrize("aws_state", ["pendingacceptance", "pending", "available"])
def test_a_rejected_connection_back_in_aws_is_rejected_again_without_a_new_reason(aws_state):
    decision = _decide(State.REJECTED, aws_state)

    assert decision == Decision(Verdict.REJECT_AGAIN)
    assert _aws_state_after(decision, aws_state) == "rejected"
    assert decision.live_change == 0


def test_a_pending_endpoint_within_the_limit_is_accepted_and_takes_a_slot():
    decision = _decide(State.PENDING_USER_APPROVAL, "pendingacceptance")

    assert decision == Decision(Verdict.ACCEPT, live_change=1)
    assert _aws_state_after(decision, "pendingacceptance") == "pending"
    assert decision.polls


def test_a_pending_endpoint_is_accepted_whatever_the_principals_say():
    # AWS let it ask only because a principal allowed it.
    assert _decide(State.PENDING_USER_APPROVAL, "pendingacceptance", OTHER).verdict == (
        Verdict.ACCEPT
    )


def test_a_pending_endpoint_the_limit_refuses_is_rejected_with_the_refusal():
    decision = _decide(State.PENDING_USER_APPROVAL, "pendingacceptance", refusal=LIMIT_REACHED)

    assert decision == Decision(Verdict.REJECT, reason=LIMIT_REACHED)
    assert _aws_state_after(decision, "pendingacceptance") == "rejected"
    assert decision.live_change == 0
    assert not decision.polls


@pytest.mark.parametrize("row_state", PrivateLinkConnection.LIVE)
@pytest.mark.parametrize("aws_state", ["pending", "available"])
def test_a_live_connection_whose_principal_was_removed_is_rejected_and_frees_its_slot(
    row_state, aws_state
):
    decision = _decide(row_state, aws_state, principals=OTHER)

    assert decision == Decision(
        Verdict.REJECT,
        reason=f"The principal that allowed account {OWNER} was removed.",
        live_change=-1,
    )


def test_a_connection_not_yet_live_is_not_cut_off_by_a_removed_principal():
    decision = _decide(State.PENDING_USER_APPROVAL, "available", principals=OTHER)

    assert decision == Decision(Verdict.MARK, State.CONNECTED)


@pytest.mark.parametrize("row_state", [State.PENDING_USER_APPROVAL, State.USER_APPROVED])
def test_an_endpoint_pending_in_aws_is_marked_approved_and_looked_at_again_soon(row_state):
    decision = _decide(row_state, "pending")

    assert decision == Decision(Verdict.MARK, State.USER_APPROVED)
    assert decision.polls
    assert _aws_state_after(decision, "pending") == "pending"


@pytest.mark.parametrize(
    "row_state", [State.PENDING_USER_APPROVAL, State.USER_APPROVED, State.DELETED]
)
def test_an_endpoint_available_in_aws_is_marked_connected(row_state):
    decision = _decide(row_state, "available")

    assert decision == Decision(Verdict.MARK, State.CONNECTED)
    assert not decision.polls


@pytest.mark.parametrize("row_state", PrivateLinkConnection.REACHABLE)
def test_a_connected_or_active_endpoint_still_available_needs_nothing(row_state):
    decision = _decide(row_state, "available")

    assert decision == Decision(Verdict.NOTHING)
    assert _aws_state_after(decision, "available") == "available"
    assert not decision.polls


def test_an_aws_state_the_console_does_not_know_changes_nothing():
    assert _decide(State.ACTIVE, "partial").verdict == Verdict.NOTHING
