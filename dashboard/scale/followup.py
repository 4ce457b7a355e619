"""Follow-up reports with updates, and indicators with values."""

from __future__ import annotations

import datetime
from decimal import Decimal

from core.choices import ReviewState
from followup.choices import ReportStatus, Rhythm, UpdateStatus
from followup.models import (
    ActivityUpdate,
    FollowUpReport,
    FollowUpRhythm,
    Indicator,
    IndicatorValue,
)

from .base import Municipality, _aware, _quarters, _text, _weighted
from .vocabulary import INDICATORS, UPDATE_STATUSES


class FollowUpMixin:
    """Rhythms, reports with activity updates, indicators with values."""

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
        # Stored as drafts and moved on (settled) once their updates are in: a database
        # trigger refuses rows added to an approved report, which is a record.
        self.create(FollowUpReport, reports, defer=True)
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
        self.settle(FollowUpReport, reports)

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
                approved_at=submitted + datetime.timedelta(days=14),
                approved_by=m.council,
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
