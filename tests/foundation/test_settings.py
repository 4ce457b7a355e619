"""Settings come from the environment, and production settings pass Django's deploy check."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    full_env.pop("DATABASE_URL", None)
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "k" * 20 + "-production-secret-with-enough-entropy-1234567890abcdef",
    "DJANGO_ALLOWED_HOSTS": "samverkan.example.se",
}


def test_it_passes_the_deploy_check_in_production():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_refuses_to_start_without_a_secret_key_in_production():
    env = dict(PRODUCTION)
    env.pop("DJANGO_SECRET_KEY")
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_database_url_selects_the_database():
    code = (
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['ENGINE'], d['NAME'], d['HOST'], d['PORT'])"
    )
    result = run_manage(
        "shell",
        "-v",
        "0",
        "-c",
        code,
        DATABASE_URL="postgres://u:p@db.example.se:5433/samverkan_prod",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "samverkan_prod",
        "db.example.se",
        "5433",
    ]


def test_sqlite_file_is_the_default_database():
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    result = run_manage("shell", "-v", "0", "-c", code, DJANGO_DEBUG="1")
    assert result.stdout.strip() == "django.db.backends.sqlite3"


def test_allowed_hosts_and_secure_cookies_come_from_the_environment():
    code = (
        "from django.conf import settings; "
        "print(settings.ALLOWED_HOSTS, settings.SESSION_COOKIE_SECURE, "
        "settings.CSRF_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS > 0, settings.DEBUG)"
    )
    result = run_manage("shell", "-v", "0", "-c", code, **PRODUCTION)
    assert result.stdout.strip() == "['samverkan.example.se'] True True True False"


def test_swedish_is_the_default_language_and_stockholm_the_time_zone(settings):
    assert settings.LANGUAGE_CODE == "sv"
    assert settings.TIME_ZONE == "Europe/Stockholm"
    assert [code for code, _ in settings.LANGUAGES] == ["sv", "en"]


def test_migrations_are_complete():
    result = run_manage("makemigrations", "--check", "--dry-run", DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stdout + result.stderr


#: Every documented environment variable, a value unlike its default, and the setting
#: that must carry it.
DOCUMENTED = [
    (
        "DJANGO_CSRF_TRUSTED_ORIGINS",
        "https://a.example.se",
        "CSRF_TRUSTED_ORIGINS",
        "['https://a.example.se']",
    ),
    ("DJANGO_EMAIL_HOST", "smtp.example.se", "EMAIL_HOST", "smtp.example.se"),
    ("DJANGO_EMAIL_PORT", "2525", "EMAIL_PORT", "2525"),
    ("DJANGO_DEFAULT_FROM_EMAIL", "noreply@example.se", "DEFAULT_FROM_EMAIL", "noreply@example.se"),
    ("DJANGO_MEDIA_ROOT", "/srv/samverkan-media", "MEDIA_ROOT", "/srv/samverkan-media"),
    ("SAMVERKAN_BASE_URL", "https://s.example.se", "SAMVERKAN_BASE_URL", "https://s.example.se"),
    ("SAMVERKAN_ATTENDANCE_THRESHOLD", "0.5", "SAMVERKAN_ATTENDANCE_THRESHOLD", "0.5"),
    ("SAMVERKAN_PDF_WORKERS", "3", "SAMVERKAN_PDF_WORKERS", "3"),
    ("SAMVERKAN_PDF_TIMEOUT_SECONDS", "7", "SAMVERKAN_PDF_TIMEOUT_SECONDS", "7"),
    ("SAMVERKAN_MAX_UPLOAD_BYTES", "1234", "SAMVERKAN_MAX_UPLOAD_BYTES", "1234"),
    ("SAMVERKAN_INVITATION_DAYS", "3", "SAMVERKAN_INVITATION_DAYS", "3"),
    ("AXES_FAILURE_LIMIT", "9", "AXES_FAILURE_LIMIT", "9"),
    (
        "DJANGO_TRUSTED_PROXIES",
        "10.0.0.1, 10.0.0.2",
        "SAMVERKAN_TRUSTED_PROXIES",
        "['10.0.0.1', '10.0.0.2']",
    ),
]


def test_every_documented_environment_variable_reaches_its_setting():
    env = {**PRODUCTION, **{name: value for name, value, _setting, _shown in DOCUMENTED}}
    code = "from django.conf import settings; " + "; ".join(
        f"print(str(settings.{setting}))" for _n, _v, setting, _s in DOCUMENTED
    )
    result = run_manage("shell", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    printed = [line for line in result.stdout.splitlines() if line and "imported" not in line]
    assert printed == [shown for _n, _v, _s, shown in DOCUMENTED]
    readme = (ROOT / "README.md").read_text()
    for name, *_ in DOCUMENTED:
        assert f"`{name}`" in readme, f"{name} is read but not documented in the README"
