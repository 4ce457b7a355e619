"""Demo data for the followup app: Eskilstuna's reports, updates, indicators and deviations.

Runs last in ``load_demo``. Idempotent: the rhythm, reports and indicators are
found by their natural keys; a report's updates are only written while it has none.
If the Eskilstuna plan has no activities yet, only the rhythm and indicators are made.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from actionplans.models import ActionPlan
from agreements.choices import Role
from agreements.demo import DemoContext
from agreements.demo import user as demo_user
from agreements.models import Agreement, Area, Organisation
from forums.models import Forum

from . import services
from .choices import IndicatorSource, ReportStatus, Rhythm, UpdateStatus
from .models import ActivityUpdate, FollowUpReport, FollowUpRhythm, Indicator, IndicatorValue

S = UpdateStatus

#: Status of an activity in the four demo reports, by pattern.
PATTERNS = [
    (S.ON_TRACK, S.ON_TRACK, S.DONE, S.DONE),
    (S.NOT_STARTED, S.ON_TRACK, S.AT_RISK, S.DELAYED),
    (S.ON_TRACK, S.DELAYED, S.DELAYED, S.DELAYED),
    (S.ON_TRACK, S.ON_TRACK, S.ON_TRACK, S.ON_TRACK),
    (S.NOT_STARTED, S.NOT_STARTED, S.CANCELLED, S.CANCELLED),
    (S.ON_TRACK, S.AT_RISK, S.ON_TRACK, S.AT_RISK),
]
PROGRESS = {
    S.NOT_STARTED: 0,
    S.ON_TRACK: 50,
    S.AT_RISK: 40,
    S.DELAYED: 25,
    S.DONE: 100,
    S.CANCELLED: 0,
}

INDICATORS = [
    {
        "name": "Trygghetsindex",
        "source": IndicatorSource.POLICE_SURVEY,
        "unit": "index 0–6",
        "higher_is_better": False,
        "baseline": Decimal("1.9"),
        "baseline_year": 2023,
        "target": Decimal("1.5"),
        "target_year": 2027,
        "source_limits": (
            "Polisens trygghetsmätning: enkät till ett slumpat urval boende. Lågt svarsantal i "
            "enskilda områden; jämför områden med försiktighet. Lägre index betyder färre problem."
        ),
        "values": [(2021, "2,1"), (2022, "2,0"), (2023, "1,9"), (2024, "1,8"), (2025, "1,85")],
        "area_values": {
            "Lagersberg": [(2023, "2,9"), (2024, "2,7"), (2025, "2,6")],
            "Fröslunda": [(2023, "2,8"), (2024, "2,8"), (2025, "2,5")],
        },
    },
    {
        "name": "Anmälda våldsbrott per 100 000 invånare",
        "source": IndicatorSource.POLICE_STATISTICS,
        "unit": "per 100 000 inv.",
        "higher_is_better": False,
        "baseline": Decimal("1180"),
        "baseline_year": 2023,
        "target": Decimal("1000"),
        "target_year": 2027,
        "source_limits": (
            "Polisens anmälningsstatistik speglar anmälningsbenägenhet och polisens egen "
            "aktivitet, inte bara den faktiska brottsligheten."
        ),
        "values": [(2021, "1245"), (2022, "1210"), (2023, "1180"), (2024, "1132"), (2025, "1098")],
    },
    {
        "name": "Andel elever i årskurs 9 som känner sig trygga i skolan",
        "source": IndicatorSource.SCHOOL_SURVEY,
        "unit": "%",
        "higher_is_better": True,
        "baseline": Decimal("84"),
        "baseline_year": 2023,
        "target": Decimal("90"),
        "target_year": 2027,
        "source_limits": (
            "Skolenkäten genomförs vartannat år; svarsfrekvensen varierar mellan skolor."
        ),
        "values": [(2021, "82,5"), (2023, "84"), (2025, "86,5")],
    },
    {
        "name": "Andel som avstår från aktiviteter på grund av otrygghet",
        "source": IndicatorSource.NTU,
        "unit": "%",
        "higher_is_better": False,
        "baseline": Decimal("17"),
        "baseline_year": 2023,
        "target": Decimal("14"),
        "target_year": 2027,
        "source_limits": (
            "Nationella trygghetsundersökningen (Brå): kommunala resultat bygger på få svar och "
            "har stora felmarginaler."
        ),
        "values": [(2022, "18"), (2023, "17"), (2024, "17,5"), (2025, "16")],
    },
]


def _user(ctx: DemoContext, username: str):
    return ctx.users.get(username) or get_user_model().objects.filter(username=username).first()


def _agreement(ctx: DemoContext) -> Agreement | None:
    agreement = ctx.agreements.get("eskilstuna")
    if agreement is not None:
        return agreement
    return (
        Agreement.objects.filter(municipality__name="Eskilstuna kommun", revision_of__isnull=True)
        .order_by("valid_from", "pk")
        .first()
    )


def _plan(ctx: DemoContext, agreement: Agreement) -> ActionPlan | None:
    plan = ctx.plans.get("eskilstuna")
    if plan is not None and plan.agreement_id == agreement.pk:
        return plan
    return agreement.plans.order_by("-valid_from", "-pk").first()


def _forum(ctx: DemoContext, agreement: Agreement, key: str, abbreviation: str):
    forum = ctx.forums.get(key)
    if forum is not None:
        return forum
    return Forum.objects.filter(
        municipality_id=agreement.municipality_id, abbreviation__iexact=abbreviation
    ).first()


def load_indicators(municipality: Organisation) -> None:
    areas = {a.name: a for a in Area.objects.filter(municipality=municipality)}
    for spec in INDICATORS:
        spec = dict(spec)
        values = spec.pop("values")
        area_values = spec.pop("area_values", {})
        indicator = Indicator.objects.filter(municipality=municipality, name=spec["name"]).first()
        if indicator is None:
            indicator = Indicator(municipality=municipality, **spec)
            indicator.full_clean()
            indicator.save()
        rows = [(None, year, value) for year, value in values]
        for area_name, series in area_values.items():
            if area_name in areas:
                rows += [(areas[area_name], year, value) for year, value in series]
        for area, year, value in rows:
            start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
            if IndicatorValue.objects.filter(
                indicator=indicator, area=area, period_start=start, period_end=end
            ).exists():
                continue
            obj = IndicatorValue(
                indicator=indicator,
                area=area,
                period_start=start,
                period_end=end,
                value=services.parse_decimal(value),
            )
            obj.full_clean()
            obj.save()


def _texts(activity, status) -> dict:
    texts = {
        "done": f"Arbetet med {activity.title[:80].lower()} har fortsatt enligt planen.",
        "collaborated_with": "Kommunens förvaltningar, lokalpolisområdet och berörda föreningar.",
        "effects": "",
        "deviation": "",
        "remedy": "",
    }
    if status == S.DONE:
        texts["effects"] = "Aktiviteten är genomförd; effekten följs upp i nästa trygghetsmätning."
    if status == S.AT_RISK:
        texts["deviation"] = "Bemanningen räcker inte för att hålla tidplanen under hösten."
        texts["remedy"] = "Samordningsgruppen omfördelar resurser; ny bedömning vid nästa möte."
    if status == S.DELAYED:
        texts["deviation"] = "Starten har skjutits upp i väntan på beslut om finansiering."
        texts["remedy"] = "Frågan lyfts till styrgruppen; ny tidplan tas fram inom två månader."
    if status == S.CANCELLED:
        texts["deviation"] = "Aktiviteten har ersatts av en annan insats i åtgärdsplanen."
    return texts


def _write_updates(report, activities, index, coordinator, police, *, last: bool) -> None:
    """Updates for one report; the last (open) report gets every review state."""
    for number, activity in enumerate(activities):
        status = PATTERNS[number % len(PATTERNS)][index]
        update = ActivityUpdate(
            report=report,
            activity=activity,
            status=status,
            progress=PROGRESS[status],
            **_texts(activity, status),
        )
        update = services.activity_update_save(update=update, user=coordinator)
        if last:
            state = number % 4  # 0 draft, 1 submitted, 2 returned, 3 approved
            if state == 0:
                continue
            services.update_submit(update=update, user=coordinator)
            if state == 2:
                services.update_return(
                    update=update,
                    user=police or coordinator,
                    comment="Beskriv tydligare vad som gjorts under perioden.",
                )
            elif state == 3:
                services.update_approve(update=update, user=police or coordinator)
        else:
            services.update_submit(update=update, user=coordinator)
            services.update_approve(update=update, user=police or coordinator)


def _load_reporter(agreement) -> None:
    """A förvaltning's reporter (``rapportor``), who writes that unit's updates."""
    unit = Organisation.objects.filter(
        parent=agreement.municipality, name="Barn- och utbildningsförvaltningen"
    ).first()
    if unit is not None:
        demo_user("rapportor", "Rut", "Rapportör", [(unit, Role.REPORTER)])


def load(ctx: DemoContext) -> None:
    agreement = _agreement(ctx)
    if agreement is None:
        ctx.log.append("followup: no Eskilstuna agreement; nothing to follow up")
        return
    load_indicators(agreement.municipality)
    _load_reporter(agreement)
    coordinator = _user(ctx, "samordnare")
    police = _user(ctx, "kommunpolis")
    if coordinator is None:
        return
    rhythm = FollowUpRhythm.objects.filter(agreement=agreement).first()
    if rhythm is None:
        rhythm = FollowUpRhythm(
            agreement=agreement,
            rhythm=Rhythm.INTERIM_AND_ANNUAL,
            due_days=30,
            forum=_forum(ctx, agreement, "kug", "KUG"),
        )
        services.rhythm_save(rhythm=rhythm, user=coordinator)
    plan = _plan(ctx, agreement)
    activities = list(plan.activities.order_by("position", "pk")) if plan else []
    if not activities:
        ctx.log.append("followup: the Eskilstuna plan has no activities yet; no reports made")
        return
    last_year = min(timezone.localdate().year, agreement.valid_to.year)
    years = [y for y in (last_year - 1, last_year) if y >= agreement.valid_from.year]
    for year in years:
        services.reports_create_for_year(agreement=agreement, year=year)
    reports = list(
        FollowUpReport.objects.filter(
            agreement=agreement, period_end__year__in=years, plan=plan
        ).order_by("period_end", "pk")
    )[-4:]
    for index, report in enumerate(reports):
        if report.updates.exists():
            continue
        last = index == len(reports) - 1
        pattern_index = index + (4 - len(reports))
        _write_updates(report, activities, pattern_index, coordinator, police, last=last)
        if not last:
            if not report.summary:
                report.summary = (
                    "Arbetet i åtgärdsplanen går i huvudsak enligt plan. Några aktiviteter är "
                    "försenade eller har risk för förseningar; de redovisas med åtgärder nedan."
                )
                report.conclusions = (
                    "Samordningsgruppen föreslår att resurser omfördelas till de försenade "
                    "aktiviteterna och att trygghetsmätningen följs upp i nästa rapport."
                )
                report.save()
            services.report_submit(report=report, user=coordinator)
            services.report_approve(report=report, user=coordinator)
    ctx.log.append(
        f"followup: {len(reports)} reports, "
        f"{FollowUpReport.objects.filter(agreement=agreement, status=ReportStatus.APPROVED).count()}"
        " approved"
    )
