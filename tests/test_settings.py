"""Settings come from the environment: malformed values stop start-up naming the variable,
and the production settings pass Django's deployment checks without a warning."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent


def manage(tmp_path: Path, *args: str, **environ: str) -> subprocess.CompletedProcess[str]:
    """Run manage.py with the production settings module and only the given variables."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            (
                "DJANGO_",
                "TESTING",
                "DEBUG",
                "SECRET_KEY",
                "PRIVATELINK_",
                "DATABASE_URL",
                "CELERY_",
                "CREDENTIALS_",
            )
        )
    }
    env.update(DJANGO_SETTINGS_MODULE="console.settings", VAR_DIR=str(tmp_path), **environ)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "postgres//missing-colon"),
        ("DEBUG", "maybe"),
        ("PRIVATELINK_MAX_CONNECTIONS", "abc"),
        ("SECURE_HSTS_SECONDS", "a year"),
        ("CSRF_TRUSTED_ORIGINS", "console.example.com"),
        ("AWS_PLATFORM_ACCOUNTS", "eu-west-1=arn:aws:iam::111111111111:role/pl"),
        ("AWS_PLATFORM_ACCOUNTS", "aws-eu-west-1=arn:aws:iam::1111:role/pl"),
        ("AWS_PLATFORM_ACCOUNTS", "aws-eu-west-1="),
        ("CACHE_URL", "nocache://127.0.0.1"),
        ("PRIVATELINK_LEAK_SCAN_SWEEPS", "0"),
        ("LOGIN_LOCKOUT_MINUTES", "0"),
        ("LOGIN_LOCKOUT_MAX_MINUTES", "2000"),
        ("EMAIL_PORT", "smtp"),
        ("PRIVATELINK_MAX_PER_PROJECT_REGION", "ten"),
        ("PRIVATELINK_MAX_PER_PROJECT_REGION", "0"),
        ("PLATFORM_DOMAIN", "example_test"),
        ("PRIVATELINK_DOMAIN", "x" * 64 + ".example.com"),
    ],
)
def test_malformed_variable_stops_start_up_naming_it(tmp_path, variable, value):
    result = manage(tmp_path, "check", **{"DEBUG": "true", variable: value})

    assert result.returncode != 0
    assert f"Environment variable {variable}" in result.stderr
    assert "System check identified" not in result.stdout


def test_secret_key_is_required_when_debug_is_off(tmp_path):
    result = manage(tmp_path, "check", DEBUG="false")

    assert result.returncode != 0
    assert "Environment variable SECRET_KEY is required when DEBUG is off" in result.stderr


PRODUCTION_KEY = "hX4D5rJ0qmO6v2XU3Gq8b7o1kQm9n2TtQWZs3mY8p0A="


def test_a_production_start_without_a_credentials_key_is_refused(tmp_path):
    result = manage(
        tmp_path,
        "check",
        DEBUG="false",
        SECRET_KEY="k" * 20 + "-production-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    )

    assert result.returncode != 0
    assert "CREDENTIALS_ENCRYPTION_KEYS is required when DEBUG is off" in result.stderr


def test_a_malformed_credentials_key_is_refused(tmp_path):
    result = manage(tmp_path, "check", DEBUG="true", CREDENTIALS_ENCRYPTION_KEYS="not-a-key")

    assert result.returncode != 0
    assert "CREDENTIALS_ENCRYPTION_KEYS is malformed" in result.stderr


def test_zero_connections_allowed_is_refused(tmp_path):
    result = manage(tmp_path, "check", DEBUG="true", PRIVATELINK_MAX_CONNECTIONS="0")

    assert result.returncode != 0
    assert "PRIVATELINK_MAX_CONNECTIONS must be >= 1" in result.stderr


def test_production_settings_pass_deploy_checks_without_a_warning(tmp_path):
    result = manage(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="k" * 20 + "-production-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="console.example.com",
        CREDENTIALS_ENCRYPTION_KEYS=PRODUCTION_KEY,
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_default_database_is_sqlite_under_var_dir(tmp_path):
    result = manage(
        tmp_path,
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['NAME'])",
        DEBUG="true",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == str(tmp_path / "console.sqlite3")
    assert (tmp_path / "broker").is_dir()  # the filesystem broker's queue folder


def test_manage_py_reads_the_local_file_and_the_environment_wins_over_it(tmp_path):
    local = tmp_path / ".env"
    local.write_text("DEBUG=true\nPRIVATELINK_MAX_CONNECTIONS=2\n")

    assert manage(tmp_path, "check", ENV_FILE=str(local)).returncode == 0
    # DEBUG off in the environment beats the file: a production start needs its own key.
    refused = manage(tmp_path, "check", ENV_FILE=str(local), DEBUG="false")
    assert refused.returncode != 0
    assert "SECRET_KEY is required" in refused.stderr


def test_without_a_local_file_a_start_without_secret_key_is_refused(tmp_path):
    result = manage(tmp_path, "check", ENV_FILE=str(tmp_path / "missing.env"))

    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_a_given_credentials_key_encrypts_and_development_keeps_reading_the_default(tmp_path):
    result = manage(
        tmp_path,
        "shell",
        "-c",
        "from django.conf import settings; print(len(settings.CREDENTIALS_ENCRYPTION_KEYS), "
        "settings.CREDENTIALS_ENCRYPTION_KEYS[0])",
        DEBUG="true",
        CREDENTIALS_ENCRYPTION_KEYS=PRODUCTION_KEY,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == f"2 {PRODUCTION_KEY}"


BEAT_SCHEDULE = (
    "import json; from django.conf import settings; print(json.dumps(sorted("
    "(e['args'][0], e['options']['queue']) for e in settings.CELERY_BEAT_SCHEDULE.values())))"
)


@pytest.mark.parametrize(
    ("environment", "swept"),
    [
        ({}, ["aws"]),
        ({"AZURE_SUBSCRIPTION_ID": "00000000-0000-0000-0000-000000000001"}, ["aws", "azure"]),
        ({"GOOGLE_PROJECT": "platform-project"}, ["aws", "google"]),
    ],
)
def test_beat_sweeps_each_configured_cloud_on_that_clouds_queue(tmp_path, environment, swept):
    unset = {"AZURE_SUBSCRIPTION_ID": "", "GOOGLE_PROJECT": ""}
    result = manage(
        tmp_path, "shell", "-c", BEAT_SCHEDULE, DEBUG="true", **{**unset, **environment}
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == [[p, f"celery.{p}"] for p in swept]
