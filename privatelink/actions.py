"""What a user asked of a PrivateLink: validate, write desired state and an audit event in
one transaction, and enqueue the reconcile on commit. Nothing here calls AWS.

Every function raises console.errors.ActionError subclasses (InvalidInput -> 400,
Conflict -> 409) whose message is shown as-is by the pages and the API.
"""

from collections.abc import Iterable

from django.http import HttpRequest

from console.models import Service, User
from privatelink.models import PrivateLink


def create_privatelink(
    service: Service,
    principals: Iterable[str] | None,
    *,
    actor: User | None,
    request: HttpRequest | None = None,
) -> PrivateLink:
    """Create the service's PrivateLink (state `creating`). Conflict if one exists."""
    raise NotImplementedError


def replace_principals(
    privatelink: PrivateLink,
    principals: Iterable[str] | None,
    *,
    actor: User | None,
    request: HttpRequest | None = None,
    expected_digest: str | None = None,
) -> PrivateLink:
    """Replace the whole principal list (the API's PUT). With expected_digest (the
    PrivateLink.principals_digest the editor saw), a list changed meanwhile is refused
    with Conflict instead of being overwritten."""
    raise NotImplementedError


def add_principal(
    privatelink: PrivateLink,
    principal: str,
    *,
    actor: User | None,
    request: HttpRequest | None = None,
    expected_digest: str | None = None,
) -> PrivateLink:
    """Add one principal, keeping the others (the page's editor)."""
    raise NotImplementedError


def remove_principal(
    privatelink: PrivateLink,
    principal: str,
    *,
    actor: User | None,
    request: HttpRequest | None = None,
    expected_digest: str | None = None,
) -> PrivateLink:
    """Remove one principal, keeping the others; removing the last one is refused."""
    raise NotImplementedError


def delete_privatelink(
    privatelink: PrivateLink, *, actor: User | None, request: HttpRequest | None = None
) -> PrivateLink:
    """Mark for deletion (state `deleting`); the reconciler tears down and removes the row."""
    raise NotImplementedError


def refresh_connections(
    privatelink: PrivateLink, *, actor: User | None, request: HttpRequest | None = None
) -> None:
    """Ask for the connections to be re-read from AWS now."""
    raise NotImplementedError
