"""Settings for the test suite: the production settings with TESTING on (dev secret key,
no HTTPS redirect). Everything else still comes from the environment, such as DATABASE_URL."""

import os

os.environ.setdefault("TESTING", "true")

from console.settings import *  # noqa: F403
