"""A sampling profile of the benchmark's worker, for finding where a burst's time goes
(py-spy is not at hand): with BENCH_SAMPLE=1, a thread of the worker takes every thread's
stack every 10 ms and, when the worker stops, writes to var/bench/samples-<pid>.txt how
often each function was on the stack of a thread running a task.

Wall-clock samples: a thread waiting for an AWS answer, the database or the GIL counts as
much as one running Python, which is what a run's latency is made of.
"""

import collections
import os
import sys
import threading
import time
from typing import Any

from celery.signals import worker_init, worker_shutdown

from bench import environment

INTERVAL = 0.01
_samples: collections.Counter[str] = collections.Counter()
_leaves: collections.Counter[str] = collections.Counter()
_totals = {"busy": 0, "ticks": 0}
_stop = threading.Event()


def _sample() -> None:
    me = threading.get_ident()
    while not _stop.wait(INTERVAL):
        _totals["ticks"] += 1
        for ident, frame in sys._current_frames().items():
            if ident == me:
                continue
            frames = []
            f: Any = frame
            while f is not None:
                frames.append(f)
                f = f.f_back
            names = [f.f_code.co_name for f in frames]
            if "trace_task" not in names and "fast_trace_task" not in names:
                continue
            _totals["busy"] += 1
            seen = set()
            for f in frames:
                key = f"{f.f_code.co_filename.split('site-packages/')[-1]}:{f.f_code.co_name}"
                if key not in seen:
                    seen.add(key)
                    _samples[key] += 1
            leaf = frames[0]
            _leaves[f"{leaf.f_code.co_filename.split('site-packages/')[-1]}:{leaf.f_lineno}"] += 1


@worker_init.connect
def _start(**kwargs: Any) -> None:
    if os.environ.get("BENCH_SAMPLE"):
        threading.Thread(target=_sample, daemon=True, name="bench-sampler").start()


@worker_shutdown.connect
def _write(**kwargs: Any) -> None:
    if not os.environ.get("BENCH_SAMPLE"):
        return
    _stop.set()
    time.sleep(2 * INTERVAL)
    busy = max(1, _totals["busy"])
    lines = [f"ticks {_totals['ticks']}, busy thread samples {busy}", "", "inclusive:"]
    lines += [f"{n / busy:6.1%} {name}" for name, n in _samples.most_common(120)]
    lines += ["", "leaf lines:"]
    lines += [f"{n / busy:6.1%} {name}" for name, n in _leaves.most_common(60)]
    (environment.VAR / f"samples-{os.getpid()}.txt").write_text("\n".join(lines) + "\n")
