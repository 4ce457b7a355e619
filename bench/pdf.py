"""PDF benchmark: render time, peak memory, time against pages, serving a stored PDF.

Run it through ``make bench-pdf`` (``scripts/bench.sh pdf``), which starts a throwaway
PostgreSQL, loads the demo data and runs::

    .venv/bin/python bench/pdf.py --runs 5

It measures, for the three reference agreements of the demo data and for synthetic
agreements of about 10, 20 and 40 pages (created in a transaction that is rolled back):

* render time — the whole ``render_agreement_pdf`` call a user waits for (queries,
  template, WeasyPrint in the worker process), median and max of ``--runs`` runs after a
  warm-up;
* peak memory — Python allocations during one in-process render (``tracemalloc``) and
  the render worker's peak resident size;
* time against pages — milliseconds per page for the synthetic sizes (linear growth keeps
  it flat);
* serving a stored signed PDF through the view (``agreements:pdf``), median of 20.

Targets (2-core machine): median under 1.5 s per reference agreement, per-page time of
the 40-page agreement no worse than 1.5 × that of the 10-page one, stored PDFs served in
under 50 ms. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

REFERENCE_MUNICIPALITIES = ("Eskilstuna kommun", "Eslövs kommun", "Strängnäs kommun")
TARGET_REFERENCE_S = 1.5
TARGET_SERVE_MS = 50.0
TARGET_LINEARITY = 1.5

LOREM = (
    "Kommunen och polisen arbetar tillsammans med att minska brottsligheten och öka "
    "tryggheten. Insatserna bygger på den gemensamma lägesbilden, på trygghetsmätningar "
    "och på dialoger med invånare, föreningar och näringsidkare i de berörda områdena. "
)


def _timed(func, runs: int) -> list[float]:
    func()  # warm-up (starts the worker, fills caches)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return times


def _pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def _memory(agreement) -> float:
    """Peak Python allocations (MB) of one in-process render."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from agreements.pdf import agreement_for_print, agreement_pdf_context
    from core.pdf import render_in_process

    with translation.override("sv"):
        html = render_to_string(
            "pdf/agreement.html", agreement_pdf_context(agreement_for_print(agreement.pk))
        )
    tracemalloc.start()
    render_in_process(html, title=agreement.title)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


def _worker_rss_mb() -> float | None:
    """Peak resident size of the render worker processes (Linux /proc)."""
    from agreements import pdf

    pool = pdf._pool
    if pool is None:
        return None
    peaks = []
    for worker in pool._idle:
        try:
            status = Path(f"/proc/{worker.process.pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return max(peaks) if peaks else None


#: Focus areas giving about 10, 20 and 40 pages.
SYNTHETIC_SIZES = {10: 3, 20: 10, 40: 23}


def synthetic_agreement(pages: int):
    """An agreement of roughly ``pages`` pages, on fresh organisations."""
    from agreements.choices import OrganisationKind
    from agreements.models import (
        Agreement,
        Cause,
        Commitment,
        FocusArea,
        Organisation,
        Signatory,
        SubGoal,
    )

    kommun = Organisation.objects.create(
        name=f"Benchköping kommun {pages}", kind=OrganisationKind.MUNICIPALITY
    )
    lpo = Organisation.objects.create(
        name=f"Lokalpolisområde Benchköping {pages}", kind=OrganisationKind.POLICE_AREA
    )
    agreement = Agreement.objects.create(
        title=f"Syntetisk samverkansöverenskommelse (~{pages} sidor)",
        municipality=kommun,
        police_area=lpo,
        valid_from=datetime.date(2025, 1, 1),
        valid_to=datetime.date(2028, 12, 31),
        background=LOREM * 12,
        situation_sources=LOREM * 2,
        purpose=LOREM * 3,
        overall_goal=LOREM,
        organisation_text=LOREM * 3,
        followup_text=LOREM * 2,
        budget_text=LOREM,
        communication_text=LOREM * 2,
        decision_body="Kommunstyrelsen",
        decision_date=datetime.date(2024, 12, 1),
        decision_condition=LOREM,
    )
    for index in range(1, SYNTHETIC_SIZES[pages] + 1):
        area = FocusArea.objects.create(
            agreement=agreement, position=index, title=f"Fokusområde {index}", description=LOREM * 3
        )
        for goal in range(1, 5):
            SubGoal.objects.create(
                focus_area=area,
                position=goal,
                text=f"Delmål {index}.{goal}: " + LOREM,
                measured_by=LOREM,
            )
        for cause in range(1, 4):
            Cause.objects.create(focus_area=area, position=cause, text=f"Orsak {cause}: " + LOREM)
        for position, party in enumerate((kommun, lpo, None), start=1):
            Commitment.objects.create(
                agreement=agreement, focus_area=area, party=party, position=position, text=LOREM
            )
    for position, (party, name) in enumerate(((kommun, "Anna Ordförande"), (lpo, "Bo Chef")), 1):
        Signatory.objects.create(
            agreement=agreement,
            position=position,
            name=name,
            title="Företrädare",
            organisation=party,
            place="Benchköping",
        )
    return agreement


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per document")
    parser.add_argument("--serve-runs", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.test import Client, override_settings
    from django.urls import reverse
    from django.utils import timezone

    from agreements.choices import AgreementStatus
    from agreements.models import Agreement
    from agreements.pdf import render_agreement_pdf
    from agreements.signing import store_signed_pdf
    from core.pdf import shutdown_workers

    failures = []
    print(f"PDF benchmark — {os.cpu_count()} CPUs, median of {args.runs} runs after a warm-up\n")
    print(f"{'document':58} {'pages':>5} {'median':>8} {'max':>8} {'ms/page':>8} {'peak MB':>8}")

    def report(label, agreement, target=None):
        data = render_agreement_pdf(agreement)
        pages = _pages(data)
        times = _timed(lambda: render_agreement_pdf(agreement), args.runs)
        median = statistics.median(times)
        memory = _memory(agreement)
        print(
            f"{label[:58]:58} {pages:5d} {median:7.2f}s {max(times):7.2f}s "
            f"{median / pages * 1000:8.0f} {memory:8.1f}"
        )
        if target is not None and median > target:
            failures.append(f"{label}: median {median:.2f} s > {target} s")
        return pages, median

    references = []
    for name in REFERENCE_MUNICIPALITIES:
        agreement = (
            Agreement.objects.filter(municipality__name=name, revision_of__isnull=True)
            .order_by("pk")
            .first()
        )
        if agreement is None:
            print(f"{name}: no agreement — run `manage.py load_demo` first", file=sys.stderr)
            failures.append(f"{name}: missing")
            continue
        references.append(agreement)
        report(agreement.title, agreement, TARGET_REFERENCE_S)

    per_page = {}
    media = tempfile.mkdtemp(prefix="samverkan-bench-media-")
    with override_settings(MEDIA_ROOT=media), transaction.atomic():
        for size in SYNTHETIC_SIZES:
            agreement = synthetic_agreement(size)
            pages, median = report(agreement.title, agreement)
            per_page[size] = median / pages
        ratio = per_page[40] / per_page[10]
        print(f"\nTime per page, 40 vs 10 pages: {ratio:.2f}× (target ≤ {TARGET_LINEARITY}×)")
        if ratio > TARGET_LINEARITY:
            failures.append(f"time grows faster than linearly with pages ({ratio:.2f}×)")

        # Serving the stored signed PDF of the 40-page agreement through the view.
        agreement.status = AgreementStatus.SIGNED
        agreement.signed_at = timezone.now()
        agreement.save()
        store_signed_pdf(agreement=agreement)
        user = get_user_model().objects.create_user("bench-pdf", is_staff=True)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        url = reverse("agreements:pdf", args=[agreement.pk])
        size = len(client.get(url).content)
        serve = _timed(lambda: client.get(url), args.serve_runs)
        serve_ms = statistics.median(serve) * 1000
        print(
            f"Serving the stored signed PDF ({size // 1024} kB): median {serve_ms:.1f} ms, "
            f"max {max(serve) * 1000:.1f} ms (target < {TARGET_SERVE_MS:.0f} ms)"
        )
        if serve_ms >= TARGET_SERVE_MS:
            failures.append(f"serving a stored PDF took {serve_ms:.1f} ms")
        transaction.set_rollback(True)

    rss = _worker_rss_mb()
    if rss:
        print(f"Render worker peak resident size: {rss:.0f} MB")
    shutdown_workers()

    if failures:
        print("\nMISSED TARGETS:\n  " + "\n  ".join(failures))
        return 1
    print("\nAll targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
