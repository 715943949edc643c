"""Service users' passwords: generated, encrypted at rest, and shown the same on every route.

Passwords are Fernet tokens in the database under the keys of CREDENTIALS_ENCRYPTION_KEYS
(MultiFernet: the first key encrypts, every key decrypts, so keys rotate without downtime).
Read-only members never receive a password: callers ask `may_see_passwords` first.
"""

import secrets
from dataclasses import dataclass
from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings

from console import catalog
from console.models import Membership, Service, ServiceUser

# secrets.token_urlsafe(24) gives 32 characters from 192 random bits.
PASSWORD_BYTES = 24
MASK = "••••••••"
# The platform names each type's first user; Valkey's is Redis' built-in "default".
PRIMARY_USERNAMES = {"valkey": "default"}


@lru_cache(maxsize=4)
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def cipher() -> MultiFernet:
    return _cipher(tuple(settings.CREDENTIALS_ENCRYPTION_KEYS))


def encrypt(password: str) -> str:
    return cipher().encrypt(password.encode()).decode()


def decrypt(token: str) -> str:
    return cipher().decrypt(token.encode()).decode()


def generate_password() -> str:
    return secrets.token_urlsafe(PASSWORD_BYTES)


def primary_username(service: Service) -> str:
    return PRIMARY_USERNAMES.get(service.service_type, "avnadmin")


def create_primary_user(service: Service) -> ServiceUser:
    """The user every service starts with, with a fresh password (inside the caller's
    transaction, with the service)."""
    return ServiceUser.objects.create(
        service=service,
        username=primary_username(service),
        type=ServiceUser.Type.PRIMARY,
        password_encrypted=encrypt(generate_password()),
    )


def may_see_passwords(membership: Membership) -> bool:
    return membership.can_write


@dataclass(frozen=True)
class Credentials:
    """One service user as a page or the API shows it; password None when withheld."""

    username: str
    type: str
    password: str | None

    @property
    def userinfo(self) -> str:
        """`user:password` for URIs, percent-encoded, or `user:••••••••` where the password
        is withheld (the mask is only ever shown, never used to connect)."""
        if self.password is None:
            return f"{catalog.userinfo(self.username)}:{MASK}"
        return catalog.userinfo(self.username, self.password)


def credentials_of(service: Service, *, with_passwords: bool) -> list[Credentials]:
    """The service's users, primary first; uses a prefetched `users` when there is one."""
    users = sorted(
        service.users.all(), key=lambda u: (u.type != ServiceUser.Type.PRIMARY, u.username)
    )
    return [
        Credentials(u.username, u.type, decrypt(u.password_encrypted) if with_passwords else None)
        for u in users
    ]


def masked_primary(service: Service) -> Credentials:
    """The primary user with the password withheld, without a query: pages that poll show
    this and fetch the password only when a person asks to reveal it."""
    return Credentials(primary_username(service), ServiceUser.Type.PRIMARY, None)
