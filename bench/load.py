"""Load benchmark: logged-in users browsing agreement, plan, activity list and report pages.

A small thread-pool client (``requests``, one thread and one session per virtual user) —
no locust, so it starts instantly, has no gevent, and stops by itself. Run it through
``make bench-load`` (``scripts/bench.sh load``), which starts a throwaway PostgreSQL with the
demo data and gunicorn on 127.0.0.1, then runs::

    .venv/bin/python bench/load.py --base-url http://127.0.0.1:PORT --users 20 --duration 60

The pages are found in the database the server uses (``DATABASE_URL``): for each demo user,
the agreements, action plans, activity list and follow-up reports they may see. Each
virtual user logs in (not measured), then fetches random pages, waiting ``--think`` seconds
(±50 %) between them like a person reading; ``--think 0`` measures saturation instead.

With ``--pdf-users N`` (``make bench-load`` passes 2) it runs twice, ``--duration`` seconds
each: first all ``--users`` browse HTML pages, then N of them ask for PDFs continuously
instead — an open action plan, draft agreement or open report of the coordinator, each PDF
user its own documents — the way the browser does: ask, follow the progress page until the
background worker (``manage.py db_worker``) has printed it, fetch it. So that every request
really prints, a PDF user forgets its document's finished job (``core.PdfJob``) after each
fetch. The HTML pages' p95 with the PDF users is compared with the run without them
(target: within 20 %).

Prints requests/s, p50/p95/p99/max latency and errors, overall and per page kind. Exits 1
on any error. Only loopback addresses are accepted.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import random
import re
import socket
import statistics
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import requests

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_USERS = ("samordnare", "kommunpolis", "kug")
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def send_secure_cookies_over_loopback(session: requests.Session) -> None:
    """Let the app's Secure cookies go back over plain HTTP on loopback.

    The server runs with production settings (Secure cookies) behind no TLS proxy; the
    client says ``X-Forwarded-Proto: https`` as the proxy would.
    """
    for cookie in session.cookies:
        cookie.secure = False


def assert_loopback(base_url: str) -> None:
    host = urlsplit(base_url).hostname or ""
    addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    if not addresses or not all(ipaddress.ip_address(a).is_loopback for a in addresses):
        sys.exit(f"refusing {base_url}: the load benchmark only runs against loopback addresses")


def discover_pages(usernames: tuple[str, ...]) -> dict[str, dict[str, list[str]]]:
    """{username: {page kind: [paths]}} from the database the server uses."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from actionplans.models import ActionPlan
    from agreements.models import Agreement
    from followup.models import FollowUpReport

    pages: dict[str, dict[str, list[str]]] = {}
    for username in usernames:
        user = get_user_model().objects.get(username=username)
        agreements = list(Agreement.objects.visible_to(user).order_by("pk")[:20])
        plans = list(ActionPlan.objects.visible_to(user).order_by("pk")[:20])
        reports = list(FollowUpReport.objects.visible_to(user).order_by("pk")[:20])
        kinds = {
            "agreement": [a.get_absolute_url() for a in agreements],
            "plan": [p.get_absolute_url() for p in plans],
            "activity-list": [reverse("actionplans:activity-list")],
            "report": [r.get_absolute_url() for r in reports],
        }
        kinds["activity-list"] += [
            f"{reverse('actionplans:activity-list')}?plan={p.pk}" for p in plans[:5]
        ]
        pages[username] = {kind: urls for kind, urls in kinds.items() if urls}
    return pages


def discover_pdfs(username: str) -> list[tuple[str, str]]:
    """(PDF path, job title) of the open documents ``username`` may print: each one is printed
    by the background worker (signed agreements and approved reports are stored, not printed)."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from actionplans.models import ActionPlan
    from agreements.choices import AgreementStatus
    from agreements.models import Agreement
    from followup.choices import ReportStatus
    from followup.models import FollowUpReport

    user = get_user_model().objects.get(username=username)
    documents = [
        (reverse("actionplans:plan-pdf", args=[p.pk]), p.title)
        for p in ActionPlan.objects.visible_to(user).order_by("pk")[:10]
    ]
    documents += [
        (reverse("agreements:pdf", args=[a.pk]), a.title)
        for a in Agreement.objects.visible_to(user)
        .exclude(status__in=[AgreementStatus.SIGNED, AgreementStatus.SUPERSEDED])
        .order_by("pk")[:10]
    ]
    documents += [
        (reverse("followup:report-pdf", args=[r.pk]), r.title)
        for r in FollowUpReport.objects.visible_to(user)
        .exclude(status=ReportStatus.APPROVED)
        .order_by("pk")[:10]
    ]
    seen: set[str] = set()
    unique = []
    for path, title in documents:  # a job is forgotten by its title: keep titles apart
        if title not in seen:
            seen.add(title)
            unique.append((path, title))
    return unique


def forget_finished_job(title: str) -> None:
    from core.models import PdfJob

    for job in PdfJob.objects.filter(title=title[:300], status=PdfJob.DONE):
        if job.pdf:
            job.pdf.delete(save=False)
        job.delete()


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)

    def record(self, kind: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            if error:
                self.errors.append(error)


def login(base_url: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    origin = "https://" + urlsplit(base_url).netloc
    session.headers.update({"X-Forwarded-Proto": "https", "Accept-Language": "sv"})
    page = session.get(f"{base_url}/login/", timeout=30)
    page.raise_for_status()
    send_secure_cookies_over_loopback(session)
    token = CSRF_RE.search(page.text)
    if not token:
        raise RuntimeError("no CSRF token on the login page")
    response = session.post(
        f"{base_url}/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)},
        headers={"Origin": origin, "Referer": f"{origin}/login/"},
        allow_redirects=False,
        timeout=30,
    )
    if response.status_code != 302:
        raise RuntimeError(f"login as {username} failed: HTTP {response.status_code}")
    send_secure_cookies_over_loopback(session)
    return session


def virtual_user(
    base_url, session, pages, deadline, think, stats: Stats, seed: int, start: threading.Barrier
):
    rng = random.Random(seed)
    kinds = sorted(pages)
    start.wait()
    while time.monotonic() < deadline:
        kind = rng.choice(kinds)
        path = rng.choice(pages[kind])
        began = time.perf_counter()
        error = None
        try:
            response = session.get(base_url + path, timeout=30, allow_redirects=False)
            if response.status_code != 200:
                error = f"{path}: HTTP {response.status_code}"
        except requests.RequestException as exc:
            error = f"{path}: {type(exc).__name__}"
        stats.record(kind, time.perf_counter() - began, error)
        if think > 0:
            time.sleep(
                min(rng.uniform(0.5 * think, 1.5 * think), max(0, deadline - time.monotonic()))
            )


def pdf_user(base_url, session, documents, deadline, stats: Stats, start: threading.Barrier):
    """Ask for PDFs one after the other, as the browser does, until the deadline."""
    from django.db import connection

    start.wait()
    turn = 0
    while time.monotonic() < deadline:
        path, title = documents[turn % len(documents)]
        turn += 1
        began = time.perf_counter()
        error = None
        try:
            while True:
                response = session.get(base_url + path, timeout=60, allow_redirects=False)
                if response.status_code == 202 and time.monotonic() < deadline + 60:
                    time.sleep(0.5)  # the progress page asks again (htmx, every 2 s)
                    continue
                if response.status_code != 200 or not response.content.startswith(b"%PDF-"):
                    error = f"{path}: HTTP {response.status_code}"
                break
        except requests.RequestException as exc:
            error = f"{path}: {type(exc).__name__}"
        stats.record("pdf", time.perf_counter() - began, error)
        forget_finished_job(title)
    connection.close()


def run_phase(base_url, html_sessions, pdf_sessions, pages, pdf_documents, args) -> tuple:
    """Browse for ``args.duration`` seconds; returns (stats, elapsed seconds)."""
    stats = Stats()
    start = threading.Barrier(len(html_sessions) + len(pdf_sessions) + 1)
    began = time.monotonic()
    deadline = began + args.duration
    threads = []
    for i, (username, session) in enumerate(html_sessions):
        threads.append(
            threading.Thread(
                target=virtual_user,
                args=(base_url, session, pages[username], deadline, args.think, stats, i, start),
                daemon=True,
            )
        )
    for i, session in enumerate(pdf_sessions):
        own = pdf_documents[i :: len(pdf_sessions)] or pdf_documents
        threads.append(
            threading.Thread(
                target=pdf_user,
                args=(base_url, session, own, deadline, stats, start),
                daemon=True,
            )
        )
    for thread in threads:
        thread.start()
    start.wait()
    for thread in threads:
        thread.join(timeout=args.duration + 120)
    return stats, time.monotonic() - began


def report(title: str, stats: Stats, elapsed: float, args) -> float:
    """Print one run's table; returns the HTML pages' p95 in ms."""
    html = [v for kind, values in stats.latencies.items() if kind != "pdf" for v in values]
    print(
        f"\n{title}: {elapsed:.0f} s, think time {args.think:g} s\n"
        f"{'page':<14} {'requests':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'max ms':>8}"
    )
    for kind in sorted(stats.latencies):
        print(line(kind, stats.latencies[kind], elapsed))
    print(line("all HTML", html, elapsed))
    print(f"errors: {len(stats.errors)}")
    for error in stats.errors[:10]:
        print(f"  {error}")
    return percentile([v * 1000 for v in html], 95)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def line(label: str, values: list[float], seconds: float) -> str:
    ms = [v * 1000 for v in values]
    return (
        f"{label:<14} {len(values):>7} {len(values) / seconds:>8.1f} "
        f"{statistics.median(ms) if ms else float('nan'):>8.0f} {percentile(ms, 95):>8.0f} "
        f"{percentile(ms, 99):>8.0f} {max(ms, default=float('nan')):>8.0f}"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8001")
    parser.add_argument("--users", type=int, default=20, help="concurrent virtual users")
    parser.add_argument("--duration", type=float, default=60, help="seconds of measuring")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between pages (s)")
    parser.add_argument("--logins", default=",".join(DEFAULT_USERS), help="demo users to use")
    parser.add_argument("--password", default="demo")
    parser.add_argument("--p95-target-ms", type=float, default=300)
    parser.add_argument(
        "--pdf-users", type=int, default=0, help="then a second run where N users ask for PDFs"
    )
    args = parser.parse_args(argv)

    base_url = args.base_url.rstrip("/")
    assert_loopback(base_url)
    usernames = tuple(u.strip() for u in args.logins.split(",") if u.strip())
    pages = discover_pages(usernames)
    for username, kinds in pages.items():
        counts = ", ".join(f"{k} {len(v)}" for k, v in sorted(kinds.items()))
        print(f"pages for {username}: {counts}")

    def sessions(count: int, names: tuple[str, ...]) -> list[tuple[str, requests.Session]]:
        return [
            (names[i % len(names)], login(base_url, names[i % len(names)], args.password))
            for i in range(count)
        ]

    html_only, elapsed = run_phase(base_url, sessions(args.users, usernames), [], pages, [], args)
    p95 = report(f"{args.users} users, HTML pages only", html_only, elapsed, args)
    errors = list(html_only.errors)
    verdict = "met" if not errors and p95 < args.p95_target_ms else "NOT met"
    print(f"target (zero errors, p95 < {args.p95_target_ms:g} ms): {verdict}")

    if args.pdf_users:
        documents = discover_pdfs(usernames[0])
        if not documents:
            sys.exit(f"{usernames[0]} has no open documents to print")
        print(f"\nPDF users print, in turn: {', '.join(title for _, title in documents)}")
        html_users = max(0, args.users - args.pdf_users)
        pdf_sessions = [s for _, s in sessions(args.pdf_users, usernames[:1])]
        with_pdf, elapsed = run_phase(
            base_url, sessions(html_users, usernames), pdf_sessions, pages, documents, args
        )
        p95_with = report(
            f"{html_users} users on HTML pages + {args.pdf_users} asking for PDFs",
            with_pdf,
            elapsed,
            args,
        )
        errors += with_pdf.errors
        change = (p95_with / p95 - 1) * 100 if p95 else float("nan")
        within = not with_pdf.errors and p95_with <= 1.2 * p95
        print(
            f"HTML p95 without PDF users {p95:.0f} ms, with them {p95_with:.0f} ms "
            f"({change:+.0f} %); target (zero errors, within +20 %): "
            f"{'met' if within else 'NOT met'}"
        )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
