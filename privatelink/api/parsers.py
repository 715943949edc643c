"""Turning PrivateLink request bodies into what the actions take: principal lists (AWS),
subscription lists (Azure) and endpoint addresses (Azure, Google)."""

from typing import Any

from console.api.schemas import STRINGS, body, nullable
from console.api.validation import check_body
from console.errors import InvalidInput, echo
from privatelink import endpoint_ip, subscriptions
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


# The body of the Azure create and update alike, as the platform takes it.
SUBSCRIPTIONS_BODY = body(
    {
        "user_subscription_ids": {
            "type": "array",
            "items": {"type": "string", "example": subscriptions.EXAMPLE},
            "minItems": subscriptions.MIN_SUBSCRIPTIONS,
            "maxItems": subscriptions.MAX_SUBSCRIPTIONS,
        },
    },
    required=["user_subscription_ids"],
)

SUBSCRIPTIONS_WORDING = {
    "user_subscription_ids.required": (
        f"Give the allowed subscriptions ({subscriptions.MIN_SUBSCRIPTIONS} to "
        f"{subscriptions.MAX_SUBSCRIPTIONS} Azure subscription ids), for example "
        f"--user-subscription-id {subscriptions.EXAMPLE}."
    ),
    "user_subscription_ids": "user_subscription_ids must be a list of subscription id strings.",
    "user_subscription_ids[]": subscriptions.NOT_A_SUBSCRIPTION,
    # avn sends an empty list when no --user-subscription-id was given.
    "user_subscription_ids.minItems": (
        f"{subscriptions.TOO_FEW} Add --user-subscription-id {subscriptions.EXAMPLE} "
        "(the subscription of the customer's private endpoint)."
    ),
    "user_subscription_ids.maxItems": subscriptions.TOO_MANY,
}

# The body of an Azure connection's update: the private endpoint's address.
ADDRESS_BODY = body(
    {"user_ip_address": {"type": "string", "example": endpoint_ip.EXAMPLE}},
    required=["user_ip_address"],
)

ADDRESS_WORDING = {
    "user_ip_address.required": (
        "Give the private endpoint's IP address, for example --endpoint-ip-address "
        f"{endpoint_ip.EXAMPLE}."
    ),
    "user_ip_address": "user_ip_address must be an IPv4 address string.",
}


def subscriptions_from(data: dict[str, Any]) -> list[str]:
    """The sorted, checked subscription list of an Azure create or update body."""
    check_body(data, SUBSCRIPTIONS_BODY, SUBSCRIPTIONS_WORDING)
    return subscriptions.clean_subscriptions(data["user_subscription_ids"])


# The same body approves a Google connection, where avn names the address otherwise.
GOOGLE_ADDRESS_WORDING = {
    **ADDRESS_WORDING,
    "user_ip_address.required": (
        f"Give the PSC endpoint's IP address, for example --user-ip-address {endpoint_ip.EXAMPLE}."
    ),
}


def address_from(data: dict[str, Any], wording: dict[str, str] = ADDRESS_WORDING) -> str:
    """The checked endpoint address of an Azure connection update or a Google approval."""
    check_body(data, ADDRESS_BODY, wording)
    return endpoint_ip.clean_endpoint_ip(data["user_ip_address"])


def no_settings_from(data: dict[str, Any]) -> None:
    """A Google create takes no settings: the platform's clients send `{}`. Projects join
    the accept list as their connections are approved."""
    if data:
        unknown = echo(sorted(data)[0])
        raise InvalidInput(
            f"{unknown} is not supported: a Google PrivateLink is created with an empty "
            "body ({}); customers' projects are accepted as their connections are approved.",
            field=unknown,
        )
