"""Service users' credentials: generated passwords and, for Kafka, client certificates,
secrets encrypted at rest (console.encryption), shown the same on every route.

Read-only members never receive a password or a key: callers ask `may_see_passwords` first.
"""

import datetime
import secrets
from dataclasses import dataclass

from console import catalog, project_ca
from console.encryption import cipher, decrypt, encrypt
from console.models import Membership, Service, ServiceUser

__all__ = ["cipher", "decrypt", "encrypt"]

# secrets.token_urlsafe(24) gives 32 characters from 192 random bits.
PASSWORD_BYTES = 24
MASK = "••••••••"
# The platform names each type's first user; Valkey's is Redis' built-in "default".
PRIMARY_USERNAMES = {"valkey": "default"}
# Types whose users also log in with a client certificate signed by the project's CA.
CERTIFICATE_TYPES = frozenset({"kafka"})


def generate_password() -> str:
    return secrets.token_urlsafe(PASSWORD_BYTES)


def primary_username(service: Service) -> str:
    return PRIMARY_USERNAMES.get(service.service_type, "avnadmin")


def uses_client_certificates(service: Service) -> bool:
    return service.service_type in CERTIFICATE_TYPES


def create_user(
    service: Service, username: str, kind: str = ServiceUser.Type.NORMAL
) -> ServiceUser:
    """A user with a fresh password and, where the type uses them, its own client
    certificate (inside the caller's transaction)."""
    user = ServiceUser(
        service=service,
        username=username,
        type=kind,
        password_encrypted=encrypt(generate_password()),
    )
    if uses_client_certificates(service):
        project_ca.issue_certificate(user)
    user.save()
    return user


def create_primary_user(service: Service) -> ServiceUser:
    """The user every service starts with (inside the caller's transaction, with the service)."""
    return create_user(service, primary_username(service), ServiceUser.Type.PRIMARY)


def may_see_passwords(membership: Membership) -> bool:
    return membership.can_write


@dataclass(frozen=True)
class Credentials:
    """One service user as a page or the API shows it; secrets None when withheld (or, for
    the certificate and key, when the type has none)."""

    username: str
    type: str
    password: str | None
    access_cert: str | None = None
    access_key: str | None = None
    access_cert_not_valid_after: datetime.datetime | None = None

    @property
    def userinfo(self) -> str:
        """`user:password` for URIs, percent-encoded, or `user:••••••••` where the password
        is withheld (the mask is only ever shown, never used to connect)."""
        if self.password is None:
            return f"{catalog.userinfo(self.username)}:{MASK}"
        return catalog.userinfo(self.username, self.password)


def shown(user: ServiceUser, *, with_secrets: bool) -> Credentials:
    if not with_secrets:
        return Credentials(user.username, user.type, None)
    return Credentials(
        user.username,
        user.type,
        decrypt(user.password_encrypted),
        user.access_cert or None,
        decrypt(user.access_key_encrypted) if user.access_key_encrypted else None,
        user.access_cert_not_valid_after,
    )


def credentials_of(service: Service, *, with_passwords: bool) -> list[Credentials]:
    """The service's users, primary first; uses a prefetched `users` when there is one.
    `with_passwords` also gives each user's certificate and key."""
    users = sorted(
        service.users.all(), key=lambda u: (u.type != ServiceUser.Type.PRIMARY, u.username)
    )
    return [shown(u, with_secrets=with_passwords) for u in users]


def masked_primary(service: Service) -> Credentials:
    """The primary user with the password withheld, without a query: pages that poll show
    this and fetch the password only when a person asks to reveal it."""
    return Credentials(primary_username(service), ServiceUser.Type.PRIMARY, None)
