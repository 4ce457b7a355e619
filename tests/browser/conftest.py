"""Real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright against live_server.

No browser is downloaded: Playwright launches the system Chromium. On failure the
test's screenshot and HTML are saved under test-artifacts/ and their paths printed.
Run only these tests with ``scripts/test.sh tests/browser``; watch them with
``HEADED=1 scripts/test.sh tests/browser`` on a machine with a display.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connections
from playwright.sync_api import Error as PlaywrightError
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
    """A factory of fresh pages, each in its own browser context (its own session).

    Each page is watched (:class:`PageWatch`): axe checks every page it loads and every
    htmx swap before the journey acts again, and any console error fails the test.
    """
    watches: list[PageWatch] = []

    def make() -> Page:
        watch = PageWatch(_new_page(browser, live_server))
        watches.append(watch)
        return watch.proxy

    yield make
    call = getattr(request.node, "rep_call", None)
    failed = call is None or call.failed
    if failed:
        # Every tab of every context, including tabs a journey opened itself.
        _save_artifacts(request, [tab for w in watches for tab in w.page.context.pages])
    else:
        for watch in watches:
            watch.check()  # the page the journey ended on
    errors = "\n".join(e for w in watches for e in w.errors)
    if os.environ.get("AXE_LOG"):  # AXE_LOG=1: list what axe checked
        print("\n[axe checked]", *(c for w in watches for c in w.checked), sep="\n  ")
    for watch in watches:
        watch.page.context.close()
    if failed:
        print(f"\n[browser console errors]\n{errors}" if errors else "")
    else:
        assert not errors, f"console errors in the browser:\n{errors}"


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
_IS_HTML = "() => document.contentType === 'text/html'"
# The markup axe is to check, without what differs between two renderings of the same page
# (tokens and numbers: two runs of one journey differ in primary keys and versions only).
_SHAPE = r"""(scope) => (scope ? document.querySelector(scope) : document.documentElement)
    .outerHTML.replace(/name="csrfmiddlewaretoken" value="[^"]*"/g, "").replace(/\d+/g, "0")"""
_READY = r"""(scope) => document.readyState !== "loading"
    && (scope ? document.querySelector(scope) : document.documentElement) !== null"""
_CHECKED: set[str] = set()  # what axe has passed in this session (scope and markup)


def assert_accessible(page: Page, *, context: str = "", scope: str | None = None) -> None:
    """axe-core on the current page (or on ``scope``, a selector, within it): no violation
    of serious or critical impact.

    What axe has already passed in this session, in the same state (the same markup,
    numbers aside), is not checked again.
    """
    watch = PageWatch.of(page)
    page = getattr(page, "_page", page)
    if watch is not None and scope is None:
        watch.due.clear()  # the whole page is checked now
    # A click that navigates returns before the new document exists: wait for it (and for
    # the scope within it), or axe would check the old page or nothing at all.
    page.wait_for_load_state()
    page.wait_for_function(_READY, arg=scope)
    key = hashlib.sha256(f"{scope}:{page.evaluate(_SHAPE, scope)}".encode()).hexdigest()
    if key in _CHECKED:
        return
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_AXE.axe_script)  # once per document: htmx swaps keep it
    options = json.dumps({"resultTypes": ["violations"]})
    found = page.evaluate(f"axe.run({json.dumps(scope or 'html')}, {options})")
    serious = [v for v in found["violations"] if v.get("impact") in ("serious", "critical")]
    if serious:
        where = f"{page.url} {scope or ''} {context}"
        lines = [f"axe: {len(serious)} serious/critical violation(s) on {where}"]
        for v in serious:
            targets = [", ".join(n["target"]) for n in v["nodes"][:5]]
            lines.append(f"- {v['id']} ({v['impact']}): {v['help']} → {targets}")
        raise AssertionError("\n".join(lines))
    _CHECKED.add(key)
    if watch is not None:
        watch.checked.append(f"{page.url} {scope or ''}".strip())


# An htmx swap is announced to Python with the swapped element's id (the init script and
# the binding come through the browser's debugging protocol: the page's CSP does not apply).
_ON_SWAP = """document.addEventListener("htmx:afterSettle", (event) => {
    const id = event.detail.target && event.detail.target.id;
    window.__samverkanSwapped(id ? "#" + CSS.escape(id) : "");
});"""
_PAGE = ""  # in PageWatch.due: the whole page
_GONE = "(scopes) => scopes.some((scope) => !document.querySelector(scope))"


class PageWatch:
    """What a journey's page goes through: loads and htmx swaps for axe, console errors.

    Events only mark what is due for a check; the check runs on the journey's next use of
    the page (``proxy``), when the page has settled — never in an event handler, which
    would run axe while the journey already acts on the page. A load makes the whole
    page due, an htmx swap the element swapped.
    """

    def __init__(self, page: Page):
        self.page = page
        self.due: set[str] = set()
        self.checked: list[str] = []  # what axe checked, in order
        self.errors: list[str] = []
        # Pages the server refused (403, 404) and PDFs: their failed loads are not errors.
        self._refused: set[str] = set()
        page.on("response", self._response)
        page.on("load", lambda _page: self.due.add(_PAGE))
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"{page.url}: page error: {exc}"))
        page.expose_function("__samverkanSwapped", lambda scope: self.due.add(scope or _PAGE))
        page.add_init_script(_ON_SWAP)
        self.proxy = WatchedPage(page, self)

    @staticmethod
    def of(page) -> PageWatch | None:
        return page._watch if isinstance(page, WatchedPage) else None

    def _response(self, response) -> None:
        if response.request.resource_type != "document":
            return
        if response.status >= 400:
            self._refused.add(response.url.partition("#")[0])
        elif not response.headers.get("content-type", "").startswith("text/html"):
            # A PDF in the browser's own viewer, which asks for /favicon.ico (a 404).
            self._refused.add(response.url.partition("#")[0])

    def _console(self, message) -> None:
        # Content-Security-Policy violations are reported as console errors too.
        if message.type != "error":
            return
        where = (message.location.get("url") or self.page.url).partition("#")[0]
        if message.text.startswith("Failed to load resource") and (
            where in self._refused
            or urlsplit(where).path == "/favicon.ico"
            or urlsplit(self.page.url).path.endswith("/pdf/")
        ):
            # A page's own status, which the journey checks, or Chromium's PDF viewer asking
            # for /favicon.ico: the console can report that before the PDF's response arrives.
            return
        self.errors.append(f"{self.page.url}: console error: {message.text}")

    def check(self) -> None:
        """axe on what loaded or swapped since the last check."""
        if not self.due or self.page.is_closed():
            return
        for attempt in range(2):
            due, self.due = self.due, set()
            try:
                if not self.page.evaluate(_IS_HTML):  # a PDF in the browser's viewer
                    return
                # What a person reads is the page once htmx has finished, not mid-request.
                self.page.wait_for_function(
                    "() => !document.querySelector('.htmx-request, .htmx-settling')", timeout=10_000
                )
                gone = self.page.evaluate(_GONE, sorted(due - {_PAGE}))
                if _PAGE in due or gone:  # a swapped element not in the page: all of it
                    assert_accessible(self.proxy, context="(on load)")
                    return
                for scope in sorted(due):
                    assert_accessible(self.proxy, context="(htmx swap)", scope=scope)
                return
            except PlaywrightError as exc:  # navigating away: check the page that comes
                if attempt or "context was destroyed" not in str(exc):
                    raise
                self.page.wait_for_load_state()
                self.due.add(_PAGE)


def reload_to_confirm(page) -> None:
    """Reload the page to see that a change was kept.

    axe has seen what the reloaded page shows: the swapped part after the swap, the rest
    when the page first loaded; the reload is not checked again.
    """
    page.reload()
    watch = PageWatch.of(page)
    if watch is not None:
        watch.due.discard(_PAGE)


class WatchedPage:
    """A Playwright page that has its :class:`PageWatch` check it before each use."""

    def __init__(self, page: Page, watch: PageWatch):
        object.__setattr__(self, "_page", page)
        object.__setattr__(self, "_watch", watch)

    def __getattr__(self, name):
        self._watch.check()
        return getattr(self._page, name)

    def __setattr__(self, name, value):
        setattr(self._page, name, value)


# ---------------------------------------------------------------------------
# Helpers for the journeys
# ---------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    """The text of a PDF read with pypdf, without whitespace (line breaks fall anywhere)
    and without the hyphens of words hyphenated at a line's end (WeasyPrint prints U+2010
    there; a hyphen in the text is U+002D and stays)."""
    reader = PdfReader(io.BytesIO(data))
    return "".join(
        "".join((p.extract_text() or "").replace("\u2010", "").split()) for p in reader.pages
    )


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
        """axe on the page the journey is on (its watch checks every load and swap)."""
        watch = PageWatch.of(self.page)
        if watch is None:
            assert_accessible(self.page, context=context)
        else:
            watch.check()


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
