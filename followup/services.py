"""Writes of the followup app: report rhythm, activity updates and their review, indicator values.

Every function is keyword-only, atomic and checks access itself, so that a view,
a management command or the shell cannot skip a rule.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from actionplans.choices import ActivityStatus
from agreements import access
from agreements.models import Agreement, Area
from core import jobs
from core.choices import ReviewState
from core.mail import MAIL_ERRORS
from core.mail import logger as mail_logger
from core.models import EARLIEST, LATEST, ServiceJob, check_version, date_range_error
from core.pdf import PdfError
from core.tabular import NotASpreadsheet, read_table

from . import selectors
from .choices import ReportStatus, Rhythm, UpdateStatus
from .models import ActivityUpdate, FollowUpReport, FollowUpRhythm, Indicator, IndicatorValue

#: How an approved update moves the activity's current status.
ACTIVITY_STATUS_FOR_UPDATE = {
    UpdateStatus.NOT_STARTED: ActivityStatus.PLANNED,
    UpdateStatus.ON_TRACK: ActivityStatus.IN_PROGRESS,
    UpdateStatus.AT_RISK: ActivityStatus.IN_PROGRESS,
    UpdateStatus.DELAYED: ActivityStatus.DELAYED,
    UpdateStatus.DONE: ActivityStatus.DONE,
    UpdateStatus.CANCELLED: ActivityStatus.CANCELLED,
}


# ---------------------------------------------------------------------------
# Rhythm: the year's reports
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    title: str
    start: datetime.date
    end: datetime.date
    is_annual: bool


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def rhythm_periods(*, rhythm: FollowUpRhythm, year: int) -> list[Period]:
    """The follow-up periods of ``year`` under ``rhythm`` (titles in the site's language)."""
    months = rhythm.end_months
    periods = []
    with translation.override(settings.LANGUAGE_CODE):
        previous_end = 0
        for number, month in enumerate(months, start=1):
            is_annual = month == 12 and (
                rhythm.rhythm in (Rhythm.INTERIM_AND_ANNUAL, Rhythm.YEARLY) or len(months) == 1
            )
            if rhythm.rhythm == Rhythm.INTERIM_AND_ANNUAL:
                # Swedish municipal accounts: delår 2 (January–August) and helår, both cumulative.
                start = datetime.date(year, 1, 1)
            else:
                start = datetime.date(year, previous_end + 1, 1)
            previous_end = month
            values = {"number": number, "year": year}
            if is_annual:
                title = _("Full year %(year)s") % values
            elif rhythm.rhythm == Rhythm.QUARTERLY:
                title = _("Quarter %(number)s %(year)s") % values
            elif rhythm.rhythm == Rhythm.TERTIAL:
                title = _("Tertial %(number)s %(year)s") % values
            elif rhythm.rhythm == Rhythm.INTERIM_AND_ANNUAL:
                title = _("Interim report 2 %(year)s") % values
            else:
                title = _("Period %(number)s %(year)s") % values
            periods.append(Period(title, start, _month_end(year, month), is_annual))
    return periods


def rhythm_save(*, rhythm: FollowUpRhythm, user, version: int | None = None) -> FollowUpRhythm:
    """Save an agreement's follow-up rhythm (coordinators of the municipality).

    An edit names the version it started from; the check locks the row, so it runs in
    this transaction (in the view, outside one, PostgreSQL refused ``select_for_update``).
    """
    _require_coordinator(user, rhythm.agreement)
    with transaction.atomic():
        check_version(rhythm, version)
        rhythm.full_clean()
        rhythm.save()
    return rhythm


def reports_create_for_year(*, agreement: Agreement, year: int, user=None) -> list[FollowUpReport]:
    """Create the reports of ``year`` following the agreement's rhythm; existing ones are kept.

    Periods are clipped to the agreement's period; a period wholly outside it is skipped.
    Returns the reports created.
    """
    if user is not None:
        _require_coordinator(user, agreement)
    if not agreement.valid_from.year <= year <= agreement.valid_to.year:
        raise ValidationError(
            {
                "year": _("The year must lie within the agreement's period (%(start)s–%(end)s).")
                % {"start": agreement.valid_from.year, "end": agreement.valid_to.year}
            }
        )
    rhythm = FollowUpRhythm.objects.filter(agreement=agreement).first()
    if rhythm is None:
        rhythm = FollowUpRhythm(agreement=agreement)
    plans = list(agreement.plans.order_by("-valid_from", "-pk"))
    created = []
    with transaction.atomic():
        for period in rhythm_periods(rhythm=rhythm, year=year):
            start = max(period.start, agreement.valid_from)
            end = min(period.end, agreement.valid_to)
            if start > end:
                continue
            if FollowUpReport.objects.filter(
                agreement=agreement, period_start=start, period_end=end
            ).exists():
                continue
            plan = next((p for p in plans if p.valid_from <= end), plans[-1] if plans else None)
            forum = (rhythm.annual_forum if period.end.month == 12 else None) or rhythm.forum
            report = FollowUpReport(
                agreement=agreement,
                plan=plan,
                title=period.title,
                period_start=start,
                period_end=end,
                due_date=end + datetime.timedelta(days=rhythm.due_days),
                presented_to=forum,
            )
            report.full_clean()
            report.save()
            created.append(report)
    return created


# ---------------------------------------------------------------------------
# Reports
# ---------------------------------------------------------------------------


def _require_coordinator(user, agreement: Agreement) -> None:
    if agreement.municipality_id not in access.edits(user):
        raise PermissionDenied(_("Only the municipality's coordinators may do this."))


def report_save(*, report: FollowUpReport, user, version: int | None = None) -> FollowUpReport:
    """Create or change a report's heading, period, forum, summary and conclusions."""
    _require_coordinator(user, report.agreement)
    with transaction.atomic():
        check_version(report, version)
        report.full_clean()
        report.save()
    return report


def _not_ready(report: FollowUpReport, ready: set[str]) -> list[str]:
    """The report's activities whose update is not in one of the ``ready`` review states,
    each named with what it lacks ("1.2 Trygga skolvägar (ingen uppdatering)")."""
    states = dict(report.updates.values_list("activity_id", "review_state"))
    labels = dict(ReviewState.choices)
    missing = []
    for activity in report.activities().order_by("plan_id", "position", "pk"):
        state = states.get(activity.pk)
        if state in ready:
            continue
        what = _("no update") if state is None else str(labels.get(state, state)).lower()
        missing.append(f"{activity} ({what})")
    return missing


def _refuse_incomplete(message: str, missing: list[str]) -> None:
    shown = missing[:MISSING_SHOWN]
    if len(missing) > len(shown):
        shown.append(
            ngettext("and %(count)s more", "and %(count)s more", len(missing) - len(shown))
            % {"count": len(missing) - len(shown)}
        )
    raise ValidationError(f"{message} {'; '.join(shown)}.")


#: How many of the activities still missing a refusal names.
MISSING_SHOWN = 10


def report_submit(*, report: FollowUpReport, user) -> FollowUpReport:
    """Draft → submitted, once every activity has an update that has been handed in."""
    _require_coordinator(user, report.agreement)
    with transaction.atomic():
        report = FollowUpReport.objects.select_for_update().get(pk=report.pk)
        if report.status != ReportStatus.DRAFT:
            raise ValidationError(_("Only a draft report can be submitted."))
        missing = _not_ready(report, {ReviewState.SUBMITTED, ReviewState.APPROVED})
        if missing:
            _refuse_incomplete(
                _(
                    "Every activity needs a submitted update (or to be marked as not reported, "
                    "with a reason) before the report can be submitted. Still missing:"
                ),
                missing,
            )
        report.status = ReportStatus.SUBMITTED
        report.full_clean()
        report.save()
    return report


def _approval_checked(*, report: FollowUpReport, user) -> FollowUpReport:
    """The report, locked, when ``user`` may approve it now; else a ``ValidationError`` or 403.
    Call inside a transaction."""
    _require_coordinator(user, report.agreement)
    report = (
        FollowUpReport.objects.select_for_update()
        .select_related("agreement__municipality")
        .get(pk=report.pk)
    )
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be approved."))
    missing = _not_ready(report, {ReviewState.APPROVED})
    if missing:
        _refuse_incomplete(
            _(
                "The report can be approved only when every activity's update is approved "
                "or the activity is marked as not reported, with a reason. Still missing:"
            ),
            missing,
        )
    return report


def report_approve_start(*, report: FollowUpReport, user) -> ServiceJob:
    """Check the approval now and leave the approval itself (which prints and stores the
    report's PDF) to the task worker (:mod:`core.jobs`). Returns the job; a
    ``ValidationError`` means nothing was queued."""
    with transaction.atomic():
        report = _approval_checked(report=report, user=user)
    return jobs.start(
        kind="report_approve",
        user=user,
        target_pk=report.pk,
        title=_("Approving %(report)s") % {"report": report.title},
        next_url=report.get_absolute_url(),
    )


def report_approve_from_job(job: ServiceJob) -> str:
    """The task worker's half of :func:`report_approve_start`."""
    report_approve(report=FollowUpReport.objects.get(pk=job.target_pk), user=job.user)
    return _("The report has been approved.")


def report_approve(*, report: FollowUpReport, user) -> FollowUpReport:
    """Submitted → approved, only when every activity's update is approved (or marked as
    not reported, with a reason). Approval freezes the report: its snapshot (activities
    and indicator values) is taken and its PDF rendered and stored with its SHA-256, in
    the same transaction — a PDF that cannot be rendered leaves the report submitted.
    The web asks for it through :func:`report_approve_start` (the task worker prints)."""
    from . import printing, snapshot

    with transaction.atomic():
        report = _approval_checked(report=report, user=user)
        report.status = ReportStatus.APPROVED
        report.approved_at = timezone.now()
        report.approved_by = user
        # The report is a record from now on: the activities it covers are those of today.
        report.frozen_activity_ids = sorted(report.activities().values_list("pk", flat=True))
        report.snapshot = snapshot.take(report)
        try:
            printing.store_approved_pdf(report=report, user=user)
        except PdfError as exc:
            raise ValidationError(
                _(
                    "The report was not approved: its PDF could not be produced. "
                    "Try again in a moment."
                )
            ) from exc
        report.full_clean()
        report.save()
    return report


def report_reopen(*, report: FollowUpReport, user, reason: str = "") -> FollowUpReport:
    """Submitted → draft, so that updates can be changed again; or, for a correction,
    approved → submitted, by a coordinator with a reason that stays on the report."""
    _require_coordinator(user, report.agreement)
    with transaction.atomic():
        report = FollowUpReport.objects.select_for_update().get(pk=report.pk)
        if report.status == ReportStatus.SUBMITTED:
            report.status = ReportStatus.DRAFT
        elif report.status == ReportStatus.APPROVED:
            if not reason.strip():
                raise ValidationError(
                    {
                        "reason": _(
                            "Say why the approved report is reopened (it stays on the report)."
                        )
                    }
                )
            report.status = ReportStatus.SUBMITTED
            report.reopen_reason = reason.strip()
            report.reopened_at = timezone.now()
            report.reopened_by = user
            # The stored PDF stays in the report's history; a new approval stores a new one.
            report.frozen_activity_ids = None
            report.snapshot = None
            report.approved_pdf = ""
            report.approved_pdf_sha256 = ""
        else:
            raise ValidationError(_("Only a submitted or approved report can be reopened."))
        report.full_clean()
        report.save()
    return report


# ---------------------------------------------------------------------------
# Activity updates
# ---------------------------------------------------------------------------


def activity_update_save(
    *, update: ActivityUpdate, user, version: int | None = None
) -> ActivityUpdate:
    """Save one activity's update in a report (one row of the fill-in screen).

    Refuses when the user may not write for this activity, the report is approved,
    the update waits for review or is approved, or someone saved in between.
    """
    report, activity = update.report, update.activity
    if not access.reports(user, report.agreement, activity):
        raise PermissionDenied(_("You may not write the update for this activity."))
    if not report.is_open:
        raise ValidationError(_("The report is approved and can no longer be changed."))
    with transaction.atomic():
        if update.pk is not None:
            check_version(update, version)
            stored = ActivityUpdate.objects.get(pk=update.pk)
            if stored.review_state not in (ReviewState.DRAFT, ReviewState.RETURNED):
                raise ValidationError(
                    _("The update has been submitted for review and can no longer be changed.")
                )
        update.author = user
        update.full_clean()
        try:
            with transaction.atomic():
                update.save()
        except IntegrityError as exc:
            raise ValidationError(
                _("Someone else saved this activity's update in the meantime. Reload the page.")
            ) from exc
    return update


def update_submit(*, update: ActivityUpdate, user) -> ActivityUpdate:
    """Draft or returned → submitted for review."""
    if not access.reports(user, update.report.agreement, update.activity):
        raise PermissionDenied(_("You may not submit the update for this activity."))
    if not update.report.is_open:
        raise ValidationError(_("The report is approved and can no longer be changed."))
    if not update.is_editable_state:
        raise ValidationError(_("Only a draft or returned update can be submitted."))
    update.review_state = ReviewState.SUBMITTED
    update.submitted_at = timezone.now()
    update.full_clean()
    update.save()
    return update


def update_approve(*, update: ActivityUpdate, user, comment: str = "") -> ActivityUpdate:
    """Submitted → approved; the activity's current status follows the approved update."""
    if not access.approves_updates(user, update.report.agreement):
        raise PermissionDenied(_("You may not review updates of this agreement."))
    if update.review_state != ReviewState.SUBMITTED:
        raise ValidationError(_("Only a submitted update can be approved."))
    if not access.approves_update(user, update):
        raise ValidationError(
            _("You wrote or last changed this update; someone else approves it (four eyes).")
        )
    with transaction.atomic():
        update.review_state = ReviewState.APPROVED
        update.reviewed_by = user
        update.reviewed_at = timezone.now()
        update.review_comment = comment
        update.full_clean()
        update.save()
        activity = update.activity
        later_approved = ActivityUpdate.objects.filter(
            activity=activity,
            review_state=ReviewState.APPROVED,
            report__period_end__gt=update.report.period_end,
        ).exists()
        new_status = ACTIVITY_STATUS_FOR_UPDATE[update.status]
        if not later_approved and activity.status != new_status:
            activity.status = new_status
            activity.save()
    return update


def update_return(*, update: ActivityUpdate, user, comment: str) -> ActivityUpdate:
    """Submitted (or approved, while the report is open) → returned with a comment."""
    if not access.approves_updates(user, update.report.agreement):
        raise PermissionDenied(_("You may not review updates of this agreement."))
    if not comment.strip():
        raise ValidationError({"comment": _("Say what should be changed.")})
    if update.review_state not in (ReviewState.SUBMITTED, ReviewState.APPROVED):
        raise ValidationError(_("Only a submitted or approved update can be returned."))
    if not update.report.is_open:
        raise ValidationError(_("The report is approved and can no longer be changed."))
    update.review_state = ReviewState.RETURNED
    update.reviewed_by = user
    update.reviewed_at = timezone.now()
    update.review_comment = comment.strip()
    update.full_clean()
    update.save()
    return update


def update_mark_not_reported(
    *, report: FollowUpReport, activity, user, reason: str
) -> ActivityUpdate:
    """The coordinator records that ``activity`` is not reported in ``report``, with a
    reason shown on the report; the activity then no longer holds up submitting and
    approving the report (it counts as handled, not as reported)."""
    _require_coordinator(user, report.agreement)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the activity is not reported.")})
    with transaction.atomic():
        report = FollowUpReport.objects.select_for_update().get(pk=report.pk)
        if not report.is_open:
            raise ValidationError(_("The report is approved and can no longer be changed."))
        if not report.activities().filter(pk=activity.pk).exists():
            raise ValidationError(_("The activity is not part of this report."))
        update = ActivityUpdate.objects.filter(report=report, activity=activity).first()
        if update is None:
            update = ActivityUpdate(report=report, activity=activity)
        elif not update.is_editable_state:
            raise ValidationError(_("The activity's update has been handed in; review it instead."))
        update.not_reported_reason = reason.strip()
        update.review_state = ReviewState.APPROVED
        update.author = update.author or user
        update.reviewed_by = user
        update.reviewed_at = timezone.now()
        update.review_comment = ""
        update.full_clean()
        update.save()
    return update


def report_remind(*, report: FollowUpReport, unit_id: int, user) -> int:
    """Send a reminder to the reporters of one unit that has activities in ``report``
    without a handed-in update; returns the number of e-mails sent (logged as a
    ``ReportReminder`` the report page shows)."""
    from .models import ReportReminder
    from .notifications import unit_reminder_messages

    _require_coordinator(user, report.agreement)
    if not report.is_open:
        raise ValidationError(_("The report is approved; there is nothing left to report."))
    unit = next((u for u in selectors.reporting_by_unit(report) if u.unit.pk == unit_id), None)
    if unit is None:
        raise ValidationError(_("The unit has no activities in this report."))
    if not unit.owed:
        raise ValidationError(_("The unit has handed in every update of this report."))
    if not unit.reporters:
        raise ValidationError(
            _("The unit has no reporters yet. Invite one under People and organisations.")
        )
    messages = unit_reminder_messages(report=report, unit=unit)
    if not messages:
        raise ValidationError(_("The unit's reporters have no e-mail address."))
    try:
        with transaction.atomic():
            sent = get_connection().send_messages(messages) or 0
            ReportReminder.objects.create(
                report=report, unit=unit.unit, sent_by=user, recipients=sent
            )
    except MAIL_ERRORS as exc:
        mail_logger.exception("Reminder to %s not sent", unit.unit)
        raise ValidationError(
            _("The reminder could not be sent: the mail server did not answer. Try again later.")
        ) from exc
    return sent


# ---------------------------------------------------------------------------
# Indicators and their values
# ---------------------------------------------------------------------------


def indicator_save(*, indicator: Indicator, user, version: int | None = None) -> Indicator:
    if indicator.municipality_id not in access.edits(user):
        raise PermissionDenied(_("Only the municipality's coordinators may change indicators."))
    with transaction.atomic():
        check_version(indicator, version)
        indicator.full_clean()
        indicator.save()
    return indicator


def indicator_value_save(*, value: IndicatorValue, user) -> IndicatorValue:
    if value.indicator.municipality_id not in access.edits(user):
        raise PermissionDenied(_("Only the municipality's coordinators may change indicators."))
    value.full_clean()
    value.save()
    return value


class CsvImportError(Exception):
    """The file was refused; ``errors`` are line-numbered messages in the user's language."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    rows: list[dict] = field(default_factory=list)


COLUMN_ALIASES = {
    "start": {"start", "från", "fran", "from", "period_start", "periodstart", "fr.o.m."},
    "end": {"end", "till", "to", "period_end", "periodslut", "t.o.m."},
    "year": {"year", "år", "ar"},
    "value": {"value", "värde", "varde"},
    "area": {"area", "område", "omrade"},
    "note": {"note", "kommentar", "anteckning", "notering"},
}


def parse_decimal(text: str) -> Decimal:
    """A number as Swedes write it: ``12,5``, ``1 234,5``, ``-3`` (also ``12.5``)."""
    cleaned = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    cleaned = cleaned.replace("−", "-")
    if "," in cleaned and "." in cleaned:
        cleaned = cleaned.replace(".", "")
    cleaned = cleaned.replace(",", ".")
    if not cleaned:
        raise InvalidOperation
    number = Decimal(cleaned)
    if not number.is_finite():
        raise InvalidOperation
    return number


def _parse_date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text.strip())


def indicator_values_import(*, indicator: Indicator, upload, user) -> ImportResult:
    """Import values from a CSV file: all rows or none.

    Columns (header row, Swedish or English names): ``från``/``till`` (dates) or
    ``år``; ``värde``; optionally ``område`` and ``kommentar``. Semicolon or comma
    separated; decimal commas allowed. An existing value for the same period and
    area is replaced.
    """
    if indicator.municipality_id not in access.edits(user):
        raise PermissionDenied(_("Only the municipality's coordinators may change indicators."))
    limit = settings.SAMVERKAN_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise CsvImportError(
            [_("The file is too large (at most %(size)s kB).") % {"size": limit // 1024}]
        )
    try:
        table = read_table(upload.read(limit + 1))
    except NotASpreadsheet as exc:
        raise CsvImportError([str(exc)]) from exc
    if not any(any(cell for cell in row) for row in table):
        raise CsvImportError([_("The file is empty.")])
    header, rows = table[0], table[1:]
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        key = name.strip().lower()
        for column, aliases in COLUMN_ALIASES.items():
            if key in aliases:
                columns[column] = index
    if "value" not in columns or not ("year" in columns or {"start", "end"} <= columns.keys()):
        raise CsvImportError(
            [
                _(
                    "Line 1: the header must name the columns “värde” and either “år” or "
                    "“från” and “till”."
                )
            ]
        )
    areas = {a.name.lower(): a for a in Area.objects.filter(municipality=indicator.municipality)}
    errors: list[str] = []
    parsed: list[dict] = []
    seen: set[tuple] = set()
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(name, row=row):
            index = columns.get(name)
            return row[index].strip() if index is not None and index < len(row) else ""

        row_errors = []
        start = end = None
        if "year" in columns and cell("year"):
            try:
                year = int(cell("year"))
                if not EARLIEST.year <= year <= LATEST.year:
                    raise ValueError
                start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
            except ValueError:
                row_errors.append(_("the year “%(value)s” is not a year") % {"value": cell("year")})
        else:
            for name in ("start", "end"):
                try:
                    date = _parse_date(cell(name))
                except ValueError:
                    row_errors.append(
                        _("the date “%(value)s” is not a date (write YYYY-MM-DD)")
                        % {"value": cell(name)}
                    )
                    continue
                if not EARLIEST <= date <= LATEST:
                    # The model refuses it; say so here instead of failing on save.
                    row_errors.append(date_range_error().messages[0].rstrip("."))
                    continue
                if name == "start":
                    start = date
                else:
                    end = date
            if start and end and end < start:
                row_errors.append(_("the period ends before it starts"))
        value = None
        try:
            value = parse_decimal(cell("value"))
            if abs(value) >= Decimal("1e11") or value.as_tuple().exponent < -3:
                row_errors.append(
                    _("the value “%(value)s” is too large or has more than three decimals")
                    % {"value": cell("value")}
                )
        except (InvalidOperation, ValueError):
            row_errors.append(_("the value “%(value)s” is not a number") % {"value": cell("value")})
        area = None
        if cell("area"):
            area = areas.get(cell("area").lower())
            if area is None:
                row_errors.append(
                    _("the area “%(value)s” does not exist in the municipality")
                    % {"value": cell("area")}
                )
        key = (start, end, area.pk if area else None)
        if not row_errors and key in seen:
            row_errors.append(_("the same period and area appear twice in the file"))
        seen.add(key)
        if row_errors:
            errors.append(
                _("Line %(line)s: %(errors)s.") % {"line": line, "errors": "; ".join(row_errors)}
            )
            continue
        parsed.append(
            {"start": start, "end": end, "value": value, "area": area, "note": cell("note")}
        )
    if errors:
        raise CsvImportError(errors)
    if not parsed:
        raise CsvImportError([_("The file has no values.")])
    result = ImportResult(rows=parsed)
    with transaction.atomic():
        for row in parsed:
            existing = IndicatorValue.objects.filter(
                indicator=indicator,
                area=row["area"],
                period_start=row["start"],
                period_end=row["end"],
            ).first()
            obj = existing or IndicatorValue(
                indicator=indicator,
                area=row["area"],
                period_start=row["start"],
                period_end=row["end"],
            )
            obj.value = row["value"]
            obj.note = row["note"]
            obj.full_clean()
            obj.save()
            if existing:
                result.updated += 1
            else:
                result.created += 1
    return result
