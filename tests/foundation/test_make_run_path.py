"""``make run``'s own path, on its own default database: SQLite.

The suite otherwise runs on PostgreSQL, so a PostgreSQL-only migration or a demo loader
that breaks on SQLite would pass unnoticed while the README's first command fails for
every new user. These tests run the real commands in subprocesses on a fresh SQLite file.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def _sqlite_env(tmp_path: Path, **extra) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        DJANGO_DEBUG="1",
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        **extra,
    )
    return env


def _manage(env, *args, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _logged_in(base: str, username: str, password: str) -> urllib.request.OpenerDirector:
    """An opener with a session of ``username``, logged in through the login form."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    with opener.open(f"{base}/login/", timeout=10) as response:  # noqa: S310 - loopback only
        form = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": password}
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - loopback only
        f"{base}/login/", data=data, headers={"Referer": base}
    )
    with opener.open(request, timeout=30) as response:  # noqa: S310 - loopback only
        assert "/login/" not in response.url, "the demo coordinator could not log in"
    return opener


def test_every_migration_runs_forwards_on_sqlite_and_none_is_missing(tmp_path):
    env = _sqlite_env(tmp_path)
    migrate = _manage(env, "migrate", "--noinput")
    assert migrate.returncode == 0, migrate.stdout + migrate.stderr
    pending = _manage(env, "migrate", "--check")
    assert pending.returncode == 0, pending.stdout + pending.stderr
    missing = _manage(env, "makemigrations", "--check", "--dry-run")
    assert missing.returncode == 0, "models changed without a migration:\n" + missing.stdout


def test_make_run_migrates_loads_the_demo_and_serves_on_a_fresh_sqlite_file(tmp_path):
    port = _free_port()
    # As a developer runs it: PDF jobs wait for the background worker make run starts.
    env = _sqlite_env(tmp_path, PORT=str(port), SAMVERKAN_TASKS_BACKEND="database")
    log = (tmp_path / "make-run.log").open("w")
    server = subprocess.Popen(
        ["make", "run"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        status = None
        while time.monotonic() < deadline:
            if server.poll() is not None:
                break
            try:
                status, body = _get(f"{base}/healthz")
            except OSError:
                time.sleep(0.5)
                continue
            if status == 200:
                break
        output = (tmp_path / "make-run.log").read_text()
        assert status == 200, f"make run never answered /healthz:\n{output[-3000:]}"
        assert body == "ok"
        assert "Demo data loaded" in output

        status, login = _get(f"{base}/login/")
        assert status == 200
        assert "Logga in" in login  # Swedish first
        status, start = _get(f"{base}/")
        assert status == 200 and "Logga in" in start  # the start page asks for a login
        # The demo coordinator's daily pages, twice: the second answer comes from the
        # fragment cache, keyed on version queries that must work on SQLite too.
        session = _logged_in(base, "samordnare", "demo")
        pages = {
            reverse("actionplans:current-plan"): 'id="plan-table"',
            reverse("actionplans:activity-list"): "<tbody",
        }
        for _ in range(2):
            for path, mark in pages.items():
                with session.open(base + path, timeout=30) as response:  # noqa: S310 - loopback
                    page = response.read().decode()
                    assert response.status == 200, path
                assert mark in page and "Eskilstuna" in page, path
        worker = subprocess.run(
            ["pgrep", "-g", str(server.pid), "-f", "db_worker"], capture_output=True, text=True
        )
        assert worker.stdout.strip(), f"make run started no PDF worker:\n{output[-3000:]}"
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        log.close()


def test_load_demo_on_sqlite_signs_through_the_service_and_is_idempotent(tmp_path):
    env = _sqlite_env(tmp_path)
    assert _manage(env, "migrate", "--noinput").returncode == 0
    for _ in range(2):
        result = _manage(env, "load_demo")
        assert result.returncode == 0, result.stdout + result.stderr
    check = _manage(
        env,
        "shell",
        "-c",
        "from agreements.models import Agreement\n"
        "for a in Agreement.objects.filter(status='signed').order_by('title'):\n"
        "    s = list(a.signatories.all())\n"
        "    print(a.title[:40], len(s), all(x.signed_on for x in s), bool(a.signed_pdf_sha256))",
    )
    assert check.returncode == 0, check.stderr
    lines = [line for line in check.stdout.splitlines() if "Samverkans" in line]
    assert len(lines) == 3, check.stdout
    for line in lines:
        # Each signed demo agreement has two dated signatories and a stored signed PDF.
        assert line.endswith(" 2 True True"), line
