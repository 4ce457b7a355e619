"""Synthetic national-scale data for benchmarks (``python manage.py generate_scale``).

Every kommun in the country on one instance: municipalities with SCB-like codes,
lokalpolisområden (one per three municipalities) in the seven polisregioner, a
few förvaltningar and a housing company each; users with memberships; agreements
in every lifecycle state (a superseded one, the signed one in force, and for
three in five municipalities a revision in draft, review or approved); the tree
below them; action plans with activities, roles and reviews; forums with seats,
meetings, decisions and attendance; quarterly follow-up reports with activity
updates; indicators with values.

History rows are written as real use would leave them: each object has a "+"
row dated when it was made and by whom, and lifecycle moves (draft → review →
approved → signed → superseded, report submitted → approved, an activity's
status) have "~" rows of their own. Everything is written in bulk with
simple-history's ``bulk_create_with_history`` / ``bulk_history_create``: the
model layer's ``save()`` (and with it the signed-agreement guard) is bypassed
on purpose — children are created while the agreement is still a draft, and
the agreement is moved to signed afterwards.

The data are deterministic for a given ``seed`` (dates are anchored to today,
so that the agreement in force is current). Municipality ``i`` (1-based) has
users ``samordnare-000i`` (coordinator), ``kommunpolis-000i`` (police, in the
municipality's lokalpolisområde) and ``kug-000i`` (council member); the staff
user ``nationell`` sees everything. All have the password ``demo``.
"""

from __future__ import annotations

import datetime
import multiprocessing
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connections, models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from actionplans.choices import ActivityKind, ActivityStatus, EffectHorizon, PartyRole, PlanStatus
from actionplans.models import ActionPlan, Activity, ActivityRole, Review
from agreements.choices import (
    AgreementStatus,
    FocusAreaKind,
    OrganisationKind,
    PoliceClassification,
    PromiseStatus,
    Role,
)
from agreements.models import (
    Agreement,
    Area,
    Cause,
    CitizenPromise,
    Commitment,
    FocusArea,
    Membership,
    Organisation,
    Signatory,
    SubGoal,
)
from core.choices import ReviewDecision, ReviewState
from followup.choices import IndicatorSource, ReportStatus, Rhythm, UpdateStatus
from followup.models import (
    ActivityUpdate,
    FollowUpReport,
    FollowUpRhythm,
    Indicator,
    IndicatorValue,
)
from forums.choices import ForumKind, Frequency
from forums.models import Attendance, Forum, ForumSeat, Meeting, MeetingDecision

PASSWORD = "demo"  # noqa: S105 - documented benchmark credentials, refused without DEBUG
STAFF_USERNAME = "nationell"
BATCH = 2000
REASON = "generate_scale"

POLICE_REGIONS = [
    "Polisregion Nord",
    "Polisregion Mitt",
    "Polisregion Stockholm",
    "Polisregion Öst",
    "Polisregion Väst",
    "Polisregion Syd",
    "Polisregion Bergslagen",
]
# SCB county codes and the police region each county belongs to.
COUNTIES = [
    ("01", 2), ("03", 1), ("04", 3), ("05", 3), ("06", 3), ("07", 5), ("08", 5),
    ("09", 2), ("10", 5), ("12", 5), ("13", 4), ("14", 4), ("17", 6), ("18", 6),
    ("19", 6), ("20", 6), ("21", 1), ("22", 0), ("23", 1), ("24", 0), ("25", 0),
]  # fmt: skip
PREFIXES = [
    "Ale", "Björk", "Ek", "Gran", "Hag", "Lind", "Sjö", "Berg", "Dal", "Å",
    "Ljung", "Rön", "Sand", "Sten", "Tall", "Vik", "Öster", "Väster", "Norr", "Söder",
]  # fmt: skip
SUFFIXES = [
    "by", "vik", "ås", "dal", "köping", "holm", "hamn", "sund",
    "berg", "fors", "torp", "näs", "ryd", "strand", "sala",
]  # fmt: skip
DEPARTMENTS = [
    ("Socialförvaltningen", "SOC"),
    ("Barn- och utbildningsförvaltningen", "BUF"),
    ("Samhällsbyggnadsförvaltningen", "SBF"),
]
AREA_NAMES = ["Centrum", "Norra", "Södra", "Västra", "Östra", "Stationsområdet"]
FOCUS_AREAS = [
    ("Trygghet i offentlig miljö", FocusAreaKind.SAFETY),
    ("Barn och unga i riskzon", FocusAreaKind.CRIME_PREVENTION),
    ("Våld i nära relationer", FocusAreaKind.CRIME_PREVENTION),
    ("Narkotika och alkohol", FocusAreaKind.BOTH),
    ("Organiserad brottslighet", FocusAreaKind.CRIME_PREVENTION),
    ("Trafiksäkerhet", FocusAreaKind.SAFETY),
]
ACTIVITY_TITLES = [
    "Trygghetsvandring i {area}",
    "Föräldravandring helger",
    "Samverkan kring skolavslutning",
    "Sociala insatsgrupper",
    "Kameraövervakning {area}",
    "Belysningsinventering {area}",
    "Föreläsning om våld i nära relationer",
    "Tillsyn av serveringstillstånd",
    "Fältarbete kvällstid",
    "Medborgardialog {area}",
    "Klotterpolicy och snabb sanering",
    "Kartläggning av otrygga platser",
]
PHRASES = [
    "Arbetet bygger på lägesbilden och genomförs i samverkan mellan kommunen och polisen.",
    "Insatsen riktas i första hand till platser där otryggheten är störst enligt trygghetsmätningen.",
    "Resultaten följs upp i samordningsgruppen och redovisas för det strategiska rådet.",
    "Aktiviteten samordnas med fastighetsägare, föreningar och skolor i området.",
    "Erfarenheterna från föregående år visar att tidiga insatser ger bäst effekt.",
    "Kommunikation sker via kommunens webbplats och polisens kanaler i sociala medier.",
]
INDICATORS = [
    ("Andel som känner sig otrygga ute sent på kvällen", IndicatorSource.NTU, "%", False),
    ("Anmälda våldsbrott per 100 000 invånare", IndicatorSource.POLICE_STATISTICS, "st", False),
    ("Trygghetsindex", IndicatorSource.POLICE_SURVEY, "index", False),
    ("Andel elever som känner sig trygga i skolan", IndicatorSource.SCHOOL_SURVEY, "%", True),
    ("Skadegörelse per 100 000 invånare", IndicatorSource.POLICE_STATISTICS, "st", False),
    ("Andel unga som använt narkotika", IndicatorSource.LIFE_HEALTH_YOUNG, "%", False),
]
UPDATE_STATUSES = [
    (UpdateStatus.ON_TRACK, 55),
    (UpdateStatus.AT_RISK, 12),
    (UpdateStatus.DELAYED, 10),
    (UpdateStatus.DONE, 15),
    (UpdateStatus.NOT_STARTED, 5),
    (UpdateStatus.CANCELLED, 3),
]
ACTIVITY_STATUSES = [
    (ActivityStatus.IN_PROGRESS, 50),
    (ActivityStatus.PLANNED, 15),
    (ActivityStatus.DONE, 20),
    (ActivityStatus.DELAYED, 12),
    (ActivityStatus.CANCELLED, 3),
]


@dataclass
class ScaleConfig:
    municipalities: int = 290
    activities_per_plan: int = 50
    years: int = 4
    seed: int = 1
    today: datetime.date | None = None
    chunk: int = 12  # municipalities per transaction; a multiple of 3 (police areas)
    workers: int = 2  # processes (PostgreSQL only; one inside a transaction)


@dataclass
class Municipality:
    """Everything generated for one municipality, handed from step to step."""

    index: int
    rng: random.Random
    name: str
    base: str
    code: str
    region: Organisation
    org: Organisation | None = None
    police: Organisation | None = None
    departments: list[Organisation] = field(default_factory=list)
    company: Organisation | None = None
    coordinator: object = None
    officer: object = None
    council: object = None
    areas: list[Area] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)  # previous, current[, revision]
    focus_areas: dict[int, list[FocusArea]] = field(default_factory=dict)
    sub_goals: dict[int, list[SubGoal]] = field(default_factory=dict)  # by focus area pk
    causes: dict[int, list[Cause]] = field(default_factory=dict)
    forums: list[Forum] = field(default_factory=list)  # KUG, KSG, EST
    plans: list[ActionPlan] = field(default_factory=list)  # previous, current
    activities: dict[int, list[Activity]] = field(default_factory=dict)  # by plan pk

    @property
    def previous(self) -> Agreement:
        return self.agreements[0]

    @property
    def current(self) -> Agreement:
        return self.agreements[1]


def municipality_names(count: int, seed: int) -> list[str]:
    names = [p + s.lower() if p.endswith("ö") else p + s for p in PREFIXES for s in SUFFIXES]
    names = [n[0].upper() + n[1:].lower() for n in names]
    random.Random(f"names:{seed}").shuffle(names)
    out, n = [], 0
    while len(out) < count:
        base = names[n % len(names)]
        round_ = n // len(names)
        out.append(base if round_ == 0 else f"{base} {round_ + 1}")
        n += 1
    return out


@contextmanager
def manual_timestamps():
    """Let generated rows carry their own created/updated times (auto_now off meanwhile)."""
    patched = []
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add):
                patched.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in patched:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _snapshot(obj):
    """A shallow copy of a model instance: its field values at this moment."""
    copy = obj.__class__.__new__(obj.__class__)
    copy.__dict__ = obj.__dict__.copy()
    return copy


def _aware(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _weighted(rng: random.Random, options: list[tuple[str, int]]) -> str:
    return rng.choices([o for o, _w in options], weights=[w for _o, w in options])[0]


def _text(rng: random.Random, sentences: int = 2) -> str:
    return " ".join(rng.sample(PHRASES, sentences))


def _quarters(start: datetime.date, today: datetime.date, end: datetime.date):
    """(start, end) of every quarter from ``start`` that has begun by ``today``."""
    y, m = start.year, start.month
    while True:
        q_start = datetime.date(y, m, 1)
        if q_start > today or q_start > end:
            return
        ny, nm = (y, m + 3) if m <= 9 else (y + 1, m - 9)
        q_end = datetime.date(ny, nm, 1) - datetime.timedelta(days=1)
        yield q_start, q_end
        y, m = ny, nm


_GENERATOR: ScaleGenerator | None = None


def _run_chunk(bounds: tuple[int, int]) -> tuple[tuple[int, int], dict[str, int]]:
    """Worker process: generate municipalities ``first..last`` and return the row counts."""
    generator = _GENERATOR
    generator.counts = defaultdict(int)
    generator.run_chunk(*bounds)
    return bounds, dict(generator.counts)


class ScaleGenerator:
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

    # -- bulk helpers ---------------------------------------------------------

    def stamp(self, obj, when: datetime.datetime, user=None):
        """Set the object's own timestamps and who/when for its "+" history row."""
        if hasattr(obj, "created_at"):
            obj.created_at = when
        if hasattr(obj, "updated_at"):
            obj.updated_at = when
        obj._history_date = when
        obj._history_user = user
        return obj

    def later(self, obj, when: datetime.datetime, user, reason: str, **changes):
        """Record a later change of ``obj`` (a "~" history row); the row is stored as it ends."""
        obj.__dict__.setdefault("_story", []).append((when, user, reason, changes))
        return obj

    def create(self, model, objs: list, reason: str = REASON, *, defer: bool = False) -> list:
        """Insert ``objs`` with their history: a "+" row each, and "~" rows for their story.

        Objects are stored in their final state (after the changes recorded with
        :meth:`later`); the history holds every state on its own date and user,
        as ``bulk_create_with_history`` followed by ``bulk_update_with_history``
        would have left it, without the UPDATE round trips.
        """
        if not objs:
            return objs
        if not hasattr(model, "history"):
            objs = model._default_manager.bulk_create(objs, batch_size=BATCH)
            self.counts[model._meta.label] += len(objs)
            return objs
        if defer or not any("_story" in o.__dict__ for o in objs):
            objs = bulk_create_with_history(
                objs, model, batch_size=BATCH, default_change_reason=reason
            )
            self.counts[model._meta.label] += len(objs)
            self.counts[f"{model._meta.label} history"] += len(objs)
            return objs
        firsts, steps = [], []
        for obj in objs:
            firsts.append(_snapshot(obj))
            for when, user, why, changes in obj.__dict__.pop("_story", ()):
                for name, value in changes.items():
                    setattr(obj, name, value)
                obj.version += 1
                obj.updated_at = when
                snap = _snapshot(obj)
                snap._history_date, snap._history_user, snap._change_reason = when, user, why
                steps.append((obj, snap))
        with transaction.atomic(savepoint=False):
            objs = model._default_manager.bulk_create(objs, batch_size=BATCH)
            for obj, first in zip(objs, firsts, strict=True):
                first.pk = obj.pk
            for obj, snap in steps:
                snap.pk = obj.pk
            history = model.history
            history.bulk_history_create(firsts, batch_size=BATCH, default_change_reason=reason)
            history.bulk_history_create([s for _o, s in steps], batch_size=BATCH, update=True)
        self.counts[model._meta.label] += len(objs)
        self.counts[f"{model._meta.label} history"] += len(firsts) + len(steps)
        return objs

    def settle(self, model, objs: list) -> None:
        """Play the recorded stories of rows created with ``defer=True``: UPDATE and "~" rows.

        Used for agreements, whose children must exist before they are signed.
        """
        changed, snaps, fields = [], [], {"version", "updated_at"}
        for obj in objs:
            story = obj.__dict__.pop("_story", ())
            for when, user, why, changes in story:
                for name, value in changes.items():
                    setattr(obj, name, value)
                fields.update(changes)
                obj.version += 1
                obj.updated_at = when
                snap = _snapshot(obj)
                snap._history_date, snap._history_user, snap._change_reason = when, user, why
                snaps.append(snap)
            if story:
                changed.append(obj)
        if changed:
            model._default_manager.bulk_update(changed, sorted(fields), batch_size=BATCH)
            model.history.bulk_history_create(snaps, batch_size=BATCH, update=True)
            self.counts[f"{model._meta.label} history"] += len(snaps)

    def link(self, m2m_field, pairs: Iterable[tuple[int, int]]) -> None:
        """Bulk-create rows of an auto-created many-to-many table."""
        through = m2m_field.remote_field.through
        src = m2m_field.m2m_field_name()
        dst = m2m_field.m2m_reverse_field_name()
        rows = [through(**{f"{src}_id": a, f"{dst}_id": b}) for a, b in pairs]
        through.objects.bulk_create(rows, batch_size=BATCH)
        self.counts[through._meta.label] += len(rows)

    # -- the run --------------------------------------------------------------

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

    def organisations(self, ms: list[Municipality], staff) -> None:
        when = _aware(self.prev_start - datetime.timedelta(days=30))
        tops = []
        for m in ms:
            m.org = self.stamp(
                Organisation(name=m.name, kind=OrganisationKind.MUNICIPALITY, code=m.code),
                when,
                staff,
            )
            tops.append(m.org)
            if (m.index - 1) % 3 == 0:
                m.police = self.stamp(
                    Organisation(
                        name=f"Lokalpolisområde {m.base}",
                        short_name=f"LPO {m.base}"[:40],
                        kind=OrganisationKind.POLICE_AREA,
                        parent=m.region,
                    ),
                    when,
                    staff,
                )
                tops.append(m.police)
        self.create(Organisation, tops)
        children = []
        lpo = None
        for m in ms:
            lpo = m.police or lpo
            m.police = lpo
            for name, short in DEPARTMENTS:
                dep = Organisation(
                    name=f"{name}, {m.base}", short_name=short, kind=OrganisationKind.DEPARTMENT
                )
                dep.parent = m.org
                m.departments.append(self.stamp(dep, when, staff))
            m.company = self.stamp(
                Organisation(name=f"{m.base}hem AB", kind=OrganisationKind.COMPANY, parent=m.org),
                when,
                staff,
            )
            children += [*m.departments, m.company]
        self.create(Organisation, children)

    def users(self, ms: list[Municipality]) -> None:
        User = get_user_model()
        users = []
        for m in ms:
            n = f"{m.index:04d}"
            m.coordinator = User(
                username=f"samordnare-{n}",
                first_name="Samordnare",
                last_name=m.base,
                email=f"samordnare-{n}@example.se",
                password=self.password,
            )
            m.officer = User(
                username=f"kommunpolis-{n}",
                first_name="Kommunpolis",
                last_name=m.base,
                email=f"kommunpolis-{n}@example.se",
                password=self.password,
            )
            m.council = User(
                username=f"kug-{n}",
                first_name="Ledamot",
                last_name=m.base,
                email=f"kug-{n}@example.se",
                password=self.password,
            )
            users += [m.coordinator, m.officer, m.council]
        self.create(User, users)
        when = _aware(self.prev_start - datetime.timedelta(days=20))
        memberships = []
        for m in ms:
            for user, org, role in (
                (m.coordinator, m.org, Role.COORDINATOR),
                (m.officer, m.police, Role.POLICE),
                (m.council, m.org, Role.COUNCIL_MEMBER),
            ):
                memberships.append(
                    self.stamp(Membership(user=user, organisation=org, role=role), when)
                )
        self.create(Membership, memberships)

    def areas(self, ms: list[Municipality]) -> None:
        when = _aware(self.prev_start - datetime.timedelta(days=10))
        areas = []
        for m in ms:
            for k, name in enumerate(AREA_NAMES[:4]):
                label = name if k == 0 else f"{m.base} {name.lower()}"
                classification = PoliceClassification.NONE
                if k == 1 and m.index % 4 == 0:
                    classification = PoliceClassification.VULNERABLE
                elif k == 2 and m.index % 7 == 0:
                    classification = PoliceClassification.RISK
                area = Area(
                    municipality=m.org,
                    name=label,
                    police_classification=classification,
                    socioeconomic_challenges=classification != PoliceClassification.NONE,
                    description=_text(m.rng, 1),
                )
                m.areas.append(self.stamp(area, when, m.coordinator))
                areas.append(area)
        self.create(Area, areas)

    # -- agreements -----------------------------------------------------------

    def agreements(self, ms: list[Municipality]) -> None:
        def agreement(m, start, end, number, revision_of=None):
            a = Agreement(
                title=f"Samverkansöverenskommelse {m.base} {start.year}–{end.year}",
                reference=f"KS {start.year - 1}/{100 + m.index}",
                municipality=m.org,
                police_area=m.police,
                valid_from=start,
                valid_to=end,
                status=AgreementStatus.DRAFT,
                background=_text(m.rng, 4),
                situation_sources="NTU, polisens trygghetsmätning, skolenkäten.",
                purpose=_text(m.rng, 2),
                overall_goal="Ökad trygghet och minskad brottslighet i hela kommunen.",
                organisation_text=_text(m.rng, 2),
                followup_text="Uppföljning sker kvartalsvis i samordningsgruppen.",
                budget_text="Varje part bär sina egna kostnader.",
                communication_text=_text(m.rng, 1),
                decision_body="Kommunstyrelsen",
                decision_date=start - datetime.timedelta(days=40),
                revision_of=revision_of,
                revision_number=number,
                is_public=m.index % 2 == 0,
            )
            return self.stamp(a, _aware(start - datetime.timedelta(days=120)), m.coordinator)

        def with_story(a):
            self.agreement_story(m_of[a.municipality_id], a)
            return a

        for m in ms:
            m.agreements.append(agreement(m, self.prev_start, self.prev_end, 1))
        m_of = {m.org.pk: m for m in ms}
        self.create(Agreement, [with_story(m.previous) for m in ms], defer=True)
        for m in ms:
            m.agreements.append(agreement(m, self.cur_start, self.cur_end, 2, m.previous))
        self.create(Agreement, [with_story(m.current) for m in ms], defer=True)
        revisions = []
        for m in ms:
            if m.index % 5 in (1, 2, 3):
                start = datetime.date(self.today.year + 1, 1, 1)
                end = datetime.date(start.year + self.c.years - 1, 12, 31)
                revision = agreement(m, start, end, 3, m.current)
                self.stamp(
                    revision, _aware(self.today - datetime.timedelta(days=45)), m.coordinator
                )
                m.agreements.append(revision)
                revisions.append(revision)
        self.create(Agreement, [with_story(r) for r in revisions], defer=True)
        self.link(
            Agreement._meta.get_field("other_parties"),
            [(a.pk, m.company.pk) for m in ms for a in m.agreements],
        )

    def agreement_trees(self, ms: list[Municipality]) -> None:
        focus_areas = []
        for m in ms:
            for a in m.agreements:
                chosen = m.rng.sample(FOCUS_AREAS, 4)
                m.focus_areas[a.pk] = []
                for pos, (title, kind) in enumerate(chosen, start=1):
                    fa = FocusArea(
                        agreement=a,
                        position=pos,
                        title=title,
                        description=_text(m.rng, 2),
                        kind=kind,
                    )
                    m.focus_areas[a.pk].append(self.stamp(fa, a.created_at, m.coordinator))
                    focus_areas.append(fa)
        self.create(FocusArea, focus_areas)
        sub_goals, causes, commitments, signatories, promises = [], [], [], [], []
        for m in ms:
            for a in m.agreements:
                for fa in m.focus_areas[a.pk]:
                    m.sub_goals[fa.pk] = [
                        self.stamp(
                            SubGoal(
                                focus_area=fa,
                                position=p,
                                text=f"Delmål {fa.position}.{p}: {fa.title.lower()} ska förbättras "
                                "mätbart under perioden.",
                                measured_by="Trygghetsmätning och anmälningsstatistik.",
                            ),
                            a.created_at,
                            m.coordinator,
                        )
                        for p in range(1, 4)
                    ]
                    m.causes[fa.pk] = [
                        self.stamp(
                            Cause(focus_area=fa, position=p, text=_text(m.rng, 1)),
                            a.created_at,
                            m.coordinator,
                        )
                        for p in range(1, 3)
                    ]
                    sub_goals += m.sub_goals[fa.pk]
                    causes += m.causes[fa.pk]
                for pos, (party, verb) in enumerate(
                    [
                        (m.org, "Kommunen förbinder sig att"),
                        (m.org, "Kommunen förbinder sig att"),
                        (m.police, "Polisen förbinder sig att"),
                        (m.police, "Polisen förbinder sig att"),
                        (None, "Vi åtar oss att"),
                        (None, "Vi åtar oss att"),
                    ],
                    start=1,
                ):
                    fa = m.focus_areas[a.pk][pos % 4] if pos % 2 else None
                    commitments.append(
                        self.stamp(
                            Commitment(
                                agreement=a,
                                focus_area=fa,
                                party=party,
                                position=pos,
                                text=f"{verb} {m.rng.choice(PHRASES).lower()}",
                            ),
                            a.created_at,
                            m.coordinator,
                        )
                    )
                for pos, (name, title, org) in enumerate(
                    [
                        (f"Ordförande {m.base}", "Kommunstyrelsens ordförande", m.org),
                        (f"Chef {m.base}", "Lokalpolisområdeschef", m.police),
                    ],
                    start=1,
                ):
                    signatories.append(
                        self.stamp(
                            Signatory(
                                agreement=a,
                                position=pos,
                                name=name,
                                title=title,
                                organisation=org,
                                place=m.base,
                                signed_on=a.valid_from - datetime.timedelta(days=20)
                                if a.revision_number < 3
                                else None,
                            ),
                            a.created_at,
                            m.coordinator,
                        )
                    )
            for year in range(self.cur_start.year, self.today.year + 1):
                for k in range(2):
                    promise = CitizenPromise(
                        agreement=m.current,
                        year=year,
                        title=f"Medborgarlöfte {year}: {FOCUS_AREAS[(year + k) % 6][0].lower()}",
                        text=_text(m.rng, 2),
                        status=PromiseStatus.ACTIVE
                        if year == self.today.year
                        else PromiseStatus.FULFILLED,
                    )
                    promises.append(
                        self.stamp(promise, _aware(datetime.date(year, 2, 1)), m.coordinator)
                    )
        self.create(SubGoal, sub_goals)
        self.create(Cause, causes)
        self.create(Commitment, commitments)
        self.create(Signatory, signatories)
        self.create(CitizenPromise, promises)
        by_agreement = {m.current.pk: m for m in ms}
        self.link(
            CitizenPromise._meta.get_field("areas"),
            [(p.pk, by_agreement[p.agreement_id].areas[p.year % 4].pk) for p in promises],
        )
        self.link(
            CitizenPromise._meta.get_field("parties"),
            [
                (p.pk, org.pk)
                for p in promises
                for org in (by_agreement[p.agreement_id].org, by_agreement[p.agreement_id].police)
            ],
        )

    # -- forums ---------------------------------------------------------------

    def forums(self, ms: list[Municipality]) -> None:
        specs = [
            ("Kommunala utvecklingsgruppen", "KUG", ForumKind.STRATEGIC_COUNCIL, Frequency.QUARTERLY),
            ("Kommunala samverkansgruppen", "KSG", ForumKind.COORDINATION_GROUP, Frequency.MONTHLY),
            ("Effektiv samordning för trygghet", "EST", ForumKind.OPERATIONAL, Frequency.BIWEEKLY),
        ]  # fmt: skip
        when = _aware(self.prev_start - datetime.timedelta(days=5))
        forums = []
        for m in ms:
            for name, abbr, kind, freq in specs:
                forum = Forum(
                    municipality=m.org,
                    name=f"{name} {m.base}",
                    abbreviation=abbr,
                    purpose=_text(m.rng, 1),
                    kind=kind,
                    frequency=freq,
                    chair="Kommundirektör" if abbr == "KUG" else "Trygghetssamordnare",
                )
                m.forums.append(self.stamp(forum, when, m.coordinator))
            forums += m.forums
        self.create(Forum, forums)
        parents = []
        for m in ms:
            m.forums[1].parent = m.forums[0]
            m.forums[2].parent = m.forums[1]
            parents += m.forums[1:]
        Forum._base_manager.bulk_update(parents, ["parent"], batch_size=BATCH)
        self.link(
            Forum._meta.get_field("agreements"),
            [(f.pk, a.pk) for m in ms for f in m.forums for a in m.agreements],
        )
        seats = []
        seat_specs = [
            [("Kommundirektör", "org"), ("Lokalpolisområdeschef", "police"),
             ("Socialchef", 0), ("VD", "company")],
            [("Trygghetssamordnare", "org"), ("Kommunpolis", "police"),
             ("Rektor", 1), ("Enhetschef", 0)],
            [("Fältsekreterare", 0), ("Kommunpolis", "police"), ("Trygghetssamordnare", "org")],
        ]  # fmt: skip
        for m in ms:
            for forum, spec in zip(m.forums, seat_specs, strict=True):
                for pos, (function, who) in enumerate(spec, start=1):
                    org = (
                        m.departments[who]
                        if isinstance(who, int)
                        else {"org": m.org, "police": m.police, "company": m.company}[who]
                    )
                    seats.append(
                        self.stamp(
                            ForumSeat(
                                forum=forum, organisation=org, function=function, position=pos
                            ),
                            when,
                            m.coordinator,
                        )
                    )
        self.create(ForumSeat, seats)
        seats_by_forum = defaultdict(list)
        for seat in seats:
            seats_by_forum[seat.forum_id].append(seat)
        meetings = []
        cadence = {Frequency.QUARTERLY: 91, Frequency.MONTHLY: 30, Frequency.BIWEEKLY: 14}
        for m in ms:
            for forum in m.forums:
                day = self.cur_start + datetime.timedelta(days=10 + m.index % 7)
                while day < self.today + datetime.timedelta(days=60):
                    if day.month != 7:
                        start = _aware(day, 9 + m.index % 5)
                        meetings.append(
                            self.stamp(
                                Meeting(
                                    forum=forum,
                                    starts_at=start,
                                    ends_at=start + datetime.timedelta(hours=2),
                                    place="Stadshuset"
                                    if forum.abbreviation == "KUG"
                                    else "Polishuset",
                                    agenda="1. Lägesbild\n2. Uppföljning av åtgärdsplanen\n3. Övrigt",
                                    minutes=_text(m.rng, 2) if day < self.today else "",
                                ),
                                start - datetime.timedelta(days=14),
                                m.coordinator,
                            )
                        )
                    day += datetime.timedelta(days=cadence[forum.frequency])
        self.create(Meeting, meetings)
        decisions, attendances = [], []
        rng = random.Random(f"{self.c.seed}:meetings:{ms[0].index}")
        coordinator_of = {m.org.pk: m.coordinator for m in ms}
        forum_muni = {f.pk: f.municipality_id for m in ms for f in m.forums}
        for meeting in meetings:
            if meeting.starts_at.date() >= self.today:
                continue
            who = coordinator_of[forum_muni[meeting.forum_id]]
            after = meeting.starts_at + datetime.timedelta(days=2)
            decisions.append(
                self.stamp(
                    MeetingDecision(
                        meeting=meeting,
                        position=1,
                        text="Lägesbilden godkändes och läggs till handlingarna.",
                    ),
                    after,
                    who,
                )
            )
            for seat in seats_by_forum[meeting.forum_id]:
                attendances.append(
                    self.stamp(
                        Attendance(
                            meeting=meeting,
                            seat=seat,
                            organisation_id=seat.organisation_id,
                            person=seat.function,
                            present=rng.random() < 0.85,
                        ),
                        after,
                        who,
                    )
                )
        self.create(MeetingDecision, decisions)
        self.create(Attendance, attendances)

    # -- action plans ---------------------------------------------------------

    def plan_size(self, m: Municipality) -> int:
        """Between 80 % and 120 % of the configured size (60 activities in some plans at 50)."""
        a = self.c.activities_per_plan
        return max(1, round(a * (0.8 + 0.4 * ((m.index * 7) % 11) / 10)))

    def plans(self, ms: list[Municipality]) -> None:
        plans = []
        for m in ms:
            for a in (m.previous, m.current):
                plan = ActionPlan(
                    agreement=a,
                    title=f"Åtgärdsplan {m.base} {a.valid_from.year}–{a.valid_to.year}",
                    valid_from=a.valid_from,
                    valid_to=a.valid_to,
                    status=PlanStatus.ADOPTED,
                    adopted_on=a.valid_from,
                )
                m.plans.append(self.stamp(plan, _aware(a.valid_from), m.coordinator))
            plans += m.plans
        self.create(ActionPlan, plans)
        activities = []
        for m in ms:
            for plan in m.plans:
                fas = m.focus_areas[plan.agreement_id]
                m.activities[plan.pk] = []
                per_fa = defaultdict(int)
                for n in range(self.plan_size(m)):
                    fa = fas[n % len(fas)]
                    per_fa[fa.pk] += 1
                    area = m.areas[n % len(m.areas)]
                    lead = n % 4
                    responsible = (
                        m.police if lead == 0 else m.org if lead == 1 else m.departments[n % 3]
                    )
                    start = plan.valid_from + datetime.timedelta(days=(n * 37) % 300)
                    activity = Activity(
                        plan=plan,
                        code=f"{fa.position}.{per_fa[fa.pk]}",
                        position=n + 1,
                        title=m.rng.choice(ACTIVITY_TITLES).format(area=area.name),
                        description=_text(m.rng, 3),
                        focus_area=fa,
                        effect_goal="Minskad otrygghet i området enligt trygghetsmätningen.",
                        responsible=responsible,
                        starts_on=start,
                        ends_on=min(plan.valid_to, start + datetime.timedelta(days=365)),
                        schedule="Löpande" if n % 3 else "Varje vår och höst",
                        followup_method="Redovisas kvartalsvis i samordningsgruppen.",
                        communication="Kommunikatör, kommunen",
                        forum=m.forums[1 + n % 2],
                        kind=[ActivityKind.SITUATIONAL, ActivityKind.SOCIAL, ActivityKind.BOTH][
                            n % 3
                        ],
                        horizon=EffectHorizon.SHORT if n % 2 else EffectHorizon.LONG,
                        status=ActivityStatus.PLANNED,
                        review_state=ReviewState.DRAFT,
                    )
                    self.stamp(activity, plan.created_at, m.coordinator)
                    self.activity_story(m, plan, n, activity)
                    m.activities[plan.pk].append(activity)
                activities += m.activities[plan.pk]
        self.create(Activity, activities)
        sub_goal_links, cause_links, area_links, roles, reviews = [], [], [], [], []
        for m in ms:
            for plan in m.plans:
                for n, activity in enumerate(m.activities[plan.pk]):
                    goals = m.sub_goals[activity.focus_area_id]
                    sub_goal_links.append((activity.pk, goals[n % 3].pk))
                    if n % 2:
                        sub_goal_links.append((activity.pk, goals[(n + 1) % 3].pk))
                    cause_links.append((activity.pk, m.causes[activity.focus_area_id][n % 2].pk))
                    if n % 3:
                        area_links.append((activity.pk, m.areas[n % len(m.areas)].pk))
                    police_leads = activity.responsible_id == m.police.pk
                    for org, role in (
                        (m.org, PartyRole.PARTICIPATES if police_leads else PartyRole.LEADS),
                        (m.police, PartyRole.LEADS if police_leads else PartyRole.PARTICIPATES),
                        (m.departments[n % 3], PartyRole.COMMUNICATES),
                    ):
                        roles.append(
                            self.stamp(
                                ActivityRole(
                                    activity=activity,
                                    organisation=org,
                                    role=role,
                                    text=str(role.label),
                                ),
                                activity.created_at,
                                m.coordinator,
                            )
                        )
                    if activity._decision:
                        decision, when = activity._decision
                        reviews.append(
                            self.stamp(
                                Review(
                                    activity=activity,
                                    reviewer=m.officer,
                                    decision=decision,
                                    comment=""
                                    if decision == ReviewDecision.APPROVED
                                    else "Förtydliga hur aktiviteten följs upp.",
                                ),
                                when,
                                m.officer,
                            )
                        )
        self.link(Activity._meta.get_field("sub_goals"), sub_goal_links)
        self.link(Activity._meta.get_field("causes"), cause_links)
        self.link(Activity._meta.get_field("areas"), area_links)
        self.create(ActivityRole, roles)
        self.create(Review, reviews)

    def activity_story(self, m: Municipality, plan, n: int, activity: Activity) -> None:
        """Submitted for review, reviewed by the kommunpolis, then its status moves on."""
        previous = plan.pk == m.plans[0].pk
        submitted = activity.created_at + datetime.timedelta(days=7)
        reviewed = activity.created_at + datetime.timedelta(days=21)
        self.later(
            activity,
            submitted,
            m.coordinator,
            "Skickad för granskning",
            review_state=ReviewState.SUBMITTED,
        )
        activity._decision = None
        if previous or n % 6:
            activity._decision = (ReviewDecision.APPROVED, reviewed)
            self.later(
                activity,
                reviewed,
                m.officer,
                "Granskad av kommunpolis",
                review_state=ReviewState.APPROVED,
            )
        elif n % 12 == 0:
            activity._decision = (ReviewDecision.RETURNED, reviewed)
            self.later(
                activity,
                reviewed,
                m.officer,
                "Granskad av kommunpolis",
                review_state=ReviewState.RETURNED,
            )
        if previous:
            status = ActivityStatus.DONE if n % 9 else ActivityStatus.CANCELLED
        else:
            status = _weighted(m.rng, ACTIVITY_STATUSES)
        if status != ActivityStatus.PLANNED:
            when = min(
                _aware(self.today) - datetime.timedelta(days=3),
                reviewed + datetime.timedelta(days=60),
            )
            self.later(activity, when, m.coordinator, "Status uppdaterad", status=status)

    # -- follow-up ------------------------------------------------------------

    def reports(self, ms: list[Municipality]) -> None:
        rhythms = [
            self.stamp(
                FollowUpRhythm(agreement=a, rhythm=rhythm, due_days=30, forum=m.forums[0]),
                a.created_at,
                m.coordinator,
            )
            for m in ms
            for a, rhythm in ((m.previous, Rhythm.YEARLY), (m.current, Rhythm.QUARTERLY))
        ]
        self.create(FollowUpRhythm, rhythms)
        reports = []
        for m in ms:
            previous_plan, current_plan = m.plans
            for year in range(self.prev_start.year, self.prev_end.year + 1):
                reports.append(
                    self.report(
                        m,
                        previous_plan,
                        f"Helår {year}",
                        datetime.date(year, 1, 1),
                        datetime.date(year, 12, 31),
                    )
                )
            for q_start, q_end in _quarters(self.cur_start, self.today, self.cur_end):
                quarter = (q_start.month - 1) // 3 + 1
                reports.append(
                    self.report(
                        m, current_plan, f"Kvartal {quarter} {q_start.year}", q_start, q_end
                    )
                )
        self.create(FollowUpReport, reports)
        by_plan = {p.pk: (m, p) for m in ms for p in m.plans}
        updates = []
        for report in reports:
            m, plan = by_plan[report.plan_id]
            open_report = report.period_end >= self.today
            for n, activity in enumerate(m.activities[plan.pk]):
                status = _weighted(m.rng, UPDATE_STATUSES)
                deviating = status in (UpdateStatus.AT_RISK, UpdateStatus.DELAYED)
                police_led = activity.responsible_id == m.police.pk
                author = m.officer if police_led else m.coordinator
                written = _aware(report.period_end + datetime.timedelta(days=5 + n % 7))
                if open_report:
                    written = _aware(self.today) - datetime.timedelta(hours=1 + n % 12)
                update = ActivityUpdate(
                    report=report,
                    activity=activity,
                    status=status,
                    progress={
                        UpdateStatus.DONE: 100,
                        UpdateStatus.NOT_STARTED: 0,
                    }.get(status, 10 + (n * 13) % 80),
                    done=_text(m.rng, 2),
                    collaborated_with="Polisen, socialtjänsten och fastighetsägare.",
                    effects="Färre anmälningar om skadegörelse i området." if n % 4 == 0 else "",
                    deviation="Insatsen har försenats på grund av vakanser." if deviating else "",
                    remedy="Resurser omfördelas från annan verksamhet." if deviating else "",
                    author=author,
                    review_state=ReviewState.DRAFT if open_report else ReviewState.SUBMITTED,
                    submitted_at=None if open_report else written,
                )
                self.stamp(update, written, author)
                if report._final_state == ReportStatus.APPROVED:
                    reviewer = m.coordinator if police_led else m.officer
                    when = _aware(report.period_end + datetime.timedelta(days=20))
                    self.later(
                        update,
                        when,
                        reviewer,
                        "Godkänd",
                        review_state=ReviewState.APPROVED,
                        reviewed_by=reviewer,
                        reviewed_at=when,
                    )
                updates.append(update)
        latest = {}  # is_latest: each activity's update of the report that ends last
        for update in updates:
            seen = latest.get(update.activity_id)
            if seen is None or update.report.period_end > seen.report.period_end:
                latest[update.activity_id] = update
        for update in latest.values():
            update.is_latest = True
        self.create(ActivityUpdate, updates)

    def report(self, m, plan, title, start, end) -> FollowUpReport:
        report = FollowUpReport(
            agreement_id=plan.agreement_id,
            plan=plan,
            title=title,
            period_start=start,
            period_end=end,
            due_date=end + datetime.timedelta(days=30),
            presented_to=m.forums[0],
            status=ReportStatus.DRAFT,
            summary=_text(m.rng, 2),
            conclusions=_text(m.rng, 1) if end < self.today else "",
        )
        if end >= self.today:
            report._final_state = ReportStatus.DRAFT
        elif end + datetime.timedelta(days=28) >= self.today:
            report._final_state = ReportStatus.SUBMITTED
        else:
            report._final_state = ReportStatus.APPROVED
        created = min(_aware(end + datetime.timedelta(days=1)), _aware(self.today, 8))
        if end >= self.today:
            created = _aware(start + datetime.timedelta(days=7))
        self.stamp(report, created, m.coordinator)
        submitted = _aware(end + datetime.timedelta(days=14))
        if report._final_state != ReportStatus.DRAFT:
            self.later(report, submitted, m.coordinator, "Inlämnad", status=ReportStatus.SUBMITTED)
        if report._final_state == ReportStatus.APPROVED:
            self.later(
                report,
                submitted + datetime.timedelta(days=14),
                m.council,
                "Godkänd i strategiska rådet",
                status=ReportStatus.APPROVED,
            )
        return report

    def indicators(self, ms: list[Municipality]) -> None:
        indicators = []
        first_year = self.prev_start.year
        for m in ms:
            for name, source, unit, higher in INDICATORS:
                base = Decimal(m.rng.randint(20, 80))
                indicators.append(
                    self.stamp(
                        Indicator(
                            municipality=m.org,
                            name=name,
                            source=source,
                            unit=unit,
                            higher_is_better=higher,
                            baseline=base,
                            baseline_year=first_year,
                            target=base + (5 if higher else -5),
                            target_year=self.cur_end.year,
                            source_limits="Urvalsundersökning; osäkerheten är större i små områden.",
                            description="",
                        ),
                        _aware(self.prev_start - datetime.timedelta(days=3)),
                        m.coordinator,
                    )
                )
        self.create(Indicator, indicators)
        muni = {m.org.pk: m for m in ms}
        values, links = [], []
        for ind in indicators:
            m = muni[ind.municipality_id]
            goals = m.sub_goals[m.focus_areas[m.current.pk][0].pk]
            links.append((ind.pk, goals[len(values) % 3].pk))
            for year in range(first_year, self.today.year):
                for area in [None, *m.areas[1:3]]:
                    drift = Decimal(m.rng.randint(-30, 30)) / 10
                    values.append(
                        self.stamp(
                            IndicatorValue(
                                indicator=ind,
                                area=area,
                                period_start=datetime.date(year, 1, 1),
                                period_end=datetime.date(year, 12, 31),
                                value=ind.baseline + drift,
                                note="",
                            ),
                            _aware(datetime.date(year + 1, 3, 1)),
                            m.coordinator,
                        )
                    )
        self.link(Indicator._meta.get_field("sub_goals"), links)
        self.create(IndicatorValue, values)

    def agreement_story(self, m: Municipality, a: Agreement) -> None:
        """Draft → review → approved → signed (→ superseded), each by whom it falls to."""
        start = a.valid_from
        if a.revision_number == 3:
            target = [None, AgreementStatus.REVIEW, AgreementStatus.APPROVED, None, None][
                m.index % 5
            ]
            if target:
                when = _aware(self.today - datetime.timedelta(days=30))
                self.later(
                    a, when, m.coordinator, "Skickad på remiss", status=AgreementStatus.REVIEW
                )
            if target == AgreementStatus.APPROVED:
                when = _aware(self.today - datetime.timedelta(days=10))
                self.later(
                    a,
                    when,
                    m.council,
                    "Beslutad i kommunstyrelsen",
                    status=AgreementStatus.APPROVED,
                )
            return
        for status, days, user, reason in (
            (AgreementStatus.REVIEW, 90, m.coordinator, "Skickad på remiss"),
            (AgreementStatus.APPROVED, 40, m.council, "Beslutad i kommunstyrelsen"),
        ):
            self.later(
                a, _aware(start - datetime.timedelta(days=days)), user, reason, status=status
            )
        signed = _aware(start - datetime.timedelta(days=20))
        self.later(
            a,
            signed,
            m.coordinator,
            "Undertecknad",
            status=AgreementStatus.SIGNED,
            signed_at=signed,
        )
        if a.revision_number == 1:
            self.later(
                a,
                _aware(self.cur_start - datetime.timedelta(days=20)),
                m.coordinator,
                "Ersatt av reviderad överenskommelse",
                status=AgreementStatus.SUPERSEDED,
            )
