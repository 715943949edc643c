"""The connection decision under a policy where the user approves each endpoint (Azure's),
without a cloud or the database: the same `decide`, the driver's stated policy."""

from collections.abc import Sequence

import pytest

from privatelink.clouds.driver import Phase
from privatelink.engine.connection_decisions import Decision, Verdict, decide
from privatelink.models import PrivateLinkConnection

State = PrivateLinkConnection.State
SUBSCRIPTION = "00000000-0000-0000-0000-000000000001"
STRANGER = "00000000-0000-0000-0000-000000000002"
LISTED = [SUBSCRIPTION]
LIMIT_REACHED = "Connection limit reached: this service accepts 1 connection(s)."


class OnUserApproval:
    accepts_on_user_approval = True

    def owner_allowed(self, allow_list: Sequence[str], owner: str) -> bool:
        return owner in allow_list


def _decide(row_state, phase, owner=SUBSCRIPTION, refusal=""):
    return decide(row_state, phase, owner, LISTED, refusal, OnUserApproval())


def test_a_pending_endpoint_waits_for_the_users_approval():
    assert _decide(State.PENDING_USER_APPROVAL, Phase.PENDING).verdict == Verdict.NOTHING


def test_a_pending_endpoint_the_user_approved_is_accepted_without_taking_a_second_slot():
    assert _decide(State.USER_APPROVED, Phase.PENDING) == Decision(Verdict.ACCEPT)


@pytest.mark.parametrize("row_state", [State.PENDING_USER_APPROVAL, State.USER_APPROVED])
def test_a_pending_endpoint_of_an_unlisted_owner_is_rejected_at_once(row_state):
    decision = _decide(row_state, Phase.PENDING, owner=STRANGER)

    assert decision.verdict == Verdict.REJECT
    assert STRANGER in decision.reason
    assert decision.live_change == (-1 if row_state == State.USER_APPROVED else 0)


def test_an_approved_endpoint_over_the_limit_is_rejected_with_the_reason():
    decision = _decide(State.USER_APPROVED, Phase.PENDING, refusal=LIMIT_REACHED)

    assert decision == Decision(Verdict.REJECT, reason=LIMIT_REACHED, live_change=-1)


def test_an_approved_endpoint_carrying_traffic_is_connected():
    decision = _decide(State.USER_APPROVED, Phase.AVAILABLE)

    assert decision == Decision(Verdict.MARK, State.CONNECTED)


def test_a_live_endpoint_whose_subscription_was_removed_is_rejected():
    decision = _decide(State.ACTIVE, Phase.AVAILABLE, owner=STRANGER)

    assert decision.verdict == Verdict.REJECT
    assert decision.live_change == -1


@pytest.mark.parametrize("phase", [Phase.ACCEPTED, Phase.AVAILABLE])
def test_an_endpoint_the_cloud_accepted_before_the_users_approval_still_waits_for_it(phase):
    # Accepted by a wider entry (its whole project listed) or behind the console's back:
    # marked connected, it would have a host and no address to resolve it to.
    assert _decide(State.PENDING_USER_APPROVAL, phase) == Decision(Verdict.NOTHING)
