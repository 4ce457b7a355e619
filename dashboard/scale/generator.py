"""The generator: runs the parts per chunk of municipalities, in worker processes on PostgreSQL."""

from __future__ import annotations

import datetime
import multiprocessing
import random
import time
from collections import defaultdict
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connections, transaction
from django.utils import timezone

from agreements.choices import (
    OrganisationKind,
)
from agreements.models import (
    Agreement,
    Organisation,
)

from .agreements import AgreementsMixin
from .base import Municipality, ScaleConfig, Writer, _aware, manual_timestamps, municipality_names
from .followup import FollowUpMixin
from .forums import ForumsMixin
from .organisations import OrganisationsMixin
from .plans import PlansMixin
from .vocabulary import COUNTIES, PASSWORD, POLICE_REGIONS, STAFF_USERNAME

_GENERATOR: ScaleGenerator | None = None


def _run_chunk(bounds: tuple[int, int]) -> tuple[tuple[int, int], dict[str, int]]:
    """Worker process: generate municipalities ``first..last`` and return the row counts."""
    generator = _GENERATOR
    generator.counts = defaultdict(int)
    generator.run_chunk(*bounds)
    return bounds, dict(generator.counts)


class ScaleGenerator(
    Writer, OrganisationsMixin, AgreementsMixin, ForumsMixin, PlansMixin, FollowUpMixin
):
    """Writes the synthetic data set. ``run()`` returns row counts per model."""

    def __init__(self, config: ScaleConfig, log: Callable[[str], None] = print):
        self.c = config
        self.log = log
        self.today = config.today or timezone.localdate()
        self.counts: dict[str, int] = defaultdict(int)
        self.cur_start = datetime.date(self.today.year - config.years + 1, 1, 1)
        self.cur_end = datetime.date(self.today.year, 12, 31)
        self.prev_start = datetime.date(self.cur_start.year - 4, 1, 1)
        self.prev_end = self.cur_start - datetime.timedelta(days=1)
        self.password = make_password(PASSWORD)

    def run(self) -> dict[str, int]:
        """Generate everything; chunks of municipalities run in ``workers`` processes."""
        started = time.monotonic()
        with manual_timestamps():
            with transaction.atomic():
                self.regions, self.staff = self.national()
            self.names = municipality_names(self.c.municipalities, self.c.seed)
            size = max(3, self.c.chunk - self.c.chunk % 3)
            ranges = [
                (first, min(first + size, self.c.municipalities))
                for first in range(0, self.c.municipalities, size)
            ]
            workers = self.workers()
            if workers > 1:
                global _GENERATOR
                _GENERATOR = self
                connections.close_all()  # each process opens its own connection
                with multiprocessing.get_context("fork").Pool(workers) as pool:
                    results = pool.imap_unordered(_run_chunk, ranges)
                    done = 0
                    for (first, last), counts in results:
                        done += last - first
                        for label, n in counts.items():
                            self.counts[label] += n
                        self.log(
                            f"  {done}/{self.c.municipalities} municipalities "
                            f"({time.monotonic() - started:.0f} s)"
                        )
            else:
                for first, last in ranges:
                    self.run_chunk(first, last)
                    self.log(
                        f"  {last}/{self.c.municipalities} municipalities "
                        f"({time.monotonic() - started:.0f} s)"
                    )
        return dict(self.counts)

    def workers(self) -> int:
        """Two processes on PostgreSQL outside a transaction (not inside a test); else one."""
        connection = connections["default"]
        if (
            self.c.workers <= 1
            or connection.vendor != "postgresql"
            or connection.in_atomic_block
            or self.c.municipalities <= self.c.chunk
        ):
            return 1
        return self.c.workers

    def run_chunk(self, first: int, last: int) -> None:
        batch = []
        for i in range(first, last):
            county, region_index = COUNTIES[i % len(COUNTIES)]
            batch.append(
                Municipality(
                    index=i + 1,
                    rng=random.Random(f"{self.c.seed}:{i}"),
                    name=f"{self.names[i]} kommun",
                    base=self.names[i],
                    code=f"{county}{10 + i // len(COUNTIES):02d}",
                    region=self.regions[region_index],
                )
            )
        with transaction.atomic():
            self.chunk(batch, self.staff)

    def national(self):
        """The seven police regions (reused when they exist) and the staff user."""
        existing = {o.name: o for o in Organisation.objects.filter(name__in=POLICE_REGIONS)}
        when = _aware(self.prev_start - datetime.timedelta(days=60))
        missing = [
            self.stamp(Organisation(name=n, kind=OrganisationKind.POLICE_REGION), when)
            for n in POLICE_REGIONS
            if n not in existing
        ]
        for obj in self.create(Organisation, missing):
            existing[obj.name] = obj
        User = get_user_model()
        staff = User.objects.filter(username=STAFF_USERNAME).first()
        if staff is None:
            staff = User.objects.create(
                username=STAFF_USERNAME,
                first_name="Nationell",
                last_name="Granskare",
                email=f"{STAFF_USERNAME}@example.se",
                is_staff=True,
                password=self.password,
            )
        return [existing[n] for n in POLICE_REGIONS], staff

    def chunk(self, ms: list[Municipality], staff) -> None:
        self.organisations(ms, staff)
        self.users(ms)
        self.areas(ms)
        self.agreements(ms)
        self.agreement_trees(ms)
        self.forums(ms)
        self.plans(ms)
        self.reports(ms)
        self.indicators(ms)
        # Last: everything under an agreement exists before it is signed.
        self.settle(Agreement, [a for m in ms for a in m.agreements])

    # -- organisations and people --------------------------------------------
