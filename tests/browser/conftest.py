"""Real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright against live_server.

No browser is downloaded: Playwright launches the system Chromium. On failure the
test's screenshot and HTML are saved under test-artifacts/ and their paths printed.
Run only these tests with ``scripts/test.sh tests/browser``; watch them with
``HEADED=1 scripts/test.sh tests/browser`` on a machine with a display.
"""

from __future__ import annotations

import io
import os
import re
import shutil
from pathlib import Path
from urllib.parse import urljoin

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connections
from playwright.sync_api import Page, sync_playwright
from pypdf import PdfReader

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

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    """Everything in this folder is marked ``browser`` (``-m "not browser"`` skips it)."""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


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
        # Between its calls Playwright's sync API marks an asyncio loop as running in this
        # thread, and Django (asgiref) then keeps the thread's database connections in a
        # context-local store apart from the thread-local one: a test after the first
        # browser test opens a second connection. Close it while Playwright still runs,
        # or it outlives the end of the run and the test database cannot be dropped
        # ("test_samverkan is being accessed by other users").
        connections.close_all()


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
        # Every tab of every context, including tabs a journey opened itself.
        _save_artifacts(request, [tab for page in pages for tab in page.context.pages])
    for page in pages:
        page.context.close()


@pytest.fixture
def page(new_page) -> Page:
    return new_page()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Signed PDFs and uploads of a journey go to a throwaway media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session", autouse=True)
def _stop_pdf_workers():
    yield
    from core.pdf import shutdown_workers

    shutdown_workers()


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
    import time

    t = time.monotonic()
    result = _AXE.run(page)
    print("AXE", context, round(time.monotonic() - t, 2))
    serious = [
        v for v in result.response["violations"] if v.get("impact") in ("serious", "critical")
    ]
    if serious:
        lines = [f"axe: {len(serious)} serious/critical violation(s) on {page.url} {context}"]
        for v in serious:
            targets = [", ".join(n["target"]) for n in v["nodes"][:5]]
            lines.append(f"- {v['id']} ({v['impact']}): {v['help']} → {targets}")
        raise AssertionError("\n".join(lines))


# ---------------------------------------------------------------------------
# Helpers for the journeys
# ---------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    """The text of a PDF read with pypdf, without whitespace (line breaks fall anywhere)."""
    reader = PdfReader(io.BytesIO(data))
    return "".join("".join((p.extract_text() or "").split()) for p in reader.pages)


def squeeze(text: str) -> str:
    """``text`` without whitespace, to look it up in :func:`pdf_text`."""
    return "".join(text.split())


def download_pdf(page: Page, link) -> tuple[bytes, str]:
    """Click ``link`` to a PDF; return the bytes the server sent and the file name.

    Chromium opens an inline PDF in its own viewer, whose page is not the document,
    so the browser's request is routed through here to keep a copy of the answer
    (checked to be a PDF by type and by its first bytes) before it is shown.
    """
    url = urljoin(page.url, link.get_attribute("href"))
    sent: dict = {}

    def keep_copy(route):
        response = route.fetch()
        sent.update(status=response.status, headers=response.headers, body=response.body())
        route.fulfill(response=response)

    page.route(url, keep_copy)
    try:
        with page.expect_response(url):
            link.click()
    finally:
        page.unroute(url, keep_copy)
    assert sent["status"] == 200, f"{url} answered {sent['status']}"
    assert sent["headers"]["content-type"].startswith("application/pdf"), sent["headers"]
    data = sent["body"]
    assert data.startswith(b"%PDF-"), f"not a PDF: {data[:40]!r}"
    match = re.search(r'filename="([^"]+)"', sent["headers"].get("content-disposition", ""))
    return data, match.group(1) if match else ""


_FOCUS_VISIBLE = """(el) => {
    if (!el || el === document.body) return false;
    // A native date field's parts and picker button draw the browser's own ring.
    if (el.type === "date") return true;
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0;
    const shadow = s.boxShadow && s.boxShadow !== "none";
    return Boolean(outline || shadow);
}"""

_FOCUS_STATE = f"""(target) => {{
    const el = document.activeElement;
    return [el === target, el === document.body, ({_FOCUS_VISIBLE})(el)];
}}"""


def focus_is_visible(page: Page) -> bool:
    """Whether the focused element shows a focus indicator (outline or box-shadow)."""
    return page.evaluate(f"() => ({_FOCUS_VISIBLE})(document.activeElement)")


def _describe_focus(page: Page) -> str:
    return page.evaluate("() => document.activeElement.outerHTML.slice(0, 160)")


def tab_to(page: Page, target, *, limit: int = 300) -> None:
    """Press Tab (only Tab) until ``target`` has focus; fail after ``limit`` presses.

    Every element passed on the way must show a visible focus indicator (WCAG 2.4.7).
    """
    target.wait_for()
    handle = target.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        # One round trip per press: is it the target, is it the body, is focus visible?
        reached, at_body, visible = handle.evaluate(_FOCUS_STATE)
        if not at_body and not visible:  # the body: Tab wrapped past the page's end
            raise AssertionError(f"focus not visible on {_describe_focus(page)}")
        if reached:
            return
    raise AssertionError(f"{target} not reachable with Tab within {limit} presses")


def _probe_date_order(page: Page) -> tuple[str, ...]:
    """The order in which this Chromium's date fields take year, month and day."""
    probe = page.context.new_page()
    try:
        probe.set_content('<input type="date" id="d">')
        for order in (("m", "d", "y"), ("y", "m", "d"), ("d", "m", "y")):
            probe.locator("#d").fill("")
            probe.locator("#d").focus()
            parts = {"y": "2031", "m": "01", "d": "28"}
            probe.keyboard.type("".join(parts[p] for p in order))
            if probe.locator("#d").input_value() == "2031-01-28":
                return order
    finally:
        probe.close()
    raise AssertionError("could not work out how this browser's date fields are typed")


class Mouse:
    """The user clicks and types (the ordinary way)."""

    keyboard_only = False

    def __init__(self, page: Page):
        self.page = page

    def click(self, target) -> None:
        target.click()

    def fill(self, target, text: str) -> None:
        target.fill(text)

    def select(self, target, label: str) -> None:
        target.select_option(label=label)

    def check_page(self, context: str) -> None:
        """axe on the page the journey is on."""
        assert_accessible(self.page, context=context)


class Keyboard(Mouse):
    """The same user with the keyboard alone: Tab to move, Enter to act, typing to write.

    Focus starts from wherever it is (after a page load, the top of the page), so every
    control a journey needs must be reachable in Tab order, with visible focus.
    """

    keyboard_only = True
    _date_order: tuple[str, ...] | None = None

    def __init__(self, page: Page):
        super().__init__(page)
        if Keyboard._date_order is None:
            Keyboard._date_order = _probe_date_order(page)

    def check_page(self, context: str) -> None:
        """The mouse run of the same journey has axe check these very pages already."""

    def click(self, target) -> None:
        tab_to(self.page, target)
        self.page.keyboard.press("Enter")

    def fill(self, target, text: str) -> None:
        tab_to(self.page, target)
        self.page.keyboard.press("Control+A")
        self.page.keyboard.press("Delete")
        if target.evaluate("el => el.type") == "date":
            # A native date field takes its parts typed in the browser's display order.
            parts = dict(zip("ymd", text.split("-"), strict=True))
            self.page.keyboard.type("".join(parts[p] for p in self._date_order))
        else:
            self.page.keyboard.type(text)
        assert target.input_value() == text, f"typed {text!r}, field has {target.input_value()!r}"

    def select(self, target, label: str) -> None:
        tab_to(self.page, target)
        labels = [o.strip() for o in target.locator("option").all_inner_texts()]
        wanted = labels.index(label)
        for _ in range(len(labels)):
            current = target.evaluate("el => el.selectedIndex")
            if current == wanted:
                break
            self.page.keyboard.press("ArrowDown" if current < wanted else "ArrowUp")
        assert target.evaluate("el => el.selectedIndex") == wanted, f"could not select {label}"


def field(scope, label: str):
    """The form control labelled exactly ``label`` (a required field's "*" ignored)."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))
