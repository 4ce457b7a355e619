"""What an approved report showed, kept with it (``FollowUpReport.snapshot``).

Approving a report freezes its contents: the updates are locked by the models, and this
module stores the rest of what the page and the PDF print — each activity's code, title,
focus area and responsible unit, and the indicator values the report cites — as a JSON
document with a schema version. An approved report is then shown from the snapshot, so
later changes to the plan or the lägesbild leave it as it was approved.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from actionplans.models import Activity
from agreements.models import FocusArea, Organisation

from .models import FollowUpReport, Indicator, IndicatorValue

SCHEMA = 1


def _number(value) -> str | None:
    return None if value is None else str(value)


def _decimal(text) -> Decimal | None:
    return None if text is None else Decimal(text)


def take(report: FollowUpReport) -> dict:
    """The snapshot of ``report`` as it stands (call when it is approved)."""
    activities = (
        report.activities()
        .select_related("focus_area", "responsible")
        .order_by("focus_area__position", "plan_id", "position", "pk")
    )
    values = IndicatorValue.objects.filter(
        area__isnull=True, period_end__lte=report.period_end
    ).order_by("period_start", "period_end", "pk")
    indicators = Indicator.objects.filter(municipality_id=report.agreement.municipality_id)
    series: dict[int, list] = {}
    for value in values.filter(indicator__in=indicators):
        series.setdefault(value.indicator_id, []).append(
            {
                "start": value.period_start.isoformat(),
                "end": value.period_end.isoformat(),
                "value": str(value.value),
            }
        )
    return {
        "schema": SCHEMA,
        "activities": [
            {
                "id": a.pk,
                "plan_id": a.plan_id,
                "code": a.code,
                "title": a.title,
                "position": a.position,
                "focus_area": None
                if a.focus_area is None
                else {
                    "id": a.focus_area_id,
                    "title": a.focus_area.title,
                    "position": a.focus_area.position,
                },
                "responsible": None
                if a.responsible is None
                else {"id": a.responsible_id, "name": a.responsible.name},
            }
            for a in activities
        ],
        "indicators": [
            {
                "id": i.pk,
                "name": i.name,
                "unit": i.unit,
                "source": i.source,
                "higher_is_better": i.higher_is_better,
                "baseline": _number(i.baseline),
                "baseline_year": i.baseline_year,
                "target": _number(i.target),
                "target_year": i.target_year,
                "values": series.get(i.pk, []),
            }
            for i in indicators.order_by("name", "pk")
        ],
    }


def activities(snapshot: dict) -> list[Activity]:
    """The report's activities as they were at approval (unsaved instances, in order)."""
    result = []
    for row in snapshot["activities"]:
        activity = Activity(
            pk=row["id"],
            plan_id=row["plan_id"],
            code=row["code"],
            title=row["title"],
            position=row["position"],
        )
        if row["focus_area"]:
            fa = row["focus_area"]
            activity.focus_area = FocusArea(pk=fa["id"], title=fa["title"], position=fa["position"])
        if row["responsible"]:
            activity.responsible = Organisation(
                pk=row["responsible"]["id"], name=row["responsible"]["name"]
            )
        result.append(activity)
    return result


def indicators(snapshot: dict) -> list[tuple[Indicator, list[IndicatorValue]]]:
    """The indicators and their municipality-wide values as the report cited them."""
    result = []
    for row in snapshot["indicators"]:
        indicator = Indicator(
            pk=row["id"],
            name=row["name"],
            unit=row["unit"],
            source=row["source"],
            higher_is_better=row["higher_is_better"],
            baseline=_decimal(row["baseline"]),
            baseline_year=row["baseline_year"],
            target=_decimal(row["target"]),
            target_year=row["target_year"],
        )
        values = [
            IndicatorValue(
                indicator=indicator,
                period_start=datetime.date.fromisoformat(v["start"]),
                period_end=datetime.date.fromisoformat(v["end"]),
                value=Decimal(v["value"]),
            )
            for v in row["values"]
        ]
        result.append((indicator, values))
    return result
