"""Does the municipality meet the law? Lag (2023:196) and Brå's guidance, computed from the data.

Two halves:

* :func:`gather` reads, for any number of municipalities at once, the facts the rules need —
  in a fixed number of queries (one per kind of fact), so the national overview of every
  municipality costs what one municipality's page costs.
* The rules: one small named function per requirement, each reading only its
  :class:`Facts` and answering with a :class:`Result` — a state (met / partly / missing),
  the reason in a sentence, the evidence it rests on and where to fix it. Each rule's
  docstring names its legal or guidance source.

The thresholds (how fresh the lägesbild must be, what share counts as "most") are settings:
``SAMVERKAN_LAW_CHECK = {"FRESH_MONTHS": 12, "SHARE": 0.75}``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from actionplans.choices import PlanStatus
from actionplans.models import ActionPlan, Activity
from agreements.choices import AgreementStatus, PoliceClassification
from agreements.models import Agreement, Area, CitizenPromise, Organisation, Signatory, SubGoal
from followup.choices import DEVIATING_STATUSES, ReportStatus
from followup.models import (
    ActivityUpdate,
    FollowUpReport,
    FollowUpRhythm,
    Indicator,
    IndicatorValue,
)
from forums.choices import ForumKind, Frequency
from forums.models import Attendance, Forum, ForumSeat, Meeting

MET, PARTLY, MISSING = "met", "partly", "missing"
STATE_LABELS = {MET: _("Met"), PARTLY: _("Partly"), MISSING: _("Missing")}

#: Meetings a year each frequency promises (``as needed`` promises none).
MEETINGS_PER_YEAR = {
    Frequency.WEEKLY: 52,
    Frequency.BIWEEKLY: 26,
    Frequency.MONTHLY: 12,
    Frequency.BIMONTHLY: 6,
    Frequency.QUARTERLY: 4,
    Frequency.TERTIAL: 3,
    Frequency.SEMIANNUAL: 2,
    Frequency.YEARLY: 1,
}


def thresholds() -> tuple[int, Decimal]:
    config = getattr(settings, "SAMVERKAN_LAW_CHECK", {})
    return int(config.get("FRESH_MONTHS", 12)), Decimal(str(config.get("SHARE", 0.75)))


# ---------------------------------------------------------------------------
# The facts
# ---------------------------------------------------------------------------


@dataclass
class Council:
    pk: int
    name: str
    frequency: str
    required_seats: int
    meetings: int  # held in the last twelve months
    present: int  # required seats present, summed over those meetings


@dataclass
class Facts:
    """What the rules know of one municipality on ``today``."""

    municipality: Organisation
    today: datetime.date
    since: datetime.date  # the start of the freshness window
    indicators: list[dict] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)  # police classifications
    agreements: list[dict] = field(default_factory=list)
    plans: list[dict] = field(default_factory=list)  # adopted plans in force
    councils: list[Council] = field(default_factory=list)
    sub_goals: int = 0
    measurable_sub_goals: int = 0
    last_due_report: dict | None = None
    deviations_without_remedy: int = 0
    promise_years: set[int] = field(default_factory=set)

    @property
    def agreement(self) -> dict | None:
        """The agreement that governs today: the signed one in force, else the newest."""
        in_force = [a for a in self.agreements if a["in_force"]]
        if in_force:
            return in_force[0]
        return self.agreements[0] if self.agreements else None


def _months_before(day: datetime.date, months: int) -> datetime.date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, 28))


def gather(municipalities, today: datetime.date | None = None) -> dict[int, Facts]:
    """The facts of every municipality in ``municipalities`` (Organisation objects), in a fixed
    number of queries."""
    today = today or timezone.localdate()
    fresh_months, _share = thresholds()
    since = _months_before(today, fresh_months)
    facts = {m.pk: Facts(m, today, since) for m in municipalities}
    ids = list(facts)
    if not ids:
        return facts

    values = Indicator.objects.filter(municipality_id__in=ids).annotate(
        latest_end=Max("values__period_end")
    )
    for row in values.values("municipality_id", "name", "source", "source_limits", "latest_end"):
        facts[row["municipality_id"]].indicators.append(row)

    for muni, classification in Area.objects.filter(municipality_id__in=ids).values_list(
        "municipality_id", "police_classification"
    ):
        facts[muni].areas.append(classification)

    signed = (AgreementStatus.SIGNED,)
    agreements = (
        Agreement.objects.filter(municipality_id__in=ids)
        .annotate(
            signatories_count=Count("signatories", distinct=True),
            has_rhythm=Exists(FollowUpRhythm.objects.filter(agreement_id=OuterRef("pk"))),
        )
        .order_by("municipality_id", "-valid_from", "-pk")
    )
    for a in agreements.values(
        "pk",
        "municipality_id",
        "title",
        "status",
        "valid_from",
        "valid_to",
        "revision_of_id",
        "signatories_count",
        "has_rhythm",
    ):
        a["in_force"] = a["status"] in signed and a["valid_from"] <= today <= a["valid_to"]
        facts[a["municipality_id"]].agreements.append(a)

    has_cause = Exists(Activity.causes.through.objects.filter(activity_id=OuterRef("pk")))
    has_goal = Exists(Activity.sub_goals.through.objects.filter(activity_id=OuterRef("pk")))
    plans = ActionPlan.objects.filter(
        agreement__municipality_id__in=ids,
        status=PlanStatus.ADOPTED,
        valid_from__lte=today,
        valid_to__gte=today,
    )
    linked = {
        row["plan_id"]: row
        for row in Activity.objects.filter(plan__in=plans)
        .annotate(has_cause=has_cause, has_goal=has_goal)
        .values("plan_id")
        .annotate(
            n=Count("pk"),
            with_cause=Count("pk", filter=Q(has_cause=True)),
            with_goal=Count("pk", filter=Q(has_goal=True)),
        )
        .order_by()
    }
    for p in plans.values("pk", "title", "adopted_on", "agreement__municipality_id"):
        counts = linked.get(p["pk"], {"n": 0, "with_cause": 0, "with_goal": 0})
        facts[p["agreement__municipality_id"]].plans.append({**p, **counts})

    councils = Forum.objects.filter(
        municipality_id__in=ids, kind=ForumKind.STRATEGIC_COUNCIL, is_active=True
    )
    held = Meeting.objects.filter(
        forum_id=OuterRef("pk"), cancelled=False, starts_at__date__gte=since
    )
    required = ForumSeat.objects.filter(forum_id=OuterRef("pk"), required=True)
    present = Attendance.objects.filter(
        meeting__forum_id=OuterRef("pk"),
        meeting__cancelled=False,
        meeting__starts_at__date__gte=since,
        seat__required=True,
        present=True,
    )

    for row in councils.annotate(
        meetings_held=_subcount(held, "forum_id"),
        required_seats=_subcount(required, "forum_id"),
        present_seats=_subcount(present, "meeting__forum_id"),
    ).values(
        "pk",
        "municipality_id",
        "name",
        "frequency",
        "meetings_held",
        "required_seats",
        "present_seats",
    ):
        facts[row["municipality_id"]].councils.append(
            Council(
                pk=row["pk"],
                name=row["name"],
                frequency=row["frequency"] or "",
                required_seats=row["required_seats"] or 0,
                meetings=row["meetings_held"] or 0,
                present=row["present_seats"] or 0,
            )
        )

    measurable = Exists(
        Indicator.sub_goals.through.objects.filter(
            subgoal_id=OuterRef("pk"),
            indicator__baseline__isnull=False,
            indicator__target__isnull=False,
        )
    )
    in_force_ids = [f.agreement["pk"] for f in facts.values() if f.agreement]
    for row in (
        SubGoal.objects.filter(focus_area__agreement_id__in=in_force_ids)
        .annotate(measurable=measurable)
        .values("focus_area__agreement__municipality_id")
        .annotate(n=Count("pk"), ok=Count("pk", filter=Q(measurable=True)))
        .order_by()
    ):
        f = facts[row["focus_area__agreement__municipality_id"]]
        f.sub_goals, f.measurable_sub_goals = row["n"], row["ok"]

    last_due = (
        FollowUpReport.objects.filter(agreement__municipality_id=OuterRef("pk"), due_date__lt=today)
        .order_by("-due_date", "-pk")
        .values("pk")[:1]
    )
    report_ids = [
        pk
        for pk in Organisation.objects.filter(pk__in=ids)
        .annotate(report=Subquery(last_due))
        .values_list("report", flat=True)
        if pk
    ]
    for r in FollowUpReport.objects.filter(pk__in=report_ids).values(
        "pk", "title", "due_date", "status", "approved_at", "agreement__municipality_id"
    ):
        facts[r["agreement__municipality_id"]].last_due_report = r

    for muni, n in (
        ActivityUpdate.objects.filter(
            is_latest=True,
            status__in=DEVIATING_STATUSES,
            remedy="",
            activity__plan__agreement__municipality_id__in=ids,
        )
        .values_list("activity__plan__agreement__municipality_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        facts[muni].deviations_without_remedy = n

    for muni, year in (
        CitizenPromise.objects.filter(agreement__municipality_id__in=ids, year__gte=today.year - 1)
        .values_list("agreement__municipality_id", "year")
        .distinct()
    ):
        facts[muni].promise_years.add(year)
    return facts


def _subcount(qs, column: str):
    """A correlated ``COUNT(*)`` of ``qs`` (filtered on ``OuterRef("pk")``) as an annotation."""
    return Subquery(
        qs.order_by().values(column).annotate(c=Count("pk")).values("c")[:1],
    )


# ---------------------------------------------------------------------------
# The rules
# ---------------------------------------------------------------------------


@dataclass
class Result:
    state: str
    reason: str
    evidence: str = ""
    fix_url: str = ""
    fix_label: str = ""

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])


def situation_picture(f: Facts) -> Result:
    """A current lägesbild. Lag (2023:196) 4 §: the municipality shall draw up a picture of
    crime in its area — a survey of crime, its extent and consequences, other relevant
    information and an analysis including causes; Brå: name the sources and their limits. Here: indicator values within the freshness window, every indicator's source
    and its limits stated, and the municipality's areas with their police classification."""
    fresh_months, _share = thresholds()
    url, label = reverse("followup:indicator-list"), _("Indicators")
    if not f.indicators:
        return Result(MISSING, str(_("The municipality has no indicators.")), "", url, str(label))
    fresh = [i for i in f.indicators if i["latest_end"] and i["latest_end"] >= f.since]
    latest = max((i["latest_end"] for i in f.indicators if i["latest_end"]), default=None)
    evidence = ngettext(
        "%(count)s indicator; latest value for a period ending %(date)s",
        "%(count)s indicators; latest value for a period ending %(date)s",
        len(f.indicators),
    ) % {"count": len(f.indicators), "date": date_format(latest) if latest else "–"}
    if not fresh:
        return Result(
            MISSING,
            ngettext(
                "No indicator has a value from the last %(months)s month.",
                "No indicator has a value from the last %(months)s months.",
                fresh_months,
            )
            % {"months": fresh_months},
            evidence,
            url,
            str(label),
        )
    unnamed = [i["name"] for i in f.indicators if not i["source"] or not i["source_limits"].strip()]
    if unnamed:
        return Result(
            PARTLY,
            _("The source or its limits are not stated for: %(names)s.")
            % {"names": ", ".join(sorted(unnamed))},
            evidence,
            url,
            str(label),
        )
    if not f.areas:
        return Result(
            PARTLY,
            str(_("No areas with the police's classification are recorded.")),
            evidence,
            reverse("accounts:manage", args=[f.municipality.pk]) + "#areas",
            str(_("Areas")),
        )
    classified = sum(1 for c in f.areas if c != PoliceClassification.NONE)
    evidence += "; " + ngettext(
        "%(count)s area (%(classified)s classified by the police)",
        "%(count)s areas (%(classified)s classified by the police)",
        len(f.areas),
    ) % {"count": len(f.areas), "classified": classified}
    return Result(MET, str(_("Current, with sources and areas.")), evidence, url, str(label))


def action_plan(f: Facts) -> Result:
    """An adopted action plan based on the lägesbild. Lag (2023:196), "Lägesbild och
    åtgärdsplan": from the lägesbild the municipality takes a position on the need for
    measures and decides on an action plan; Brå's work cycle: measures act on analysed causes.
    Here: an adopted (fastställd) plan in force whose activities (at least the set share)
    name the causes they act on and the sub-goals they serve."""
    _months, share = thresholds()
    url = (
        reverse("actionplans:plan-list")
        if not f.plans
        else reverse("actionplans:plan-detail", args=[f.plans[0]["pk"]])
    )
    label = str(_("Action plan"))
    if not f.plans:
        reason = _("No adopted action plan is in force.")
        return Result(MISSING, str(reason), "", url, label)
    plan = max(f.plans, key=lambda p: (p["adopted_on"] or datetime.date.min, p["pk"]))
    n = plan["n"]
    evidence = ngettext(
        "%(title)s, adopted %(date)s; %(count)s activity, of which %(c)s name causes and "
        "%(g)s sub-goals",
        "%(title)s, adopted %(date)s; %(count)s activities, of which %(c)s name causes and "
        "%(g)s sub-goals",
        n,
    ) % {
        "title": plan["title"],
        "date": date_format(plan["adopted_on"]) if plan["adopted_on"] else "–",
        "count": n,
        "c": plan["with_cause"],
        "g": plan["with_goal"],
    }
    if not plan["adopted_on"] or not n:
        return Result(
            PARTLY,
            str(_("The plan has no adoption date or no activities.")),
            evidence,
            url,
            label,
        )
    if plan["with_cause"] < share * n or plan["with_goal"] < share * n:
        return Result(
            PARTLY,
            _("Fewer than %(share)s %% of the activities name the causes and sub-goals they serve.")
            % {"share": int(share * 100)},
            evidence,
            url,
            label,
        )
    return Result(
        MET, str(_("Adopted, in force, linked to causes and sub-goals.")), evidence, url, label
    )


def coordinating_body(f: Facts) -> Result:
    """A body that coordinates the work. Lag (2023:196), on coordination: the municipality
    takes responsibility for coordinating the local crime-prevention work and has a
    coordinating function (prop. 2022/23:43). Here: an active forum of the kind
    "strategic council under Act (2023:196)", with required seats, meeting at least as often
    as its stated frequency over the freshness window, with the set share of its required
    seats present."""
    _months, share = thresholds()
    url, label = reverse("forums:list"), str(_("Forums"))
    if not f.councils:
        return Result(
            MISSING, str(_("No active strategic council under Act (2023:196).")), "", url, label
        )
    council = max(f.councils, key=lambda c: (c.meetings, c.pk))
    url = reverse("forums:detail", args=[council.pk])
    expected = MEETINGS_PER_YEAR.get(council.frequency)
    seats_present = (
        Decimal(council.present) / (council.required_seats * council.meetings)
        if council.required_seats and council.meetings
        else Decimal(0)
    )
    evidence = _(
        "%(name)s: %(meetings)s meetings in twelve months, %(seats)s required seats, %(rate)s %% present"
    ) % {
        "name": council.name,
        "meetings": council.meetings,
        "seats": council.required_seats,
        "rate": int(seats_present * 100),
    }
    if not council.required_seats:
        return Result(PARTLY, str(_("The council has no required seats.")), evidence, url, label)
    if expected is None or council.meetings < expected:
        reason = (
            _("The council has no stated frequency to meet.")
            if expected is None
            else ngettext(
                "The council met once; its frequency promises %(expected)s.",
                "The council met %(count)s times; its frequency promises %(expected)s.",
                council.meetings,
            )
            % {"count": council.meetings, "expected": expected}
        )
        return Result(PARTLY, str(reason), evidence, url, label)
    if seats_present < share:
        return Result(
            PARTLY,
            _("Fewer than %(share)s %% of the required seats were present.")
            % {"share": int(share * 100)},
            evidence,
            url,
            label,
        )
    return Result(MET, str(_("Meets as promised, with its seats present.")), evidence, url, label)


def police_agreement(f: Facts) -> Result:
    """An agreement with the local police area. The Police's model of collaboration
    (samverkansöverenskommelse) and Brå: signed by both, with signatories and a follow-up
    plan. Here: a signed agreement in force with signatories and a follow-up rhythm — or,
    when the one in force has expired, a draft revision on its way."""
    agreement = f.agreement
    label = str(_("Agreement"))
    if agreement is None:
        return Result(
            MISSING,
            str(_("The municipality has no agreement with the police.")),
            "",
            reverse("agreements:list"),
            label,
        )
    url = reverse("agreements:detail", args=[agreement["pk"]])
    evidence = _("%(title)s, %(start)s–%(end)s") % {
        "title": agreement["title"],
        "start": date_format(agreement["valid_from"]),
        "end": date_format(agreement["valid_to"]),
    }
    if not agreement["in_force"]:
        revision = any(
            a["status"] not in (AgreementStatus.SIGNED, AgreementStatus.SUPERSEDED)
            for a in f.agreements
        )
        if revision:
            return Result(
                PARTLY,
                str(_("No agreement is in force; a new one is being prepared.")),
                evidence,
                url,
                label,
            )
        return Result(MISSING, str(_("No agreement is in force.")), evidence, url, label)
    if not agreement["signatories_count"]:
        return Result(PARTLY, str(_("The agreement names no signatories.")), evidence, url, label)
    if not agreement["has_rhythm"]:
        return Result(
            PARTLY,
            str(_("The agreement has no follow-up rhythm.")),
            evidence,
            reverse("followup:rhythm", args=[agreement["pk"]]),
            str(_("Follow-up rhythm")),
        )
    return Result(
        MET,
        str(_("Signed, in force, with signatories and a follow-up rhythm.")),
        evidence,
        url,
        label,
    )


def measurable_sub_goals(f: Facts) -> Result:
    """Delimited and measurable goals. Brå's guidance on goals in crime prevention: each goal
    followed by a measure. Here: every sub-goal of the agreement in force is linked to at
    least one indicator with a baseline and a target."""
    url, label = reverse("followup:indicator-list"), str(_("Indicators"))
    if not f.sub_goals:
        return Result(MISSING, str(_("The agreement has no sub-goals.")), "", url, label)
    evidence = ngettext(
        "%(ok)s of %(count)s sub-goal linked to an indicator with baseline and target",
        "%(ok)s of %(count)s sub-goals linked to an indicator with baseline and target",
        f.sub_goals,
    ) % {"ok": f.measurable_sub_goals, "count": f.sub_goals}
    if f.measurable_sub_goals == f.sub_goals:
        return Result(MET, str(_("Every sub-goal is measured.")), evidence, url, label)
    state = PARTLY if f.measurable_sub_goals else MISSING
    return Result(
        state,
        str(_("Some sub-goals have no measure with baseline and target.")),
        evidence,
        url,
        label,
    )


def followup_done(f: Facts) -> Result:
    """Follow-up carried out. Brå's work cycle (uppföljning) and the agreement's own
    rhythm: the last report that fell due was approved by its due date, and every
    deviation has a remedy."""
    url, label = reverse("followup:report-list"), str(_("Follow-up reports"))
    report = f.last_due_report
    if report is None:
        return Result(MISSING, str(_("No follow-up report has fallen due yet.")), "", url, label)
    url = reverse("followup:report-detail", args=[report["pk"]])
    evidence = _("%(title)s, due %(date)s") % {
        "title": report["title"],
        "date": date_format(report["due_date"]),
    }
    if report["status"] != ReportStatus.APPROVED:
        return Result(MISSING, str(_("The last report due is not approved.")), evidence, url, label)
    approved_on = (
        timezone.localtime(report["approved_at"]).date() if report["approved_at"] else None
    )
    if approved_on and approved_on > report["due_date"]:
        return Result(
            PARTLY,
            _("The last report was approved late (%(date)s).") % {"date": date_format(approved_on)},
            evidence,
            url,
            label,
        )
    if f.deviations_without_remedy:
        return Result(
            PARTLY,
            ngettext(
                "%(count)s deviation has no remedy.",
                "%(count)s deviations have no remedy.",
                f.deviations_without_remedy,
            )
            % {"count": f.deviations_without_remedy},
            evidence,
            reverse("followup:deviations"),
            str(_("Deviations")),
        )
    return Result(
        MET, str(_("Approved on time; every deviation has a remedy.")), evidence, url, label
    )


def citizen_promises(f: Facts) -> Result:
    """Medborgarlöften for the current year. The Police's model of collaboration: yearly
    citizen promises given by the police and the municipality together."""
    url = (
        reverse("agreements:detail", args=[f.agreement["pk"]])
        if f.agreement
        else reverse("agreements:list")
    )
    label = str(_("Citizen promises"))
    year = f.today.year
    if year in f.promise_years:
        return Result(MET, _("Citizen promises for %(year)s.") % {"year": year}, "", url, label)
    if year - 1 in f.promise_years:
        return Result(
            PARTLY,
            _("Only last year's citizen promises (%(year)s).") % {"year": year - 1},
            "",
            url,
            label,
        )
    return Result(MISSING, _("No citizen promises for %(year)s.") % {"year": year}, "", url, label)


@dataclass(frozen=True)
class Requirement:
    key: str
    title: str
    rule: object


REQUIREMENTS = (
    Requirement("situation_picture", _("A current lägesbild"), situation_picture),
    Requirement("action_plan", _("An adopted action plan"), action_plan),
    Requirement("coordinating_body", _("A coordinating body"), coordinating_body),
    Requirement("police_agreement", _("An agreement with the police"), police_agreement),
    Requirement("measurable_sub_goals", _("Measurable sub-goals"), measurable_sub_goals),
    Requirement("followup_done", _("Follow-up done"), followup_done),
    Requirement("citizen_promises", _("Citizen promises this year"), citizen_promises),
)


#: The models whose rows the rules read (gather); their history records every save and delete.
READS = (
    Indicator,
    IndicatorValue,
    Area,
    Agreement,
    Signatory,
    FollowUpRhythm,
    ActionPlan,
    Activity,
    Forum,
    Meeting,
    ForumSeat,
    Attendance,
    SubGoal,
    FollowUpReport,
    ActivityUpdate,
    CitizenPromise,
    Organisation,
)
#: The m2m tables the rules read (no history of their own): count and sum of the links.
READS_M2M = (
    (Activity.causes.through, "cause_id"),
    (Activity.sub_goals.through, "subgoal_id"),
    (Indicator.sub_goals.through, "subgoal_id"),
)


def national_version() -> str:
    """The version of every row the national overview reads (core.fragments), in one query:
    the newest history record of each model read (an index lookup each) and the count and
    sum of each m2m table's links."""
    from core.fragments import newest, stamp, version

    stamps = [newest(model.history.model._default_manager.all()) for model in READS]
    stamps += [stamp(through.objects.all(), Sum(column)) for through, column in READS_M2M]
    return version(Organisation.objects.all(), stamps)


def check(facts: Facts) -> list[tuple[Requirement, Result]]:
    return [(r, r.rule(facts)) for r in REQUIREMENTS]


def check_municipalities(municipalities, today=None) -> list[tuple[Organisation, list]]:
    """Every requirement for every municipality, in a fixed number of queries."""
    gathered = gather(municipalities, today)
    return [(f.municipality, check(f)) for f in gathered.values()]
