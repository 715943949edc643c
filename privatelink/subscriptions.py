"""Checking the Azure subscriptions allowed to connect to a private link service: their
ids, as Azure writes them (a GUID), in a list the size the console allows."""

import uuid
from collections.abc import Iterable

from console.errors import InvalidInput, echo

MIN_SUBSCRIPTIONS = 1
# As many as the IAM principals of an AWS PrivateLink.
MAX_SUBSCRIPTIONS = 16
EXAMPLE = "00000000-0000-0000-0000-000000000001"
# What the page's form and the API both say, so they never disagree.
NOT_A_SUBSCRIPTION = (
    f"Each subscription must be an Azure subscription id, a GUID such as {EXAMPLE}."
)
TOO_FEW = "Allow at least one subscription."
TOO_MANY = f"A PrivateLink allows at most {MAX_SUBSCRIPTIONS} subscriptions."


def clean_subscription(value: object) -> str:
    """One subscription id in Azure's own form (lower case, hyphenated), or InvalidInput
    saying what a valid one looks like."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(NOT_A_SUBSCRIPTION, field="user_subscription_ids")
    text = value.strip()
    try:
        parsed = uuid.UUID(text)
    except ValueError:
        parsed = None
    # uuid.UUID also takes braces, "urn:uuid:" and bare hex; Azure writes the hyphenated form.
    if parsed is None or str(parsed) != text.lower():
        raise InvalidInput(
            f"{echo(text)} is not an Azure subscription id; give a GUID such as {EXAMPLE}.",
            field="user_subscription_ids",
        )
    return str(parsed)


def clean_subscriptions(values: Iterable[object] | None) -> list[str]:
    """The sorted list without repeats, or InvalidInput naming what to fix."""
    if values is None or isinstance(values, str | bytes):
        raise InvalidInput(
            f"Give the list of allowed subscriptions ({MIN_SUBSCRIPTIONS} to "
            f"{MAX_SUBSCRIPTIONS} Azure subscription ids).",
            field="user_subscription_ids",
        )
    cleaned = sorted({clean_subscription(v) for v in values})
    if len(cleaned) < MIN_SUBSCRIPTIONS:
        raise InvalidInput(TOO_FEW, field="user_subscription_ids")
    if len(cleaned) > MAX_SUBSCRIPTIONS:
        raise InvalidInput(f"{TOO_MANY} {len(cleaned)} were given.", field="user_subscription_ids")
    return cleaned
