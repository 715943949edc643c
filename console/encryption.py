"""Secrets at rest: Fernet tokens under CREDENTIALS_ENCRYPTION_KEYS (MultiFernet: the first
key encrypts, every key decrypts, so keys rotate without downtime; `manage.py
rotate_credentials_key` re-encrypts). Service passwords, client keys and CA keys use it."""

from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


@lru_cache(maxsize=4)
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def cipher() -> MultiFernet:
    return _cipher(tuple(settings.CREDENTIALS_ENCRYPTION_KEYS))


def encrypt(secret: str) -> str:
    return cipher().encrypt(secret.encode()).decode()


def decrypt(token: str) -> str:
    return cipher().decrypt(token.encode()).decode()
