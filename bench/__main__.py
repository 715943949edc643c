"""`python -m bench`: every benchmark in one run, one table at the end.

BENCH_SECONDS (default 10) is the length of each load run; BENCH_CONNECTIONS (default 8)
the number of open connections wrk keeps busy. Runs only against 127.0.0.1.
"""

import os
import sys
import time

from bench import environment, machine

environment.apply()

import django  # noqa: E402 - settings come from the environment set just above

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from bench import (  # noqa: E402
    account_pool,
    fake_aws,
    load,
    processes,
    queries,
    sweep_calls,
    worker_times,
    world,
)
from bench.table import Table  # noqa: E402

SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
POLL_CLIENTS = int(os.environ.get("BENCH_POLL_CLIENTS", "200"))
POLL_SECONDS = float(os.environ.get("BENCH_POLL_SECONDS", "60"))
FRAGMENT_RATIO_GOAL = 1.5
PAGE_RATIO_GOAL = 3.0
SWEEP_SIZES = tuple(int(n) for n in os.environ.get("BENCH_SWEEP_SIZES", "10,100,1000").split(","))
SWEEP_READS_PER_PRIVATELINK_GOAL = 0.1
BURST = int(os.environ.get("BENCH_BURST", "200"))
BURST_NLB_DELAY = 30.0
BURST_GOAL_SECONDS = 45.0
BURST_TIMEOUT_SECONDS = float(os.environ.get("BENCH_BURST_TIMEOUT", "150"))
PAGE_QUERY_GOAL = 10
FRAGMENT_QUERY_GOAL = 3


def query_counts(table: Table) -> None:
    small, large = world.build("n1", 1), world.build("n100", 100)
    # What every logged-in service page pays before its own work: session, user, access.
    shared = queries.count(small.user, small.access_only_url)
    table.add("SQL queries of login + access check alone (in every figure below)", str(shared))
    cases = [
        ("Service Overview page", "overview_url", False, PAGE_QUERY_GOAL),
        ("PrivateLink page", "privatelink_url", False, PAGE_QUERY_GOAL),
        ("status fragment", "status_fragment_url", True, FRAGMENT_QUERY_GOAL),
        ("connections fragment", "connections_fragment_url", True, FRAGMENT_QUERY_GOAL),
    ]
    for label, url, fragment, goal in cases:
        at_1 = queries.count(small.user, getattr(small, url), fragment)
        at_100 = queries.count(large.user, getattr(large, url), fragment)
        table.add(
            f"SQL queries, {label}, N=1 / N=100 (own, beyond login + access)",
            f"{at_1} / {at_100} ({at_100 - shared})",
            f"same at both, <= {goal}",
            at_1 == at_100 and at_100 <= goal,
        )


def web_load(table: Table) -> None:
    typical = world.build("demo", 3)
    client = Client()
    client.force_login(typical.user)
    cookie = {"Cookie": f"sessionid={client.cookies['sessionid'].value}"}
    targets = {
        "trivial view": ("/bench/trivial", cookie),
        "status fragment": (typical.status_fragment_url, {**cookie, "HX-Request": "true"}),
        "Service Overview page": (typical.overview_url, cookie),
    }
    wrk = load.ensure_wrk()
    # As configured (a new database connection per request, Django's default), then with
    # connections kept open, which DATABASE_URL's ?conn_max_age= turns on.
    variants = {
        "default settings": None,
        "conn_max_age=60": environment.variables()["DATABASE_URL"] + "?conn_max_age=60",
    }
    for variant, database_url in variants.items():
        web = load.start_web(database_url)
        try:
            figures = load.measure(wrk, targets, SECONDS, CONNECTIONS)
            polled = (
                load.poll_many(
                    POLL_CLIENTS,
                    POLL_SECONDS,
                    [typical.status_fragment_url, typical.connections_fragment_url],
                    {**cookie, "HX-Request": "true"},
                )
                if variant == "default settings"
                else None
            )
            peak = processes.peak_memory_mib(web.pid)
        finally:
            processes.stop(web)
        _report_load(table, variant, figures)
        if polled is not None:
            failed = sum(n for outcome, n in polled.items() if outcome not in ("200", "286"))
            table.add(
                f"[{variant}] {POLL_CLIENTS} clients polling status fragments every 2 s for "
                f"{POLL_SECONDS:g} s: answers, failures",
                f"{sum(polled.values())}, {failed} ({dict(polled)})",
                "0 failures",
                failed == 0,
            )
        table.add(
            f"[{variant}] peak memory of the largest web process "
            f"(gunicorn, {load.GUNICORN_WORKERS} workers)",
            f"{peak:.0f} MiB",
        )


def _report_load(table: Table, variant: str, figures: dict[str, load.LoadFigures]) -> None:
    base = figures["trivial view"]
    table.add(
        f"[{variant}] trivial view: requests/s, p50, p99",
        f"{base.requests_per_second:.0f}/s, {base.p50_ms:.1f} ms, {base.p99_ms:.1f} ms",
    )
    for name, goal in (
        ("status fragment", FRAGMENT_RATIO_GOAL),
        ("Service Overview page", PAGE_RATIO_GOAL),
    ):
        got = figures[name]
        slower = base.requests_per_second / got.requests_per_second
        table.add(
            f"[{variant}] {name}: requests/s, p50, p99",
            f"{got.requests_per_second:.0f}/s, {got.p50_ms:.1f} ms, {got.p99_ms:.1f} ms",
        )
        table.add(
            f"[{variant}] {name} / trivial: time per request, p50, p99",
            f"{slower:.2f}x, {got.p50_ms / base.p50_ms:.2f}x, {got.p99_ms / base.p99_ms:.2f}x",
            f"<= {goal}x",
            slower <= goal,
        )
    errors = sum(f.errors for f in figures.values())
    table.add(
        f"[{variant}] load runs: requests, errors",
        f"{sum(f.requests for f in figures.values())}, {errors}",
        "0 errors",
        errors == 0,
    )


def aws_side(table: Table) -> None:
    server = fake_aws.start()
    try:
        for n in SWEEP_SIZES:
            figures = sweep_calls.measure(n)
            per_link = figures.reads / n
            table.add(
                f"AWS calls of one sweep, N={n} converged PrivateLinks: mutating",
                str(figures.mutating),
                "0",
                figures.mutating == 0,
            )
            table.add(
                f"AWS calls of one sweep, N={n}: describe calls (per PrivateLink)",
                f"{figures.reads} ({per_link:.2f}); drifted {figures.drifted}",
                f"<= {SWEEP_READS_PER_PRIVATELINK_GOAL} per PrivateLink at N=1000"
                if n == 1000
                else "",
                per_link <= SWEEP_READS_PER_PRIVATELINK_GOAL if n == 1000 else None,
            )
            if n == max(SWEEP_SIZES):
                calls = ", ".join(f"{k} {v}" for k, v in sorted(figures.by_operation.items()))
                table.add(f"sweep calls by operation, N={n}", calls)
        account_pool.report(table)
        fake_aws.reset()
        worker = worker_times.start_worker()
        try:
            to_active, to_healthy = worker_times.create_and_enable()
            table.add("create -> active through the worker (zero delays)", f"{to_active:.1f} s")
            table.add(
                "enable schema_registry -> listener healthy (zero delays)", f"{to_healthy:.1f} s"
            )
            burst = worker_times.burst(
                BURST, BURST_NLB_DELAY, BURST_GOAL_SECONDS, BURST_TIMEOUT_SECONDS
            )
            table.add(
                f"{burst.count} created at once, NLB provisioning {burst.nlb_delay:g} s, one "
                f"worker of concurrency {worker_times.CONCURRENCY}: active after "
                f"{BURST_GOAL_SECONDS:g} s; all active after",
                f"{burst.active_at_goal} of {burst.count}; "
                + (
                    f"{burst.seconds:.0f} s"
                    if burst.active == burst.count
                    else f"{burst.active} after {burst.seconds:.0f} s"
                ),
                f"all within {BURST_GOAL_SECONDS:g} s",
                burst.active_at_goal == burst.count,
            )
            peak = processes.peak_memory_mib(worker.pid)
            table.add(
                f"peak memory of the largest worker process (concurrency "
                f"{worker_times.CONCURRENCY})",
                f"{peak:.0f} MiB",
            )
        finally:
            processes.stop(worker)
    finally:
        processes.stop(server)


def main() -> int:
    started = time.monotonic()
    described = machine.describe()
    print("Benchmark on", ", ".join(f"{k}: {v}" for k, v in described.items()), flush=True)
    environment.recreate_database()
    call_command("migrate", verbosity=0)
    table = Table()
    query_counts(table)
    web_load(table)
    aws_side(table)
    described["load average at end"] = environment.load_average()
    described["duration"] = f"{time.monotonic() - started:.0f} s"
    table.save(environment.VAR / "results.json", described)
    print()
    print("Machine: " + "; ".join(f"{k}: {v}" for k, v in described.items()))
    print(table.markdown())
    return 0 if all(row.holds is not False for row in table.rows) else 1


if __name__ == "__main__":
    sys.exit(main())
