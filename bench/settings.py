"""The production settings plus a URLconf with the trivial view the figures are compared to."""

from console.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
