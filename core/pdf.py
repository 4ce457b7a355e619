"""The one PDF renderer of Samverkan (agreements, action plans, promises, reports).

It knows nothing of the domain: each app builds its context and template (e.g.
``agreements.pdf``) and calls :func:`render_template_to_pdf` here.

Every PDF is rendered from HTML with WeasyPrint, with one print stylesheet
(``static/pdf/print.css``) and the vendored DejaVu fonts, through
:class:`StaticOnlyURLFetcher`: the only resources a document can reach are the
project's own static files (``samverkan-static:///pdf/print.css`` or
``/static/pdf/print.css``) and small inline images (``data:image/png…``).
Everything else — ``file://``, ``http(s)://``, other schemes — is refused, so
user text that slips markup into a template can neither read the server's
files nor make it fetch anything.

Rendering runs in a small pool of worker processes, which is what makes the
time limit (``settings.SAMVERKAN_PDF_TIMEOUT_SECONDS``) enforceable under
threaded servers and in tests alike: a render that overruns is stopped by
killing its process (a thread cannot be stopped, and ``signal.alarm`` only
works in the main thread).

Usage::

    pdf = render_template_to_pdf(
        "pdf/agreement.html", {"agreement": agreement}, title=agreement.title
    )
    return pdf_response(pdf, filename="overenskommelse.pdf")
"""

from __future__ import annotations

import atexit
import base64
import hashlib
import logging
import mimetypes
import multiprocessing
import os
import re
import threading
from pathlib import PurePosixPath
from urllib.parse import unquote, unquote_to_bytes, urlsplit, uses_netloc, uses_relative

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)
# WeasyPrint reports every layout step at INFO; keep the server log for what matters.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

#: The print stylesheet every PDF uses (a static path).
PDF_STYLESHEET = "pdf/print.css"
#: Our own URL scheme for static files; relative URLs resolve against it.
STATIC_SCHEME = "samverkan-static"
STATIC_BASE_URL = f"{STATIC_SCHEME}:///"
#: Static files a document may use.
ALLOWED_STATIC_SUFFIXES = frozenset(
    {".css", ".ttf", ".otf", ".woff", ".woff2", ".png", ".jpg", ".jpeg", ".gif", ".svg"}
)
#: Inline images (``data:``) are allowed up to this size, raster formats only.
MAX_DATA_URL_BYTES = 64 * 1024
DATA_IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
#: Tag the output (PDF/UA-1): headings, lists, tables and language for screen readers.
PDF_VARIANT = "pdf/ua-1"

# Let urllib resolve relative URLs ("fonts/x.ttf") against our scheme.
for _registry in (uses_relative, uses_netloc):
    if STATIC_SCHEME not in _registry:
        _registry.append(STATIC_SCHEME)

_SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9.+-]*):")


class PdfError(Exception):
    """The PDF could not be produced."""


class PdfRenderTimeout(PdfError):
    """Rendering took longer than ``settings.SAMVERKAN_PDF_TIMEOUT_SECONDS``."""


class PdfRenderFailed(PdfError):
    """Rendering failed in the worker."""


# ---------------------------------------------------------------------------
# The URL fetcher
# ---------------------------------------------------------------------------


def _static_path_from_url(url: str) -> str | None:
    """The static-file path named by ``url``, or ``None`` when it names none safely."""
    parts = urlsplit(url)
    if parts.scheme.lower() != STATIC_SCHEME or parts.netloc or parts.query:
        return None
    path = unquote(parts.path)
    if "\\" in path or "\x00" in path:
        return None
    path = path.lstrip("/")
    static_prefix = settings.STATIC_URL.strip("/") + "/"
    if path.startswith(static_prefix):
        path = path[len(static_prefix) :]
    segments = path.split("/")
    if not path or any(seg in {"", ".", ".."} for seg in segments):
        return None
    if PurePosixPath(path).suffix.lower() not in ALLOWED_STATIC_SUFFIXES:
        return None
    return path


def find_static_file(path: str) -> str | None:
    """Absolute file name of the static file ``path`` (via the staticfiles finders)."""
    from django.contrib.staticfiles import finders

    try:
        found = finders.find(path)
    except Exception:  # SuspiciousFileOperation and friends: not ours to serve
        return None
    if not found or isinstance(found, list) or not os.path.isfile(found):
        return None
    return found


def _load_fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyURLFetcher(URLFetcher):
        """Serves the project's static files and small inline images; refuses the rest.

        Refused URLs are logged and collected in ``refused`` (WeasyPrint then
        leaves the image or attachment out and carries on).
        """

        def __init__(self):
            super().__init__(timeout=1, allowed_protocols=frozenset(), allow_redirects=False)
            self.refused: list[str] = []
            self.served: list[str] = []

        def _refuse(self, url: str, reason: str):
            self.refused.append(url)
            logger.warning("PDF fetcher refused %s (%s)", url[:120], reason)
            raise ValueError(f"Refused URL ({reason}): {url[:120]}")

        def fetch(self, url, headers=None):
            match = _SCHEME_RE.match(url or "")
            scheme = match[1].lower() if match else ""
            if scheme == STATIC_SCHEME:
                return self._fetch_static(url)
            if scheme == "data":
                return self._fetch_data(url)
            return self._refuse(url, "not a static file")

        def _fetch_static(self, url):
            path = _static_path_from_url(url)
            filename = find_static_file(path) if path else None
            if filename is None:
                return self._refuse(url, "no such static file")
            with open(filename, "rb") as handle:
                body = handle.read()
            content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
            headers = {"Content-Type": content_type}
            if content_type == "text/css":
                headers["Content-Type"] = "text/css; charset=utf-8"
            self.served.append(path)
            return URLFetcherResponse(url, body, headers)

        def _fetch_data(self, url):
            header, comma, payload = url[len("data:") :].partition(",")
            if not comma:
                return self._refuse(url, "malformed data URL")
            params = [p.strip().lower() for p in header.split(";")]
            mime = params[0] or "text/plain"
            if mime not in DATA_IMAGE_TYPES:
                return self._refuse(url, "data URL that is not a raster image")
            if len(payload) > MAX_DATA_URL_BYTES * 4 // 3 + 4:
                return self._refuse(url, "data URL too large")
            try:
                if "base64" in params[1:]:
                    body = base64.b64decode(unquote(payload), validate=False)
                else:
                    body = unquote_to_bytes(payload)
            except ValueError:
                return self._refuse(url, "malformed data URL")
            if len(body) > MAX_DATA_URL_BYTES:
                return self._refuse(url, "data URL too large")
            return URLFetcherResponse(url, body, {"Content-Type": mime})

    return StaticOnlyURLFetcher


_fetcher_class = None


def make_url_fetcher():
    """A fresh :class:`StaticOnlyURLFetcher` (WeasyPrint is imported lazily)."""
    global _fetcher_class
    if _fetcher_class is None:
        _fetcher_class = _load_fetcher_class()
    return _fetcher_class()


# ---------------------------------------------------------------------------
# Rendering (in this process)
# ---------------------------------------------------------------------------


_stylesheet_cache: dict = {}
# Drop the fonts before the interpreter tears down the modules their finaliser needs.
atexit.register(_stylesheet_cache.clear)


def _print_stylesheet():
    """The parsed print stylesheet and its fonts, kept per process while the file is unchanged.

    Parsing the CSS and loading the four fonts costs about 75 ms; every render reuses them.
    """
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    filename = find_static_file(PDF_STYLESHEET)
    key = (filename, os.path.getmtime(filename) if filename else None)
    cached = _stylesheet_cache.get("print")
    if cached is None or cached[0] != key:
        font_config = FontConfiguration()
        stylesheet = CSS(
            url=STATIC_BASE_URL + PDF_STYLESHEET,
            url_fetcher=make_url_fetcher(),
            font_config=font_config,
        )
        cached = (key, font_config, stylesheet)
        _stylesheet_cache["print"] = cached
    return cached[1], cached[2]


def _reference_number(reference) -> int | None:
    """The object number of a pydyf reference (``b"12 0 R"``), or ``None`` for anything else."""
    if isinstance(reference, bytes | str):
        parts = (reference.decode() if isinstance(reference, bytes) else reference).split()
        if len(parts) == 3 and parts[2] == "R" and parts[0].isdigit():
            return int(parts[0])
    return None


def margin_boxes_as_artifacts(document, pdf) -> None:
    """A WeasyPrint finisher: mark the page-margin boxes' content as ``/Artifact``.

    WeasyPrint 70 marks the text of page-margin boxes (our running header and footer, the
    page number, the initials box) with MCIDs but leaves their structure elements out of
    the structure tree (Kozea/WeasyPrint#1836: in PDF 1.7 they cannot be Artifact nodes of
    the tree). Such content is neither real content nor an artifact, which PDF/UA does not
    allow. Here every marked-content sequence whose structure element cannot be reached
    from the StructTreeRoot becomes ``/Artifact BMC`` instead of ``/Tag <</MCID n>> BDC``;
    its entry in the ParentTree becomes ``null`` and the unreachable element loses its kids.
    Content in the structure tree is not touched.
    """
    import pydyf

    objects = pdf.objects

    def resolve(reference):
        number = _reference_number(reference)
        return objects[number] if number is not None else None

    root = resolve(pdf.catalog.get("StructTreeRoot"))
    if root is None:
        return
    reachable: set[int] = set()
    pending = [root]
    while pending:
        node = pending.pop()
        kids = node.get("K") if isinstance(node, dict) else None
        for kid in kids if isinstance(kids, list) else [kids]:
            number = _reference_number(kid)
            if number is not None and number not in reachable:
                reachable.add(number)
                pending.append(objects[number])
    nums = resolve(root["ParentTree"])["Nums"]
    for page_reference in pdf.page_references:
        page = resolve(page_reference)
        index = page.get("StructParents")
        if index is None or 2 * index + 1 >= len(nums):
            continue
        elements = nums[2 * index + 1]
        orphans = set()
        for mcid, reference in enumerate(elements):
            number = _reference_number(reference)
            if number is not None and number not in reachable:
                orphans.add(mcid)
                objects[number]["K"] = pydyf.Array()
                elements[mcid] = "null"
        if not orphans:
            continue
        stream = resolve(page["Contents"])
        items, rewritten = stream.stream, []
        for item in items:
            if (
                item == b"BDC"
                and len(rewritten) >= 2
                and isinstance(rewritten[-1], dict)
                and rewritten[-1].get("MCID") in orphans
            ):
                rewritten[-2:] = ["/Artifact", b"BMC"]
            else:
                rewritten.append(item)
        stream.stream = rewritten


def render_in_process(
    html: str, *, title: str, author: str = "", lang: str = "sv", tagged: bool = True
) -> bytes:
    """Render ``html`` to PDF bytes here and now, without the time limit.

    Only the worker processes and the benchmark call this directly; views use
    :func:`render_html_to_pdf`.
    """
    from weasyprint import HTML

    fetcher = make_url_fetcher()
    font_config, stylesheet = _print_stylesheet()
    document = HTML(string=html, base_url=STATIC_BASE_URL, url_fetcher=fetcher).render(
        font_config=font_config, stylesheets=[stylesheet]
    )
    metadata = document.metadata
    metadata.title = str(title)
    metadata.authors = [str(author)] if author else []
    metadata.lang = lang
    metadata.generator = "Samverkan"
    metadata.created = metadata.modified = None
    metadata.attachments = []  # never embed files, whatever the HTML asks for
    options = {"pdf_variant": PDF_VARIANT} if tagged else {}
    # A stable identifier: the same HTML gives the same bytes.
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode()
    finisher = margin_boxes_as_artifacts if tagged else None
    return document.write_pdf(pdf_identifier=identifier, finisher=finisher, **options)


# ---------------------------------------------------------------------------
# Worker processes: the time limit
# ---------------------------------------------------------------------------


def _worker_main(conn) -> None:  # pragma: no cover - runs in the child process
    import django

    django.setup()
    import weasyprint  # noqa: F401  (warm the import before the first job)

    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            conn.send(("ok", render_in_process(**job)))
        except Exception as exc:
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


class _Worker:
    def __init__(self, context):
        parent_conn, child_conn = context.Pipe()
        self.conn = parent_conn
        self.process = context.Process(
            target=_worker_main, args=(child_conn,), daemon=True, name="samverkan-pdf"
        )
        self.process.start()
        child_conn.close()

    def alive(self) -> bool:
        return self.process.is_alive()

    def kill(self) -> None:
        try:
            self.process.kill()
            self.process.join(timeout=5)
        finally:
            self.conn.close()


class _RenderPool:
    """At most ``size`` worker processes; a job that overruns kills its worker."""

    def __init__(self, size: int):
        self._context = multiprocessing.get_context("spawn")
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(size)
        self._pid = os.getpid()

    def _checkout(self) -> _Worker:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.alive():
                    return worker
                worker.kill()
        return _Worker(self._context)

    def _checkin(self, worker: _Worker) -> None:
        with self._lock:
            self._idle.append(worker)

    def render(self, job: dict, timeout: float) -> bytes:
        if not self._slots.acquire(timeout=timeout):
            raise PdfRenderTimeout("No PDF worker became free in time.")
        try:
            worker = self._checkout()
            try:
                worker.conn.send(job)
                if not worker.conn.poll(timeout):
                    worker.kill()
                    raise PdfRenderTimeout(f"Rendering took longer than {timeout} s.")
                status, payload = worker.conn.recv()
            except (EOFError, OSError) as exc:
                worker.kill()
                raise PdfRenderFailed("The PDF worker stopped.") from exc
            self._checkin(worker)
        finally:
            self._slots.release()
        if status != "ok":
            raise PdfRenderFailed(payload)
        return payload

    def close(self) -> None:
        with self._lock:
            workers, self._idle = self._idle, []
        for worker in workers:
            worker.kill()


_pool: _RenderPool | None = None
_pool_lock = threading.Lock()


def _get_pool() -> _RenderPool:
    global _pool
    with _pool_lock:
        if _pool is None or _pool._pid != os.getpid():  # new process after a fork
            size = int(getattr(settings, "SAMVERKAN_PDF_WORKERS", 2)) or 1
            _pool = _RenderPool(size)
        return _pool


def shutdown_workers() -> None:
    """Stop the idle worker processes (tests and the benchmark call this)."""
    with _pool_lock:
        pool = _pool
    if pool is not None:
        pool.close()


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


def render_html_to_pdf(html: str, *, title: str, author: str = "", lang: str = "sv") -> bytes:
    """Render ``html`` to PDF bytes with the print stylesheet, safely and in limited time.

    Raises :class:`PdfRenderTimeout` after ``settings.SAMVERKAN_PDF_TIMEOUT_SECONDS``
    and :class:`PdfRenderFailed` if WeasyPrint fails.
    """
    timeout = float(settings.SAMVERKAN_PDF_TIMEOUT_SECONDS)
    job = {"html": html, "title": str(title), "author": str(author), "lang": lang}
    return _get_pool().render(job, timeout)


def render_template_to_pdf(
    template_name: str,
    context: dict,
    *,
    title: str,
    author: str = "",
    lang: str = "sv",
    request=None,
) -> bytes:
    """Render a Django template in ``lang`` (``translation.override``) and print it."""
    with translation.override(lang):
        html = render_to_string(template_name, {**context, "pdf_lang": lang}, request=request)
        title, author = str(title), str(author)
    return render_html_to_pdf(html, title=title, author=author, lang=lang)


def pdf_response(pdf: bytes, *, filename: str, inline: bool = True) -> HttpResponse:
    """An ``application/pdf`` response that browsers show (or download)."""
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    safe_name = re.sub(r"[^A-Za-z0-9._-]+", "-", filename).strip("-") or "dokument.pdf"
    response["Content-Disposition"] = f'{disposition}; filename="{safe_name}"'
    response["Content-Length"] = str(len(pdf))
    response["X-Content-Type-Options"] = "nosniff"
    return response


def read_stored(field_file, sha256: str) -> bytes | None:
    """A stored record's bytes (a signed or approved PDF), or ``None`` when they no longer
    have the SHA-256 recorded for them — the caller says what that means."""
    with field_file.open("rb") as handle:
        data = handle.read()
    return data if hashlib.sha256(data).hexdigest() == sha256 else None
