"""The environment every benchmark process runs in: its own PostgreSQL database and Redis
database, production settings (DEBUG off) with the bench URLconf."""

import os
import subprocess
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DATABASE = os.environ.get("BENCH_DATABASE", "bench")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/15")


def variables() -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": f"{POSTGRES}/{DATABASE}",
        "CELERY_BROKER_URL": REDIS,
        # Sessions read from Redis, as in production (CACHE_URL).
        "CACHE_URL": REDIS,
        "SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        # Service passwords are stored encrypted; a key for the bench's own database only.
        "CREDENTIALS_ENCRYPTION_KEYS": "bg0PUPReq7absD76zSDUjehCmX40vnqCVh7jhRi7HZI=",
        "DEBUG": "false",
        "TESTING": "false",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "VAR_DIR": str(VAR),
        "LOG_LEVEL": "WARNING",
    }


def apply() -> None:
    """Set the variables in this process, before Django is set up."""
    VAR.mkdir(parents=True, exist_ok=True)
    os.environ.update(variables())


def recreate_database() -> None:
    """Drop and create the benchmark's own database, next to the `test` one."""
    with psycopg.connect(f"{POSTGRES}/test", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{DATABASE}"')


def flush_broker() -> None:
    host_port, _, db = REDIS.removeprefix("redis://").partition("/")
    host, _, port = host_port.partition(":")
    subprocess.run(
        ["redis-cli", "-h", host, "-p", port or "6379", "-n", db or "0", "FLUSHDB"],
        check=True,
        capture_output=True,
    )


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])
