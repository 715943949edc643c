"""Settings for the test suite: the production settings with TESTING on (dev secret key,
no HTTPS redirect). Everything else still comes from the environment, such as DATABASE_URL."""

import os

os.environ.setdefault("TESTING", "true")
# Never the checkout's `.env` of `make run`: tests set what they need themselves.
os.environ["ENV_FILE"] = ""

from console.settings import *  # noqa: F403

# Hashing passwords properly costs about a second per user; factories make several per test.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
