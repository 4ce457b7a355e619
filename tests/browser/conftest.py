"""Real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright against live_server.

No browser is downloaded: Playwright launches the system Chromium. On failure the
test's screenshot and HTML are saved under test-artifacts/ and their paths printed.
Run only these tests with ``scripts/test.sh tests/browser``; watch them with
``HEADED=1 scripts/test.sh tests/browser`` on a machine with a display.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, sync_playwright

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=not os.environ.get("HEADED"),
            args=CHROMIUM_ARGS,
        )
        yield browser
        browser.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def _new_page(browser, live_server) -> Page:
    context = browser.new_context(
        base_url=live_server.url, locale="sv-SE", timezone_id="Europe/Stockholm"
    )
    context.set_default_timeout(15_000)
    return context.new_page()


def _save_artifacts(request, pages):
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-120:]
    for i, page in enumerate(pages):
        try:
            shot = ARTIFACTS / f"{name}-{i}.png"
            html = ARTIFACTS / f"{name}-{i}.html"
            page.screenshot(path=str(shot), full_page=True)
            html.write_text(page.content(), encoding="utf-8")
            print(f"\n[browser artifacts] {shot}\n[browser artifacts] {html}  (url: {page.url})")
        except Exception as exc:  # the page may be gone; report, don't mask the failure
            print(f"\n[browser artifacts] could not save page {i}: {exc}")


@pytest.fixture
def new_page(request, browser, live_server, transactional_db):
    """A factory of fresh pages, each in its own browser context (its own session)."""
    pages: list[Page] = []

    def make() -> Page:
        page = _new_page(browser, live_server)
        pages.append(page)
        return page

    yield make
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        _save_artifacts(request, pages)
    for page in pages:
        page.context.close()


@pytest.fixture
def page(new_page) -> Page:
    return new_page()


def login(page: Page, username: str, password: str = "demo") -> None:
    """Log in through the login form, as a person does."""
    page.goto("/login/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()
    assert "/login/" not in page.url, f"login failed for {username}"


_AXE = Axe()


def assert_accessible(page: Page, *, context: str = "") -> None:
    """axe-core on the current page: no violation of serious or critical impact."""
    result = _AXE.run(page)
    serious = [
        v for v in result.response["violations"] if v.get("impact") in ("serious", "critical")
    ]
    if serious:
        lines = [f"axe: {len(serious)} serious/critical violation(s) on {page.url} {context}"]
        for v in serious:
            targets = [", ".join(n["target"]) for n in v["nodes"][:5]]
            lines.append(f"- {v['id']} ({v['impact']}): {v['help']} → {targets}")
        raise AssertionError("\n".join(lines))
