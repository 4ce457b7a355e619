"""Page benchmark (issue 10): server time of the main pages beside the Django admin and a floor.

Run with ``make bench-pages`` (``scripts/bench.sh pages [--municipalities N]``): the
script starts a throwaway PostgreSQL, migrates, runs ``generate_scale`` and then this.

What is measured: **server time in-process** — each request goes through the Django
test ``Client`` (the whole middleware stack, the view, the queries and the template),
timed from the call to the returned response; no network, no HTTP parsing, no
gunicorn. Settings are production-like at run time: ``DEBUG`` off (no SQL logging),
templates without debug. Each URL gets a few warm-up requests, then ``--requests``
timed ones (default 30); median and p95 are reported with the query count of one
request.

For every page and persona (a coordinator, and the staff user ``nationell`` who
sees everything) the table shows, measured in the same run:

* the page itself;
* the Django admin of the same model with the same filter and page size, as a
  superuser (for the coordinator filtered to the coordinator's municipality, i.e.
  the same rows). Detail pages that are a list of rows (plan page: its activities;
  report page: its activity updates) are compared with the changelist of those
  rows; the agreement page with the agreement's change form. Admin lookups are
  allowed for the run, and ``list_per_page`` is set to the page's size;
* the floor of a request: ``/healthz`` (one ``SELECT 1``).

The law checklist (issue 21) has no admin equivalent: the municipality's page and
the staff's national overview are computed from seven models' data at once, and no
admin changelist shows anything like them. Their rows say "no admin" and are held to
the absolute targets alone.

Targets (issues 10 and 20): every page's median and p95 under 150 ms; each page
no slower than its admin equivalent (page/admin ≤ 1.0, both personas); the plan
page of a 60-activity plan under 25 queries. The column "1st" is the first request
of a URL (before the warm-up), where a cached fragment is not yet in the cache.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")  # static files without a manifest; DEBUG off below

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib import admin  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import resolve, reverse  # noqa: E402

from actionplans.models import ActionPlan, Activity  # noqa: E402
from agreements.choices import AgreementStatus, Role  # noqa: E402
from agreements.models import Agreement, Membership  # noqa: E402
from followup.models import ActivityUpdate, FollowUpReport  # noqa: E402

TARGET_MS = 150.0
PLAN_QUERY_TARGET = 25
SLOW_S = 3.0
SLOW_REQUESTS = 5


@dataclass
class Result:
    median: float
    p95: float
    queries: int
    status: int
    n: int
    first: float = 0.0


@dataclass
class Row:
    label: str
    persona: str
    kind: str  # "list" or "detail"; every row with an admin equivalent is held to <= 1.0
    page_url: str
    admin_url: str | None
    admin_model: type | None
    per_page: int | None


def production_like() -> None:
    settings.DEBUG = False
    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    for engine in engines.all():
        if hasattr(engine, "engine"):
            engine.engine.debug = False


def measure(client: Client, url: str, requests: int, warmup: int = 3) -> Result:
    """Median and p95 over ``requests`` timed GETs after ``warmup`` untimed ones.

    A URL whose first request takes over ``SLOW_S`` seconds gets only ``SLOW_REQUESTS``
    timed requests (shown as ``n=`` in the table), so that a run always ends in time.
    """
    start = time.perf_counter()
    response = client.get(url)
    first = (time.perf_counter() - start) * 1000
    if first > SLOW_S * 1000:
        warmup, requests = 0, min(requests, SLOW_REQUESTS)
    for _ in range(warmup):
        response = client.get(url)
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return Result(
        statistics.median(times), p95, len(queries), response.status_code, len(times), first
    )


def page_size(url: str, default: int = 50) -> int:
    view = getattr(resolve(url.split("?")[0]).func, "view_class", None)
    return getattr(view, "paginate_by", None) or default


def admin_url(model, query: str = "", pk: int | None = None) -> str | None:
    if not admin.site.is_registered(model):
        return None
    meta = model._meta
    if pk is not None:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[pk])
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    return f"{url}?{query}" if query else url


def pick_coordinator():
    """The coordinator of the municipality with the largest current plan."""
    plan = (
        ActionPlan.objects.filter(agreement__status=AgreementStatus.SIGNED)
        .annotate(n=Count("activities"))
        .order_by("-n", "pk")
        .select_related("agreement")
        .first()
    )
    membership = (
        Membership.objects.filter(
            role=Role.COORDINATOR, organisation_id=plan.agreement.municipality_id
        )
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    return membership.user, plan


def rows_for(persona: str, plan: ActionPlan) -> list[Row]:
    municipality = plan.agreement.municipality_id
    mine = persona == "coordinator"

    def scoped(path: str, query: str = "") -> str:
        parts = [query] if query else []
        if mine:
            parts.append(f"{path}__id__exact={municipality}")
        return "&".join(parts)

    # Both personas open the same objects: a page's cost should not depend on who asks.
    agreement = plan.agreement
    report = (
        FollowUpReport.objects.filter(plan=plan)
        .annotate(n=Count("updates"))
        .order_by("-n", "-period_end")
        .first()
    )
    two_filters = "status=in_progress&review_state=approved"
    law_checks = [
        Row(
            "law checklist (municipality)",
            persona,
            "detail",
            reverse("dashboard:law-check", args=[municipality]),
            None,
            None,
            None,
        )
    ]
    if not mine:
        law_checks.append(
            Row(
                "law checklist, national",
                persona,
                "list",
                reverse("dashboard:law-check-national"),
                None,
                None,
                None,
            )
        )
    return [
        Row(
            "agreement list",
            persona,
            "list",
            reverse("agreements:list"),
            admin_url(Agreement, scoped("municipality")),
            Agreement,
            None,
        ),
        Row(
            "agreement detail",
            persona,
            "detail",
            reverse("agreements:detail", args=[agreement.pk]),
            admin_url(Agreement, pk=agreement.pk),
            None,
            None,
        ),
        Row(
            f"plan page ({plan.n} activities)",
            persona,
            "detail",
            reverse("actionplans:plan-detail", args=[plan.pk]),
            admin_url(Activity, f"plan__id__exact={plan.pk}"),
            Activity,
            max(100, plan.n),
        ),
        Row(
            "activity list, 2 filters",
            persona,
            "list",
            f"{reverse('actionplans:activity-list')}?{two_filters}",
            admin_url(
                Activity,
                scoped(
                    "plan__agreement__municipality",
                    "status__exact=in_progress&review_state__exact=approved",
                ),
            ),
            Activity,
            None,
        ),
        Row(
            "deviations",
            persona,
            "list",
            reverse("followup:deviations"),
            admin_url(
                ActivityUpdate,
                scoped("report__agreement__municipality", "status__in=at_risk,delayed"),
            ),
            ActivityUpdate,
            None,
        ),
        Row(
            f"report detail ({report.n} updates)",
            persona,
            "detail",
            reverse("followup:report-detail", args=[report.pk]),
            admin_url(ActivityUpdate, f"report__id__exact={report.pk}"),
            ActivityUpdate,
            max(100, report.n),
        ),
        *law_checks,
    ]


def prepare_admin(model, per_page: int) -> None:
    model_admin = admin.site._registry[model]
    model_admin.list_per_page = per_page
    model_admin.lookup_allowed = lambda *args, **kwargs: True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    production_like()
    User = get_user_model()
    coordinator, plan = pick_coordinator()
    staff = User.objects.get(username="nationell")
    superuser, created = User.objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    clients = {}
    for name, user in (("coordinator", coordinator), ("staff", staff), ("admin", superuser)):
        clients[name] = Client()
        clients[name].force_login(user)
    floor_client = Client()
    floor_client.force_login(staff)

    started = time.monotonic()
    floor = measure(floor_client, reverse("healthz"), args.requests)
    print(
        f"Data: {Agreement.objects.count()} agreements, {Activity.objects.count()} activities, "
        f"{ActivityUpdate.objects.count()} activity updates. Coordinator: {coordinator.username}. "
        f"{args.requests} requests per URL, in-process Django test Client, DEBUG off.\n"
    )
    header = (
        f"{'page':<32} {'persona':<11} {'median':>7} {'p95':>7} {'1st':>7} {'q':>3} │ "
        f"{'admin':>7} {'p95':>7} {'q':>3} │ {'floor':>6} │ {'page/admin':>10} {'page/floor':>10}"
    )
    print(header)
    print("─" * len(header))
    misses = []
    for persona in ("coordinator", "staff"):
        for row in rows_for(persona, plan):
            result = measure(clients[persona], row.page_url, args.requests)
            admin_result = None
            if row.admin_url:
                if row.admin_model is not None:
                    prepare_admin(row.admin_model, row.per_page or page_size(row.page_url))
                admin_result = measure(clients["admin"], row.admin_url, args.requests)
            compared = admin_result is not None and admin_result.status == 200
            ratio_admin = (
                f"{result.median / admin_result.median:>10.2f}" if compared else f"{'–':>10}"
            )
            if compared:
                admin_cols = (
                    f"{admin_result.median:>7.1f} {admin_result.p95:>7.1f} "
                    f"{admin_result.queries:>3}"
                )
            elif row.admin_url is None:
                admin_cols = f"{'no admin':>19}"
            else:
                admin_cols = f"{'HTTP ' + str(admin_result.status):>19}"
            status = "" if result.status == 200 else f"  (HTTP {result.status})"
            if result.n < args.requests:
                status += f"  (n={result.n})"
            print(
                f"{row.label:<32} {persona:<11} {result.median:>7.1f} {result.p95:>7.1f} "
                f"{result.first:>7.1f} {result.queries:>3} │ {admin_cols} │ "
                f"{floor.median:>6.1f} │ {ratio_admin} {result.median / floor.median:>10.1f}"
                f"{status}"
            )
            if result.status != 200:
                misses.append(f"{row.label} ({persona}): HTTP {result.status}")
            if result.median >= TARGET_MS:
                misses.append(f"{row.label} ({persona}): median {result.median:.0f} ms ≥ 150")
            if result.p95 >= TARGET_MS:
                misses.append(f"{row.label} ({persona}): p95 {result.p95:.0f} ms ≥ 150")
            if compared and result.median > admin_result.median:
                misses.append(
                    f"{row.label} ({persona}): {result.median / admin_result.median:.2f}× the admin"
                )
            if row.label.startswith("plan page") and result.queries >= PLAN_QUERY_TARGET:
                misses.append(f"{row.label} ({persona}): {result.queries} queries ≥ 25")
    print(f"\nFloor (/healthz): median {floor.median:.2f} ms, p95 {floor.p95:.2f} ms.")
    print(f"Measured in {time.monotonic() - started:.0f} s.")
    if created:
        superuser.delete()
    if misses:
        print("\nTargets missed:\n  " + "\n  ".join(misses))
    else:
        print("\nAll targets hold.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
