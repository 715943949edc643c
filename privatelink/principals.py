"""Checking the IAM principals allowed to connect to an endpoint service, as AWS accepts them."""

import re
from collections.abc import Iterable

from console.errors import InvalidInput, echo

MIN_PRINCIPALS = 1
MAX_PRINCIPALS = 16
EVERYONE = "*"
# What the page's form and the API both say about the list, so they never disagree.
NOT_A_PRINCIPAL = "Each principal must be a non-empty IAM ARN."
TOO_FEW = "Allow at least one principal."
TOO_MANY = f"A PrivateLink allows at most {MAX_PRINCIPALS} principals."
PRINCIPAL_PATTERN = re.compile(
    r"^arn:(?P<partition>aws|aws-cn|aws-us-gov):iam::\d{12}:"
    r"(root|user/[\w+=,.@-]{1,64}|role/[\w+=,.@-]{1,64})$",
    re.ASCII,  # AWS names and account ids are ASCII: no accented letters, no other digits
)
_PATH = re.compile(r"^arn:[\w-]+:iam::\d{12}:(user|role)/.+/.+$")


def _partition(principal: str) -> str | None:
    match = PRINCIPAL_PATTERN.match(principal)
    return match["partition"] if match else None


def clean_principal(value: object) -> str:
    """One principal, stripped, or InvalidInput saying what a valid one looks like."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(NOT_A_PRINCIPAL, field="principals")
    principal = value.strip()
    if principal == EVERYONE or PRINCIPAL_PATTERN.match(principal):
        return principal
    if _PATH.match(principal):
        raise InvalidInput(
            f"{echo(principal)} has a path; AWS allows only arn:aws:iam::ACCOUNT:role/NAME or "
            "user/NAME without a path.",
            field="principals",
        )
    raise InvalidInput(
        f"{echo(principal)} is not an IAM principal AWS accepts. Use * or "
        "arn:aws:iam::<12-digit account>:root, ...:user/<name> or ...:role/<name>.",
        field="principals",
    )


def clean_principals(values: Iterable[object] | None) -> list[str]:
    """A sorted list of MIN_PRINCIPALS to MAX_PRINCIPALS distinct principals of one
    partition, or InvalidInput."""
    if values is None or isinstance(values, str | bytes):
        raise InvalidInput(
            f"Give the list of allowed principals ({MIN_PRINCIPALS} to {MAX_PRINCIPALS} IAM ARNs).",
            field="principals",
        )
    principals = sorted({clean_principal(value) for value in values})
    if len(principals) < MIN_PRINCIPALS:
        raise InvalidInput(TOO_FEW, field="principals")
    if len(principals) > MAX_PRINCIPALS:
        raise InvalidInput(f"{TOO_MANY} {len(principals)} were given.", field="principals")
    partitions = {_partition(p) for p in principals} - {None}
    if len(partitions) > 1:
        raise InvalidInput(
            "All principals must belong to one AWS partition; "
            f"these mix {', '.join(sorted(p for p in partitions if p))}.",
            field="principals",
        )
    return principals


def covers_account(principals: Iterable[str], account: str) -> bool:
    """Whether some principal admits endpoints owned by `account`: the console keeps a live
    connection only while this holds (AWS itself would keep it)."""
    return any(p == EVERYONE or p.split(":")[4:5] == [account] for p in principals)


def broad_principals(principals: Iterable[str]) -> list[str]:
    """Principals that admit more than one identity: `*` (anyone) and account roots."""
    return [p for p in principals if p == EVERYONE or p.endswith(":root")]
