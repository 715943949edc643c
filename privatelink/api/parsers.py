"""Turning PrivateLink request bodies into the principal lists the actions take."""

from typing import Any

from console.api.body import reject_unknown_keys
from console.errors import InvalidInput
from privatelink.principals import clean_principals


def principals_from(body: dict[str, Any]) -> list[str]:
    """The sorted, checked principal list of a create or update body.

    avn sends `"principals": null` when no --principal was given; that is a mistake of
    the caller, answered with what to add, never taken as "allow nobody".
    """
    reject_unknown_keys(body, {"principals", "supported_regions"})
    if body.get("supported_regions"):
        raise InvalidInput(
            "Connections from other regions are not supported; leave out --supported-regions.",
            field="supported_regions",
        )
    principals = body.get("principals")
    if principals is None:
        raise InvalidInput(
            "Give the allowed principals (1 to 16 IAM ARNs), for example "
            "--principal arn:aws:iam::012345678901:user/name.",
            field="principals",
        )
    if not isinstance(principals, list):
        raise InvalidInput("principals must be a list of IAM ARN strings.", field="principals")
    return clean_principals(principals)
