"""The production configuration, read as Docker would read it (Docker does not run here)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.db import OperationalError

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SETTINGS_VARS = {"DJANGO_SECRET_KEY", "DJANGO_DEBUG", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"}


def service(name: str) -> dict:
    return COMPOSE["services"][name]


def command_of(name: str) -> str:
    cmd = service(name)["command"]
    return " ".join(cmd) if isinstance(cmd, list) else cmd


def test_services_are_all_there() -> None:
    assert set(COMPOSE["services"]) >= {"postgres", "redis", "web", "worker", "beat"}


def test_postgres_and_redis_keep_their_data_and_report_health() -> None:
    for name, mount in [("postgres", "/var/lib/postgresql/data"), ("redis", "/data")]:
        volumes = service(name)["volumes"]
        named = [v.split(":")[0] for v in volumes if v.endswith(":" + mount)]
        assert named and named[0] in COMPOSE["volumes"], name
        assert service(name)["healthcheck"]["test"]
    assert "--appendonly" in service("redis")["command"]
    assert service("redis")["command"][service("redis")["command"].index("--appendonly") + 1] == "yes"


def test_web_migrates_then_serves_with_gunicorn() -> None:
    command = command_of("web")
    assert command.index("migrate") < command.index("gunicorn")
    assert "newsroom.wsgi:application" in command
    assert "/health/" in " ".join(service("web")["healthcheck"]["test"])


def test_worker_and_beat_run_this_celery_app() -> None:
    assert re.search(r"celery -A newsroom worker", command_of("worker"))
    assert re.search(r"celery -A newsroom beat", command_of("beat"))
    # Without -Q a worker consumes every queue of CELERY_TASK_QUEUES: extraction and beat's tasks.
    worker = command_of("worker")
    assert not re.search(r"(-Q|--queues)", worker) or "periodic" in worker


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_app_services_get_every_setting_and_wait_for_backends(name: str) -> None:
    env = service(name)["environment"]
    assert set(env) >= SETTINGS_VARS
    assert env["DJANGO_DEBUG"] == "0"
    assert env["DATABASE_URL"].startswith("postgres://") and "@postgres:5432/" in env["DATABASE_URL"]
    assert env["REDIS_URL"] == "redis://redis:6379/0"
    assert ":?" in env["DJANGO_SECRET_KEY"]  # compose refuses to start without a key
    assert service(name)["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert service(name)["depends_on"]["redis"]["condition"] == "service_healthy"


def test_dockerfile_installs_the_pinned_model_and_collects_static() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "--require-hashes -r requirements-model.txt" in dockerfile
    assert "collectstatic" in dockerfile


def _settings_process(env: dict[str, str], code: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_missing_secret_key_is_a_loud_error_for_the_web_process() -> None:
    proc = _settings_process({}, "import newsroom.wsgi")
    assert proc.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in proc.stderr


def test_debug_is_off_by_default_and_production_is_hardened() -> None:
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='newsroom.settings'; django.setup();"
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0)"
    )
    proc = _settings_process({"DJANGO_SECRET_KEY": "x" * 50}, code)
    assert proc.stdout.split() == ["False", "True", "True", "True"], proc.stderr


def test_check_deploy_is_clean_with_production_settings() -> None:
    env = {
        "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-" + "k" * 30,
        "DJANGO_ALLOWED_HOSTS": "desk.example.org",
        "DJANGO_STATIC_MANIFEST": "0",
    }
    proc = _settings_process(env, "import sys; from django.core.management import execute_from_command_line as m;"
                             "import os; os.environ['DJANGO_SETTINGS_MODULE']='newsroom.settings';"
                             "m(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])")  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.django_db
def test_health_answers_without_host_or_https(client) -> None:
    response = client.get("/health/", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_celery_is_configured_to_lose_nothing() -> None:
    """What the fault tests rely on, read from the app a worker loads (defaults, as production)."""
    from newsroom.celery import app
    from verification.tasks import extract_article

    conf = app.conf
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_soft_time_limit < conf.task_time_limit
    # Redis hands an unacknowledged message to another worker after the visibility timeout: below
    # the task time limit, a long extraction would run twice at once.
    assert conf.broker_transport_options["visibility_timeout"] >= 2 * conf.task_time_limit
    options: Any = extract_article  # autoretry_for and retry_backoff are set by shared_task, not typed
    assert OperationalError in options.autoretry_for and options.retry_backoff
