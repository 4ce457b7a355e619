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
    args = parser.parse_args(argv)

    base_url = args.base_url.rstrip("/")
    assert_loopback(base_url)
    usernames = tuple(u.strip() for u in args.logins.split(",") if u.strip())
    pages = discover_pages(usernames)
    for username, kinds in pages.items():
        counts = ", ".join(f"{k} {len(v)}" for k, v in sorted(kinds.items()))
        print(f"pages for {username}: {counts}")

    stats = Stats()
    sessions = []
    for i in range(args.users):
        username = usernames[i % len(usernames)]
        sessions.append((username, login(base_url, username, args.password)))
    start = threading.Barrier(args.users + 1)
    deadline_holder: list[float] = []

    threads = []
    began = time.monotonic()
    deadline = began + args.duration
    deadline_holder.append(deadline)
    for i, (username, session) in enumerate(sessions):
        thread = threading.Thread(
            target=virtual_user,
            args=(base_url, session, pages[username], deadline, args.think, stats, i, start),
            daemon=True,
        )
        thread.start()
        threads.append(thread)
    start.wait()
    for thread in threads:
        thread.join(timeout=args.duration + 60)
    elapsed = time.monotonic() - began

    all_latencies = [v for values in stats.latencies.values() for v in values]
    print(
        f"\n{args.users} users, {elapsed:.0f} s, think time {args.think:g} s, {base_url}\n"
        f"{'page':<14} {'requests':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'max ms':>8}"
    )
    for kind in sorted(stats.latencies):
        print(line(kind, stats.latencies[kind], elapsed))
    print(line("all", all_latencies, elapsed))
    p95 = percentile([v * 1000 for v in all_latencies], 95)
    print(f"errors: {len(stats.errors)}")
    for error in stats.errors[:10]:
        print(f"  {error}")
    verdict = "met" if not stats.errors and p95 < args.p95_target_ms else "NOT met"
    print(f"target (zero errors, p95 < {args.p95_target_ms:g} ms): {verdict}")
    return 1 if stats.errors else 0


if __name__ == "__main__":
    sys.exit(main())
