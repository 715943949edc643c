"""The production settings plus a URLconf with the trivial view the figures are compared to."""

from console.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# The burst's breakdown: what each task run of the benchmark's worker spent (bench/probes.py).
import bench.probes  # noqa: E402

# With BENCH_SAMPLE=1, a sampling profile of the worker's threads (bench/sampler.py).
import bench.sampler  # noqa: E402, F401
