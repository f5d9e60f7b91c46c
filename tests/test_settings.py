"""Production settings, loaded the way a server loads them: in a fresh process with a clean environment."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "tobira.example.org"


@pytest.fixture
def production_env(tmp_path) -> dict[str, str]:
    """Only what a production server sets: no DEBUG, no test settings, nothing inherited from this run."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "TOBIRA_VAR_DIR": str(tmp_path / "var"),
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": HOST,
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.tobira.example.org",
    }


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def settings_of(env: dict[str, str], *names: str) -> dict[str, object]:
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    )
    result = run(["-c", code], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("variable", ["SECRET_KEY", "ALLOWED_HOSTS", "FIELD_ENCRYPTION_KEYS"])
@pytest.mark.parametrize("value", [None, "", "   "])
def test_production_refuses_to_start_without(production_env, variable, value):
    if value is None:
        del production_env[variable]
    else:
        production_env[variable] = value
    result = run(["manage.py", "check"], production_env)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "ImproperlyConfigured" in output
    assert f"The environment variable {variable} must be set" in output


def test_the_web_server_entry_point_refuses_to_start_without_a_secret_key(production_env):
    del production_env["SECRET_KEY"]
    result = run(["-c", "import config.wsgi"], production_env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_check_deploy_is_clean(production_env):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "DEBUG"], production_env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output
    assert "WARNING" not in output


def test_no_security_check_is_silenced(production_env):
    values = settings_of(production_env, "SILENCED_SYSTEM_CHECKS")
    assert values["SILENCED_SYSTEM_CHECKS"] == []


def test_a_short_secret_key_is_reported_by_check_deploy(production_env):
    """The check above is not clean by accident: a weak key is caught."""
    production_env["SECRET_KEY"] = "short"
    result = run(["manage.py", "check", "--deploy"], production_env)
    assert "security.W009" in result.stdout + result.stderr


def test_production_values(production_env):
    values = settings_of(
        production_env,
        "DEBUG",
        "ALLOWED_HOSTS",
        "PASSWORD_HASHERS",
        "REQUIRE_2FA",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "CONTENT_SECURITY_POLICY",
        "TIME_ZONE",
        "LANGUAGES",
    )
    assert values["DEBUG"] is False
    assert values["ALLOWED_HOSTS"] == [HOST]
    assert values["PASSWORD_HASHERS"][0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert values["REQUIRE_2FA"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 60 * 60 * 24 * 365
    directives = values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert values["TIME_ZONE"] == "Asia/Tokyo"
    assert [code for code, _name in values["LANGUAGES"]] == ["en", "ja"]


def test_require_2fa_can_be_turned_off_explicitly(production_env):
    production_env["REQUIRE_2FA"] = "false"
    assert settings_of(production_env, "REQUIRE_2FA")["REQUIRE_2FA"] is False


def test_a_misspelled_boolean_is_refused(production_env):
    production_env["REQUIRE_2FA"] = "ture"
    result = run(["manage.py", "check"], production_env)
    assert result.returncode != 0
    assert "REQUIRE_2FA must be true or false" in result.stderr


def test_several_allowed_hosts(production_env):
    production_env["ALLOWED_HOSTS"] = f"{HOST}, www.{HOST} ,"
    assert settings_of(production_env, "ALLOWED_HOSTS")["ALLOWED_HOSTS"] == [HOST, f"www.{HOST}"]


def test_argon2_really_hashes_in_production(production_env):
    code = (
        "import django; django.setup(); from django.contrib.auth.hashers import make_password; "
        "print(make_password('correct-horse-battery'))"
    )
    result = run(["-c", code], production_env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith("argon2$argon2id$")


def test_database_and_redis_urls_switch_backends_with_timeouts(production_env):
    production_env["DATABASE_URL"] = "postgres://tobira:pw@db.internal:5432/tobira"
    production_env["REDIS_URL"] = "redis://cache.internal:6379/0"
    values = settings_of(production_env, "DATABASES", "CACHES", "CELERY_BROKER_URL")
    database = values["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["HOST"] == "db.internal"
    assert database["OPTIONS"]["connect_timeout"] <= 10
    # Short OLTP queries: JIT compilation cost seconds on large counts (issue 14).
    assert "-c jit=off" in database["OPTIONS"]["options"]
    cache = values["CACHES"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["OPTIONS"]["socket_connect_timeout"] <= 5
    assert values["CELERY_BROKER_URL"] == "redis://cache.internal:6379/0"


def test_embedded_default_needs_no_service(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "TOBIRA_VAR_DIR": str(tmp_path / "var"),
    }
    values = settings_of(env, "DATABASES", "CELERY_BROKER_URL", "REQUIRE_2FA")
    database = values["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == str(tmp_path / "var" / "tobira.sqlite3")
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]
    assert values["CELERY_BROKER_URL"] == "filesystem://"
    assert values["REQUIRE_2FA"] is False


# --- The benchmark's settings (bench/settings.py, docs/performance.md) ----------------------------------

FLOOR_URLS = ["/bench-floor/constant/", "/bench-floor/applicants/", "/bench-floor/attendance/"]
RESOLVE_FLOOR = (
    "import json, django; django.setup(); from django.conf import settings; "
    "from django.urls import Resolver404, resolve\n"
    "found = {}\n"
    f"for url in {FLOOR_URLS!r}:\n"
    "    try:\n"
    "        found[url] = resolve(url).view_name\n"
    "    except Resolver404:\n"
    "        found[url] = None\n"
    "print(json.dumps({'urlconf': settings.ROOT_URLCONF, 'found': found}))"
)


def test_the_bench_floor_is_unreachable_under_production_settings(production_env):
    result = run(["-c", RESOLVE_FLOOR], production_env)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["urlconf"] == "config.urls"
    assert answer["found"] == dict.fromkeys(FLOOR_URLS)


def test_the_bench_settings_serve_the_floor(production_env):
    """The test above is not passing by accident: the same URLs resolve under the bench settings."""
    production_env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    result = run(["-c", RESOLVE_FLOOR], production_env)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["urlconf"] == "bench.urls"
    assert all(answer["found"].values())


def test_the_bench_settings_are_production_plus_plain_http(production_env):
    names = [
        "DEBUG",
        "PASSWORD_HASHERS",
        "MIDDLEWARE",
        "CONTENT_SECURITY_POLICY",
        "STORAGES",
        "REST_FRAMEWORK",
        "SESSION_COOKIE_HTTPONLY",
        "REQUIRE_2FA",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_NAME",
        "CSRF_COOKIE_NAME",
    ]
    production = settings_of(production_env, *names)
    production_env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    bench = settings_of(production_env, *names)
    for same in names[:7]:
        assert bench[same] == production[same], same
    assert bench["DEBUG"] is False
    assert bench["REQUIRE_2FA"] is False
    assert bench["SECURE_SSL_REDIRECT"] is False
    assert bench["SESSION_COOKIE_SECURE"] is False and bench["CSRF_COOKIE_SECURE"] is False
    assert not bench["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert not bench["CSRF_COOKIE_NAME"].startswith("__Host-")


@pytest.mark.parametrize(
    ("backend", "host", "says"),
    [
        (None, None, "The environment variable EMAIL_BACKEND must be set"),
        ("django.core.mail.backends.console.EmailBackend", None, "writes every e-mail"),
        ("django.core.mail.backends.locmem.EmailBackend", None, "writes every e-mail"),
        (
            "django.core.mail.backends.smtp.EmailBackend",
            None,
            "The environment variable EMAIL_HOST must be set",
        ),
    ],
)
def test_production_refuses_to_start_without_a_real_email_configuration(production_env, backend, host, says):
    # Issue 19: with no EMAIL_BACKEND, the console backend wrote every e-mail — password-reset links
    # included — to the server log, and anyone who read the log could take over any account.
    for name, value in (("EMAIL_BACKEND", backend), ("EMAIL_HOST", host)):
        if value is None:
            production_env.pop(name, None)
        else:
            production_env[name] = value
    result = run(["manage.py", "check"], production_env)
    assert result.returncode != 0
    assert says in result.stdout + result.stderr


def test_production_without_redis_can_queue_a_task_on_a_fresh_machine(production_env, tmp_path):
    """Without REDIS_URL the broker is the filesystem one under TOBIRA_VAR_DIR (README). Only the local
    settings created its folders: on a fresh production machine (and in `make bench ONLY=evening`),
    every task queued from a page failed with FileNotFoundError until someone made them by hand."""
    code = (
        "import django; django.setup(); from config.celery import app; "
        "app.send_task('casework.tasks.send_outbox'); print('queued')"
    )
    result = run(["-c", code], production_env)
    assert result.returncode == 0 and result.stdout.strip().endswith("queued"), result.stderr[-2000:]
    assert len(list((tmp_path / "var" / "broker" / "queue").iterdir())) == 1
