"""Turning PrivateLink request bodies into the principal lists the actions take."""

from typing import Any

from console.api.schemas import STRINGS, body, nullable
from console.api.validation import check_body
from privatelink.principals import (
    MAX_PRINCIPALS,
    MIN_PRINCIPALS,
    NOT_A_PRINCIPAL,
    TOO_FEW,
    TOO_MANY,
    clean_principals,
)

# The body of create and update alike, as the platform takes it.
PRINCIPALS_BODY = body(
    {
        "principals": {
            "type": "array",
            "items": {"type": "string", "example": "arn:aws:iam::012345678901:user/mwf"},
            "minItems": MIN_PRINCIPALS,
            "maxItems": MAX_PRINCIPALS,
        },
        # avn sends it with --supported-regions. Connections come only from the service's
        # own region here, so the list must stay empty.
        "supported_regions": nullable({**STRINGS, "maxItems": 0}),
    },
    required=["principals"],
)

WORDING = {
    # avn sends `"principals": null` when no --principal was given; that is a mistake of
    # the caller, answered with what to add, never taken as "allow nobody".
    "principals.required": (
        f"Give the allowed principals ({MIN_PRINCIPALS} to {MAX_PRINCIPALS} IAM ARNs), "
        "for example --principal arn:aws:iam::012345678901:user/name."
    ),
    "principals": "principals must be a list of IAM ARN strings.",
    "principals[]": NOT_A_PRINCIPAL,
    "principals.minItems": TOO_FEW,
    "principals.maxItems": TOO_MANY,
    "supported_regions": (
        "Connections from other regions are not supported; leave out --supported-regions."
    ),
}


def principals_from(data: dict[str, Any]) -> list[str]:
    """The sorted, checked principal list of a create or update body."""
    check_body(data, PRINCIPALS_BODY, WORDING)
    return clean_principals(data["principals"])
