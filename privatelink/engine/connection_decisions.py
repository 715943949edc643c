"""What the console does with one customer endpoint, from what the cloud and the row say.

The cloud's view arrives as a neutral `Phase` (each driver maps its own states onto it), so
the same decisions hold for every cloud; where clouds differ (who decides a pending
endpoint), the driver states its policy (`ConnectionPolicy`) and the decision follows it.
Pure: no cloud call and no query, so every branch is a plain function call to test. The
reconciler (`privatelink.engine.connections`) carries the decision out.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from privatelink.clouds.driver import Phase
from privatelink.models import PrivateLinkConnection
from privatelink.principals import covers_account

State = PrivateLinkConnection.State


class Verdict(StrEnum):
    # Accept the endpoint in the cloud; the row is approved.
    ACCEPT = "accept"
    # Reject the endpoint in the cloud; the row is rejected with a reason.
    REJECT = "reject"
    # The endpoint was rejected before and is back (accepted behind the console's back,
    # or asking again): the decision stands, the cloud is told again.
    REJECT_AGAIN = "reject-again"
    # The cloud moved the endpoint on its own: the row follows.
    MARK = "mark"
    NOTHING = "nothing"


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    # MARK: the row's new state.
    state: State | None = None
    # REJECT: why, in words the customer reads on the page.
    reason: str = ""
    # How the count of connections holding a slot of the service's limit changes.
    live_change: int = 0

    @property
    def polls(self) -> bool:
        """Whether the cloud is expected to move the endpoint on soon (accepted, not available
        yet): the reconciler looks again shortly rather than waiting for the sweep."""
        return self.verdict == Verdict.ACCEPT or self.state == State.USER_APPROVED

    def phase_after(self, observed: Phase) -> Phase:
        """The endpoint's phase once the decision is carried out."""
        if self.verdict == Verdict.ACCEPT:
            return Phase.ACCEPTED
        if self.verdict in (Verdict.REJECT, Verdict.REJECT_AGAIN):
            return Phase.REJECTED
        return observed


NOTHING = Decision(Verdict.NOTHING)


class ConnectionPolicy(Protocol):
    """Who decides a pending endpoint, as a cloud's driver states it."""

    @property
    def accepts_on_user_approval(self) -> bool:
        """False: accepted as soon as the cloud lets it ask (the allow-list admitted it);
        True: left pending until the user approves its row, rejected at once when the
        allow-list does not cover its owner."""
        ...

    def owner_allowed(self, allow_list: Sequence[str], owner: str) -> bool: ...


class _AcceptWhenAllowed:
    """The cloud admits only endpoints the allow-list covers, so a pending one is accepted;
    a live one stays while a principal still covers its account."""

    accepts_on_user_approval = False

    def owner_allowed(self, allow_list: Sequence[str], owner: str) -> bool:
        return covers_account(allow_list, owner)


ACCEPT_WHEN_ALLOWED: ConnectionPolicy = _AcceptWhenAllowed()


def decide(
    row_state: str,
    phase: Phase,
    owner: str,
    principals: Iterable[str],
    refusal: str,
    policy: ConnectionPolicy = ACCEPT_WHEN_ALLOWED,
) -> Decision:
    """The decision for an endpoint whose row is in `row_state` and which the cloud reports
    in `phase`, owned by account `owner`, under the cloud's `policy`.

    `refusal` says why one more connection cannot be accepted now ('' if it can): the
    service's connection limit or the front's port budget. It matters only for an endpoint
    pending acceptance."""
    allow_list = list(principals)
    live = row_state in PrivateLinkConnection.LIVE
    if phase == Phase.GONE:
        return Decision(Verdict.MARK, State.DELETED)
    if phase == Phase.REJECTED:
        return Decision(Verdict.MARK, State.REJECTED)
    if row_state == State.REJECTED:
        return Decision(Verdict.REJECT_AGAIN)
    if phase == Phase.PENDING:
        if policy.accepts_on_user_approval:
            return _decide_pending_on_approval(row_state, owner, allow_list, refusal, policy)
        if refusal:
            return Decision(Verdict.REJECT, reason=refusal)
        return Decision(Verdict.ACCEPT, live_change=1)
    if live and not policy.owner_allowed(allow_list, owner):
        reason = f"The principal that allowed account {owner} was removed."
        return Decision(Verdict.REJECT, reason=reason, live_change=-1)
    if policy.accepts_on_user_approval and row_state == State.PENDING_USER_APPROVAL:
        # Accepted in the cloud before the user approved it (by an entry wider than the
        # endpoint, or behind the console's back): still the user's to approve, as its
        # host needs the address the approval gives.
        return NOTHING
    if phase == Phase.ACCEPTED:
        return Decision(Verdict.MARK, State.USER_APPROVED)
    if phase == Phase.AVAILABLE and row_state not in PrivateLinkConnection.REACHABLE:
        return Decision(Verdict.MARK, State.CONNECTED)
    return NOTHING


def _decide_pending_on_approval(
    row_state: str, owner: str, allow_list: list[str], refusal: str, policy: ConnectionPolicy
) -> Decision:
    """A pending endpoint of a cloud where the user approves: an owner outside the
    allow-list is refused at once, an approved row is accepted (its slot of the limit is
    already counted), any other waits for the user."""
    live = row_state in PrivateLinkConnection.LIVE
    if not policy.owner_allowed(allow_list, owner):
        reason = f"The endpoint's owner {owner or '(unknown)'} is not in the allowed list."
        return Decision(Verdict.REJECT, reason=reason, live_change=-1 if live else 0)
    if row_state != State.USER_APPROVED:
        return NOTHING
    if refusal:
        return Decision(Verdict.REJECT, reason=refusal, live_change=-1)
    return Decision(Verdict.ACCEPT)
