"""Change tokens in the shared cache: one per service, one per user's access. A poll
compares tokens, so an unchanged poll is answered without building a database query, and
an answer kept under the tokens (console.freshness) is served again without rendering.

A token is a random string replaced (never incremented) when the change is made and again
once the transaction that made it commits: a token that is missing (evicted, a cold cache)
is created anew, which costs one full answer, never a stale one. Every write that changes
what a page shows of a service (the service, its nodes, users and Project VPC, and what
other apps register with `on_rows_of`) calls `service_changed` (the model signals in
`connect()` cover saves and deletes; code that writes with `QuerySet.update` calls it
itself), and every change of a membership or of the user row (password, deactivation)
calls `access_changed`.
"""

import secrets
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

# Long enough to be useful, short enough that an orphaned entry goes away by itself.
TIMEOUT_SECONDS = 24 * 3600


def _new_token() -> str:
    return secrets.token_hex(8)


def service_key(service_id: int) -> str:
    return f"changes:service:{service_id}"


def service_id_key(project: str, service: str) -> str:
    # The fast path knows the names from the URL; the tokens are kept per id.
    return f"changes:service-id:{project}:{service}"


def access_key(user_id: object) -> str:
    return f"changes:access:{user_id}"


def _replace_on_commit(key: str) -> None:
    # At once, so that nothing kept before the change is served again even to a reader
    # inside the same transaction; and again once it commits, because an answer read in
    # between (from the rows as they were before the commit) may have been kept under the
    # first new token. A change rolled back costs one needless new answer. Outside a
    # transaction (autocommit, as a reconcile run writes) the change is committed as it is
    # made and the second replacement would come at once after the first: one is enough.
    cache.set(key, _new_token(), TIMEOUT_SECONDS)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: cache.set(key, _new_token(), TIMEOUT_SECONDS))


def service_changed(service_id: int) -> None:
    """What a page shows of the service changed: replace its token once this commits."""
    _replace_on_commit(service_key(service_id))


def access_changed(user_id: object) -> None:
    """The user's memberships or account changed: forget every access decision made for
    them once this commits."""
    _replace_on_commit(access_key(user_id))


def current(key: str) -> str:
    """The token under `key`, created if missing. Read it before reading the database, so
    that a change committed meanwhile gives the next poll a different token."""
    token = cache.get(key)
    if token is None:
        cache.add(key, _new_token(), TIMEOUT_SECONDS)
        token = cache.get(key)
    return str(token)


def remember_service_id(project: str, service: str, service_id: int) -> None:
    cache.set(service_id_key(project, service), service_id, TIMEOUT_SECONDS)


def _on_service_row(sender: type[Model], instance: Any, **_: Any) -> None:
    service_changed(instance.service_id)


def _on_service(sender: type[Model], instance: Any, **_: Any) -> None:
    service_changed(instance.pk)


def _on_project_vpc(sender: type[Model], instance: Any, **_: Any) -> None:
    # The Overview page shows its services' VPC (its CIDR and AWS id).
    from console.models import Service

    for service_id in Service.objects.filter(project_vpc_id=instance.pk).values_list(
        "pk", flat=True
    ):
        service_changed(service_id)


def _on_membership(sender: type[Model], instance: Any, **_: Any) -> None:
    access_changed(instance.user_id)


def _on_user(sender: type[Model], instance: Any, **_: Any) -> None:
    access_changed(instance.pk)


def connect() -> None:
    """Replace tokens on every save and delete of the rows the console's pages show."""
    from console.models import Membership, ProjectVPC, Service, ServiceNode, ServiceUser, User

    for signal in (post_save, post_delete):
        signal.connect(_on_service, sender=Service, dispatch_uid=f"changes-service-{signal}")
        signal.connect(_on_service_row, sender=ServiceNode, dispatch_uid=f"changes-node-{signal}")
        signal.connect(
            _on_service_row, sender=ServiceUser, dispatch_uid=f"changes-service-user-{signal}"
        )
        signal.connect(_on_project_vpc, sender=ProjectVPC, dispatch_uid=f"changes-vpc-{signal}")
        signal.connect(_on_membership, sender=Membership, dispatch_uid=f"changes-member-{signal}")
        signal.connect(_on_user, sender=User, dispatch_uid=f"changes-user-{signal}")


def on_rows_of(model: type[Model], service_id_of: Any) -> None:
    """Replace the service's token on every save and delete of `model`, whose rows name
    their service through `service_id_of(row)` (for apps that add what a page shows)."""

    def receiver(sender: type[Model], instance: Any, **_: Any) -> None:
        service_changed(service_id_of(instance))

    for signal in (post_save, post_delete):
        signal.connect(receiver, sender=model, weak=False, dispatch_uid=f"changes-{model}-{signal}")
