"""Settings for the test suite: the production settings with TESTING on (dev secret key,
no HTTPS redirect). Everything else still comes from the environment, such as DATABASE_URL."""

import os

os.environ.setdefault("TESTING", "true")
# Never the checkout's `.env` of `make run`: tests set what they need themselves.
os.environ["ENV_FILE"] = ""

from console.settings import *  # noqa: F403

# Hashing passwords properly costs about a second per user; factories make several per test.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Password reset e-mails stay in memory (django.core.mail.outbox), whatever the environment says.
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

# Each test process keeps its own cache (sessions are cached there): nothing to clean up
# between runs, and no test sees another one's entries. CACHE_URL still wins when set.
if "CACHE_URL" not in os.environ:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
