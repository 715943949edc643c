"""Checking the Google Cloud projects of a Google PrivateLink's allow-list: their ids, as
Google allows them, in a list the size the console allows."""

import re
from collections.abc import Iterable

from console.errors import InvalidInput, echo

# As many as the IAM principals of an AWS PrivateLink; none at creation (the approvals add
# them).
MAX_PROJECTS = 16
EXAMPLE = "customer-project-1"
# Google's rule: 6 to 30 lowercase letters, digits and hyphens, starting with a letter and
# not ending with a hyphen.
PROJECT_ID = re.compile(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$", re.ASCII)
NOT_A_PROJECT = (
    "Each project must be a Google Cloud project id: 6 to 30 lowercase letters, digits and "
    f"hyphens, starting with a letter and not ending with a hyphen, such as {EXAMPLE}."
)
TOO_MANY = f"A PrivateLink lists at most {MAX_PROJECTS} projects."


def clean_project(value: object) -> str:
    """One project id, stripped, or InvalidInput saying what a valid one looks like."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(NOT_A_PROJECT, field="principals")
    text = value.strip()
    if not PROJECT_ID.match(text):
        raise InvalidInput(
            f"{echo(text)} is not a Google Cloud project id. {NOT_A_PROJECT}", field="principals"
        )
    return text


def clean_projects(values: Iterable[object] | None) -> list[str]:
    """The sorted list without repeats (empty allowed), or InvalidInput naming what to fix."""
    if values is None or isinstance(values, str | bytes):
        raise InvalidInput(
            f"Give the list of Google Cloud project ids (at most {MAX_PROJECTS}).",
            field="principals",
        )
    cleaned = sorted({clean_project(v) for v in values})
    if len(cleaned) > MAX_PROJECTS:
        raise InvalidInput(f"{TOO_MANY} {len(cleaned)} were given.", field="principals")
    return cleaned
