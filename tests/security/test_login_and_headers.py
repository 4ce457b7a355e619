"""Login throttling, sessions, cookies and the security headers every page carries.

``check --deploy`` in production settings is tested in ``tests/foundation/test_settings.py``.
"""

from __future__ import annotations

import datetime
import re

import pytest
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ..foundation.test_settings import PRODUCTION, run_manage


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    axes_reset()
    yield settings
    axes_reset()


def _fail(client, username="samordnare-a", password="fel"):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_repeated_failed_logins_lock_the_account_with_a_swedish_message(
    client, coordinator, axes_on
):
    limit = axes_on.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert _fail(client).status_code == 200
    locked = _fail(client)
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "För många misslyckade inloggningar" in html
    assert "Kontot är spärrat en stund" in html
    # Even the right password is refused while locked, and no session is made.
    right = client.post(reverse("login"), {"username": "samordnare-a", "password": "demo"})
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.filter(username="samordnare-a").exists()


def test_the_lock_is_per_user_and_lifted_by_a_reset(client, coordinator, police, axes_on):
    for _ in range(axes_on.AXES_FAILURE_LIMIT):
        _fail(client)
    # Another user from the same address may still log in.
    other = client.post(reverse("login"), {"username": "kommunpolis-a", "password": "demo"})
    assert other.status_code == 302
    client.post(reverse("logout"))
    axes_reset(username="samordnare-a")
    ok = client.post(reverse("login"), {"username": "samordnare-a", "password": "demo"})
    assert ok.status_code == 302


def _fail_via_proxy(client, client_ip, username="samordnare-a", password="fel"):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR=client_ip,
    )


def test_behind_a_trusted_proxy_a_lockout_holds_only_for_the_attackers_address(
    coordinator, axes_on
):
    """Behind the proxy every request comes from 10.0.0.1; someone guessing a coordinator's
    password from one address must not lock the coordinator out everywhere."""
    axes_on.SAMVERKAN_TRUSTED_PROXIES = ["10.0.0.1"]
    attacker, colleague = Client(), Client()
    for _ in range(axes_on.AXES_FAILURE_LIMIT):
        _fail_via_proxy(attacker, "203.0.113.5")
    assert _fail_via_proxy(attacker, "203.0.113.5", password="demo").status_code == 429
    # The coordinator herself, from her own address through the same proxy, gets in.
    assert _fail_via_proxy(colleague, "198.51.100.7", password="demo").status_code == 302


def test_without_trusted_proxies_a_forged_forwarded_for_header_changes_nothing(
    coordinator, axes_on
):
    """X-Forwarded-For is anyone's to write: unless the request comes from a trusted proxy
    it is ignored, so rotating it does not dodge the lockout."""
    axes_on.SAMVERKAN_TRUSTED_PROXIES = []
    client = Client()
    for n in range(axes_on.AXES_FAILURE_LIMIT):
        _fail_via_proxy(client, f"203.0.113.{n}")
    assert _fail_via_proxy(client, "198.51.100.7", password="demo").status_code == 429


def test_a_successful_login_clears_earlier_failures(client, coordinator, axes_on):
    for _ in range(axes_on.AXES_FAILURE_LIMIT - 1):
        _fail(client)
    assert (
        client.post(reverse("login"), {"username": "samordnare-a", "password": "demo"}).status_code
        == 302
    )
    client.post(reverse("logout"))
    for _ in range(axes_on.AXES_FAILURE_LIMIT - 1):
        assert _fail(client).status_code == 200


def test_the_session_ends_with_the_browser_and_after_eight_hours(client, coordinator, settings):
    response = client.post(reverse("login"), {"username": "samordnare-a", "password": "demo"})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == ""  # a browser-session cookie
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    session = Session.objects.get()
    lifetime = session.expire_date - timezone.now()
    assert datetime.timedelta(hours=7, minutes=59) < lifetime <= datetime.timedelta(hours=8)

    assert client.get(reverse("dashboard:home")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    expired = client.get(reverse("dashboard:home"))
    assert expired.status_code == 302
    assert expired["Location"].startswith(reverse("login"))


def test_production_cookies_are_secure_and_http_is_redirected():
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SESSION_COOKIE_SAMESITE, s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_EXPIRE_AT_BROWSER_CLOSE)"
    )
    result = run_manage("shell", "-v", "0", "-c", code, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "True True True Lax True ('HTTP_X_FORWARDED_PROTO', 'https') True True"
    )


def _csp(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.mark.parametrize("url_name", ["login", "dashboard:home", "public:agreement-list"])
def test_pages_carry_the_security_headers(coordinator_client, url_name):
    response = coordinator_client.get(reverse(url_name), follow=True)
    assert response.status_code == 200
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    csp = _csp(response)
    scripts = csp.get("script-src", csp.get("default-src"))
    assert scripts == ["'self'"]
    assert "'unsafe-inline'" not in csp["style-src"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    policy = response.headers["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<[^>]+\sstyle\s*=", re.I)


def inline_code(html: str) -> list[str]:
    """Inline scripts, event handlers and style attributes — all forbidden by the CSP."""
    found = []
    for name, pattern in (
        ("inline <script>", INLINE_SCRIPT),
        ("on…= handler", INLINE_HANDLER),
        ("style= attribute", INLINE_STYLE),
    ):
        found += [f"{name}: {m.group(0)[:80]}" for m in pattern.finditer(html)]
    return found


def test_the_login_page_has_no_inline_code(client, db):
    assert inline_code(client.get(reverse("login")).content.decode()) == []


def test_a_post_without_the_csrf_token_is_refused(coordinator):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "samordnare-a", "password": "demo"})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
