"""The spreadsheet format of activities: export to CSV/XLSX and import back, all or nothing.

One format serves both ways, so an exported list can be edited in Excel and
imported again. Columns are recognised by their Swedish or English heading (or
the internal key). Multi-valued cells (sub-goals, causes, areas) hold one value
per line; the roles cell holds one role per line as ``Organisation | role | text``.
Activities are matched by code, so a re-import updates instead of duplicating.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import TextChoices
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.models import Area, Cause, FocusArea, SubGoal
from core.tabular import FORMULA_START, MAX_ROWS

from .choices import ActivityKind, ActivityStatus, EffectHorizon, PartyRole
from .forms import forums_for, organisations_for
from .models import ActionPlan, Activity, ActivityRole


@dataclass(frozen=True)
class Column:
    key: str
    label: object
    importable: bool = True
    #: Further headings read on import: older exports and the reference plans' "Vad".
    aliases: tuple[str, ...] = ()


COLUMNS = [
    Column("plan", gettext_lazy("Action plan"), importable=False),
    Column("code", gettext_lazy("Code")),
    Column("title", gettext_lazy("Activity"), aliases=("Vad", "What")),
    Column("description", gettext_lazy("Description")),
    Column("focus_area", gettext_lazy("Focus area")),
    Column("sub_goals", gettext_lazy("Sub-goals")),
    Column("causes", gettext_lazy("Causes acted on")),
    Column("effect_goal", gettext_lazy("Effect goal")),
    Column("responsible", gettext_lazy("Responsible")),
    Column("roles", gettext_lazy("Roles")),
    Column("communication", gettext_lazy("Communication")),
    Column("starts_on", gettext_lazy("Start")),
    Column("ends_on", gettext_lazy("End")),
    Column("schedule", gettext_lazy("Schedule")),
    Column("followup_method", gettext_lazy("How it is followed up")),
    Column("areas", gettext_lazy("Areas")),
    Column("forum", gettext_lazy("Coordinating forum")),
    Column("kind", gettext_lazy("Kind of prevention")),
    Column("horizon", gettext_lazy("Expected effect")),
    Column("status", gettext_lazy("Status")),
    Column("review_state", gettext_lazy("Review status"), importable=False),
]
REQUIRED = ("code", "title")
CHOICES: dict[str, type[TextChoices]] = {
    "kind": ActivityKind,
    "horizon": EffectHorizon,
    "status": ActivityStatus,
}
TEXT_LIMITS = {"code": 20, "title": 300, "schedule": 200}


def collapse(text) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip()


def _key(text) -> str:
    return collapse(text).casefold()


# ---------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------


def _lines(values) -> str:
    return "\n".join(collapse(v) for v in values)


def activity_row(activity: Activity) -> list:
    roles = "\n".join(
        " | ".join(
            part for part in (collapse(r.organisation.name), r.get_role_display(), collapse(r.text))
        ).rstrip(" |")
        for r in activity.roles.all()
    )
    values = {
        "plan": activity.plan.title,
        "code": activity.code,
        "title": activity.title,
        "description": activity.description,
        "focus_area": activity.focus_area.title if activity.focus_area else "",
        "sub_goals": _lines(sg.text for sg in activity.sub_goals.all()),
        "causes": _lines(c.text for c in activity.causes.all()),
        "effect_goal": activity.effect_goal,
        "responsible": activity.responsible.name if activity.responsible else "",
        "roles": roles,
        "communication": activity.communication,
        "starts_on": activity.starts_on,
        "ends_on": activity.ends_on,
        "schedule": activity.schedule,
        "followup_method": activity.followup_method,
        "areas": _lines(a.name for a in activity.areas.all()),
        "forum": activity.forum.name if activity.forum else "",
        "kind": activity.get_kind_display() if activity.kind else "",
        "horizon": activity.get_horizon_display() if activity.horizon else "",
        "status": activity.get_status_display(),
        "review_state": activity.get_review_state_display(),
    }
    return [values[c.key] for c in COLUMNS]


def headers() -> list[str]:
    return [str(c.label) for c in COLUMNS]


def export_csv(activities) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers())
    for activity in activities:
        row = []
        for value in activity_row(activity):
            if isinstance(value, datetime.date):
                value = value.isoformat()
            value = "" if value is None else str(value)
            if value.startswith(FORMULA_START):
                value = "'" + value  # never let a spreadsheet run a cell as a formula
            row.append(value)
        writer.writerow(row)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# The workbook is a working document as well as the import format: the plan table's
# columns first (one per party, as on the plan page), progress and the latest approved
# follow-up, then the remaining fields. Columns the import does not read say so in a note
# on their heading; the roles are imported from "Roles" (Organisation | role | text).
PROGRESS_LABEL = gettext_lazy("Progress (%)")
LATEST_LABEL = gettext_lazy("Latest approved follow-up")
OTHERS_LABEL = gettext_lazy("Other actors")
NOT_IMPORTED = gettext_lazy(
    "Not read on import. The parties' roles are imported from the column “Roles”."
)
_XLSX_ORDER = [
    "code",
    "title",
    "focus_area",
    "responsible",
    "parties",
    "communication",
    "effect_goal",
    "starts_on",
    "ends_on",
    "schedule",
    "status",
    "progress",
    "latest",
    "review_state",
    "description",
    "sub_goals",
    "causes",
    "followup_method",
    "areas",
    "forum",
    "kind",
    "horizon",
    "roles",
    "plan",
]
_WIDTHS = {
    "code": 8,
    "title": 40,
    "focus_area": 26,
    "responsible": 26,
    "party": 38,
    "communication": 32,
    "effect_goal": 32,
    "starts_on": 12,
    "ends_on": 12,
    "schedule": 20,
    "status": 14,
    "progress": 12,
    "latest": 30,
    "review_state": 20,
    "description": 50,
    "sub_goals": 45,
    "causes": 35,
    "followup_method": 32,
    "areas": 20,
    "forum": 22,
    "kind": 18,
    "horizon": 16,
    "roles": 45,
    "plan": 28,
}


def party_labels() -> dict[str, str]:
    """The labels of the agreement's two main parties, as on the plan page."""
    return {"municipality": _("Municipality"), "police": _("Police")}


def plan_order(activity: Activity) -> tuple:
    """The order of the plan table: plan, focus area, position."""
    focus = activity.focus_area
    return (
        activity.plan_id,
        focus is None,
        focus.position if focus else 0,
        focus.pk if focus else 0,
        activity.position,
        activity.pk,
    )


def _role_line(role: ActivityRole, party_ids: list[int], label) -> str:
    text = str(label.get(role.role, role.role))
    if role.organisation_id not in party_ids:
        text += f" ({collapse(role.organisation.name)})"
    if role.text:
        text += f": {collapse(role.text)}"
    return text


def _party_cells(activity: Activity, columns_of: dict, role_labels: dict) -> tuple[dict, str]:
    """Each party's roles (by column label) and the other actors' roles of one activity."""
    from .selectors import party_of

    columns = columns_of[activity.plan.agreement_id]
    party_ids = [c.organisation.pk for c in columns]
    labels = {c.organisation.pk: c.label for c in columns}
    cells: dict[str, list[str]] = {}
    others = []
    for role in activity.roles.all():
        party = party_of(role, party_ids)
        if party is None:
            line = f"{collapse(role.organisation.name)}: {role_labels.get(role.role, role.role)}"
            others.append(line + (f": {collapse(role.text)}" if role.text else ""))
        else:
            cells.setdefault(labels[party], []).append(_role_line(role, party_ids, role_labels))
    return {k: "\n".join(v) for k, v in cells.items()}, "\n".join(others)


def export_xlsx(activities) -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from .progress import activity_progress, latest_approved_update
    from .selectors import party_columns

    activities = sorted(activities, key=plan_order)
    labels = party_labels()
    columns_of = {}
    party_headings: list[str] = []
    for activity in activities:
        agreement = activity.plan.agreement
        if agreement.pk not in columns_of:
            columns_of[agreement.pk] = party_columns(agreement, labels)
            for column in columns_of[agreement.pk]:
                if column.label not in party_headings:
                    party_headings.append(column.label)
    role_labels = {value: str(label) for value, label in PartyRole.choices}
    by_key = {c.key: c for c in COLUMNS}
    layout = []  # (key, heading, imported)
    for key in _XLSX_ORDER:
        if key == "parties":
            layout += [("party:" + h, h, False) for h in party_headings]
            layout.append(("others", str(OTHERS_LABEL), False))
        elif key == "progress":
            layout.append((key, str(PROGRESS_LABEL), False))
        elif key == "latest":
            layout.append((key, str(LATEST_LABEL), False))
        else:
            layout.append((key, str(by_key[key].label), by_key[key].importable))

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(gettext_lazy("Activities"))[:31]
    top = Alignment(wrap_text=True, vertical="top")
    sheet.append([heading for _key, heading, _imported in layout])
    for (key, _heading, imported), cell in zip(layout, sheet[1], strict=True):
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE5EE")
        cell.alignment = top
        if not imported and key != "plan" and key != "review_state":
            cell.comment = Comment(str(NOT_IMPORTED), "Samverkan")
    for activity in activities:
        values = dict(zip([c.key for c in COLUMNS], activity_row(activity), strict=True))
        parties, others = _party_cells(activity, columns_of, role_labels)
        for heading, text in parties.items():
            values["party:" + heading] = text
        values["others"] = others
        values["progress"] = activity_progress(activity)
        latest = latest_approved_update(activity)
        if latest is not None and getattr(latest, "report", None) is not None:
            values["latest"] = f"{latest.report.title}: {latest.get_status_display()}"
        sheet.append([None] * len(layout))
        row_index = sheet.max_row
        for col_index, (key, _heading, _imported) in enumerate(layout, start=1):
            value = values.get(key)
            cell = sheet.cell(row=row_index, column=col_index)
            cell.alignment = top
            if isinstance(value, datetime.date):
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, int):
                cell.value = value
            elif value not in (None, ""):
                cell.value = str(value)
                cell.data_type = "s"  # text, even when it starts with "="
    for col_index, (key, _heading, _imported) in enumerate(layout, start=1):
        width = _WIDTHS["party" if key.startswith("party:") or key == "others" else key]
        sheet.column_dimensions[get_column_letter(col_index)].width = width
    sheet.freeze_panes = "C2"  # the heading row, the code and the activity stay in view
    sheet.auto_filter.ref = sheet.dimensions
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------
# Reading a file
# ---------------------------------------------------------------------------


# ---------------------------------------------------------------------------
# Checking and applying an import
# ---------------------------------------------------------------------------


@dataclass
class RowResult:
    line: int
    code: str = ""
    title: str = ""
    action: str = ""
    errors: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)


@dataclass
class ImportResult:
    rows: list[RowResult] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def add(self, line: int, message: str, row: RowResult | None = None) -> None:
        self.errors.append((line, message))
        if row is not None:
            row.errors.append(message)

    @property
    def created(self) -> int:
        return sum(1 for r in self.rows if r.action == "create")

    @property
    def updated(self) -> int:
        return sum(1 for r in self.rows if r.action == "update")


def _heading_map(plan: ActionPlan | None = None) -> dict[str, Column]:
    """Headings the import knows: its own columns, and the export's reading columns (the
    parties' roles, progress, latest follow-up), which it recognises and leaves alone."""
    from .selectors import party_columns

    known: dict[str, Column] = {}
    for language in ("sv", "en"):
        with translation.override(language):
            extra = [str(PROGRESS_LABEL), str(LATEST_LABEL), str(OTHERS_LABEL)]
            if plan is not None:
                extra += [c.label for c in party_columns(plan.agreement, party_labels())]
            for heading in extra:
                known.setdefault(_key(heading), Column(heading, heading, importable=False))
    for column in COLUMNS:
        known[_key(column.key)] = column
        for alias in column.aliases:
            known[_key(alias)] = column
        for language in ("sv", "en"):
            with translation.override(language):
                known[_key(str(column.label))] = column
    return known


def _choice_map(choices: type[TextChoices]) -> dict[str, str]:
    mapping = {}
    for value, label in choices.choices:
        mapping[_key(value)] = value
        for language in ("sv", "en"):
            with translation.override(language):
                mapping[_key(str(label))] = value
    return mapping


def _parse_date(text: str) -> datetime.date | None:
    if not text:
        return None
    text = text.strip()[:10] if re.match(r"^\d{4}-\d{2}-\d{2}([ T].*)?$", text.strip()) else text
    return datetime.date.fromisoformat(text)


class _Lookups:
    """Everything a row may name, fetched once per import and keyed case-insensitively."""

    def __init__(self, plan: ActionPlan):
        agreement = plan.agreement
        self.focus_areas = {_key(f.title): f for f in FocusArea.objects.filter(agreement=agreement)}
        self.sub_goals = {
            _key(s.text): s for s in SubGoal.objects.filter(focus_area__agreement=agreement)
        }
        self.causes = {
            _key(c.text): c for c in Cause.objects.filter(focus_area__agreement=agreement)
        }
        self.areas = {
            _key(a.name): a for a in Area.objects.filter(municipality=agreement.municipality_id)
        }
        self.forums = {}
        for forum in forums_for(agreement):
            self.forums[_key(forum.name)] = forum
            if forum.abbreviation:
                self.forums.setdefault(_key(forum.abbreviation), forum)
        self.organisations = {}
        for org in organisations_for(agreement):
            self.organisations.setdefault(_key(org.name), org)
            if org.short_name:
                self.organisations.setdefault(_key(org.short_name), org)
        self.roles = _choice_map(PartyRole)
        self.choices = {name: _choice_map(choices) for name, choices in CHOICES.items()}
        self.existing = {a.code: a for a in plan.activities.exclude(code="")}


def check_import(*, plan: ActionPlan, table: list[list[str]]) -> ImportResult:
    """Check every row; nothing is saved. Each problem is reported with its line number."""
    result = ImportResult()
    table = [row for row in table]
    if not table or not any(cell for cell in table[0]):
        result.add(1, _("The file is empty."))
        return result
    known = _heading_map(plan)
    columns: list[Column | None] = []
    unknown = []
    for heading in table[0]:
        if not heading:
            columns.append(None)
            continue
        column = known.get(_key(heading))
        if column is None:
            unknown.append(heading)
        columns.append(column)
    present = {c.key for c in columns if c}
    missing = [str(c.label) for c in COLUMNS if c.key in REQUIRED and c.key not in present]
    if unknown:
        result.add(
            1,
            _("Unknown columns: %(columns)s. Use the headings of the export.")
            % {"columns": ", ".join(unknown)},
        )
    if missing:
        result.add(
            1, _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    if unknown or missing:
        return result
    if len(table) - 1 > MAX_ROWS:
        result.add(1, _("The file has more than %(max)s rows.") % {"max": MAX_ROWS})
        return result
    lookups = _Lookups(plan)
    seen_codes: dict[str, int] = {}
    for line, cells in enumerate(table[1:], start=2):
        if not any(cells):
            continue
        raw = {}
        for column, value in zip(columns, cells, strict=False):
            if column is not None and column.importable:
                raw[column.key] = value
        row = RowResult(line=line, code=raw.get("code", ""), title=raw.get("title", ""))
        result.rows.append(row)
        _check_row(row, raw, lookups, seen_codes, result)
    if not result.rows and not result.errors:
        result.add(2, _("The file has no activities."))
    return result


def _check_row(row: RowResult, raw: dict, lookups: _Lookups, seen_codes, result) -> None:
    line = row.line
    values: dict = {}
    code = raw.get("code", "").strip()
    if not code:
        result.add(
            line,
            _("The code is missing; every row needs one so that it can be updated later."),
            row,
        )
    elif code in seen_codes:
        result.add(
            line,
            _("The code %(code)s is already used on line %(other)s.")
            % {"code": code, "other": seen_codes[code]},
            row,
        )
    else:
        seen_codes[code] = line
    if not raw.get("title", "").strip():
        result.add(line, _("“What” is empty."), row)
    for name, limit in TEXT_LIMITS.items():
        if len(raw.get(name, "")) > limit:
            result.add(
                line,
                _("%(column)s is longer than %(limit)s characters.")
                % {"column": _column_label(name), "limit": limit},
                row,
            )
    for name in (
        "code",
        "title",
        "description",
        "effect_goal",
        "communication",
        "schedule",
        "followup_method",
    ):
        if name in raw:
            values[name] = raw[name].strip()

    def one(name, mapping, message):
        text = raw.get(name, "").strip()
        if name not in raw:
            return
        if not text:
            values[name] = None
            return
        found = mapping.get(_key(text))
        if found is None:
            result.add(line, message % {"value": text}, row)
        values[name] = found

    def many(name, mapping, message):
        if name not in raw:
            return
        found = []
        for text in (t for t in raw[name].splitlines() if t.strip()):
            obj = mapping.get(_key(text))
            if obj is None:
                result.add(line, message % {"value": collapse(text)[:80]}, row)
            else:
                found.append(obj)
        values[name] = found

    one("focus_area", lookups.focus_areas, _("Unknown focus area: %(value)s."))
    one("responsible", lookups.organisations, _("Unknown organisation: %(value)s."))
    one("forum", lookups.forums, _("Unknown forum: %(value)s."))
    many("sub_goals", lookups.sub_goals, _("Unknown sub-goal: %(value)s."))
    many("causes", lookups.causes, _("Unknown cause: %(value)s."))
    many("areas", lookups.areas, _("Unknown area: %(value)s."))
    for name, mapping in lookups.choices.items():
        if name not in raw:
            continue
        text = raw[name].strip()
        if not text:
            values[name] = ActivityStatus.PLANNED if name == "status" else ""
            continue
        value = mapping.get(_key(text))
        if value is None:
            result.add(
                line,
                _("Unknown value in %(column)s: %(value)s.")
                % {"column": _column_label(name), "value": text},
                row,
            )
        values[name] = value
    for name in ("starts_on", "ends_on"):
        if name not in raw:
            continue
        try:
            values[name] = _parse_date(raw[name])
        except ValueError:
            result.add(
                line,
                _("%(column)s is not a date: %(value)s. Write dates as YYYY-MM-DD.")
                % {"column": _column_label(name), "value": raw[name]},
                row,
            )
    if (
        values.get("starts_on")
        and values.get("ends_on")
        and values["ends_on"] < values["starts_on"]
    ):
        result.add(line, _("The activity cannot end before it starts."), row)
    if "roles" in raw:
        roles = []
        for text in (t for t in raw["roles"].splitlines() if t.strip()):
            parts = [p.strip() for p in text.split("|")]
            if len(parts) < 2:
                result.add(
                    line,
                    _("Write each role as “Organisation | role | text”: %(value)s.")
                    % {"value": collapse(text)[:80]},
                    row,
                )
                continue
            org = lookups.organisations.get(_key(parts[0]))
            role = lookups.roles.get(_key(parts[1]))
            if org is None:
                result.add(line, _("Unknown organisation: %(value)s.") % {"value": parts[0]}, row)
            if role is None:
                result.add(line, _("Unknown role: %(value)s.") % {"value": parts[1]}, row)
            if org is not None and role is not None:
                if (org.pk, role) in {(o.pk, r) for o, r, _t in roles}:
                    result.add(
                        line,
                        _("%(organisation)s has the role %(role)s twice.")
                        % {"organisation": org, "role": parts[1]},
                        row,
                    )
                else:
                    roles.append((org, role, " | ".join(parts[2:])))
        values["roles"] = roles
    existing = lookups.existing.get(code)
    row.action = "update" if existing is not None else "create"
    row.values = values


def _column_label(key: str) -> str:
    return str(next(c.label for c in COLUMNS if c.key == key))


class ImportFailed(Exception):
    def __init__(self, result: ImportResult):
        self.result = result
        super().__init__("import failed")


M2M = ("sub_goals", "causes", "areas")


@transaction.atomic
def apply_import(*, plan: ActionPlan, table: list[list[str]]) -> ImportResult:
    """Check and save every row, or nothing at all (raises :class:`ImportFailed`)."""
    ActionPlan.objects.select_for_update().filter(pk=plan.pk).first()
    result = check_import(plan=plan, table=table)
    if not result.ok:
        raise ImportFailed(result)
    existing = {a.code: a for a in plan.activities.prefetch_related("roles", *M2M)}
    try:
        for position, row in enumerate(result.rows, start=1):
            with transaction.atomic():
                _save_row(plan, existing.get(row.code), row, position)
    except ValidationError as exc:
        result.add(row.line, " ".join(_messages(exc)), row)
        transaction.set_rollback(True)
        raise ImportFailed(result) from exc
    return result


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [m for messages in exc.message_dict.values() for m in messages]
    return list(exc.messages)


def _save_row(plan: ActionPlan, activity: Activity | None, row: RowResult, position: int) -> None:
    values = dict(row.values)
    m2m = {name: values.pop(name) for name in M2M if name in values}
    roles = values.pop("roles", None)
    created = activity is None
    if created:
        activity = Activity(plan=plan)
    changed = created or activity.position != position
    activity.position = position
    for name, value in values.items():
        if getattr(activity, name) != value:
            setattr(activity, name, value)
            changed = True
    if changed:
        activity.full_clean()
        activity.save()
    for name, objects in m2m.items():
        manager = getattr(activity, name)
        if created or {o.pk for o in manager.all()} != {o.pk for o in objects}:
            manager.set(objects)
    if roles is not None:
        current = {
            (r.organisation_id, r.role): r for r in ([] if created else activity.roles.all())
        }
        wanted = {(org.pk, role): (org, text) for org, role, text in roles}
        for key, role_obj in current.items():
            if key not in wanted:
                role_obj.delete()
        for key, (org, text) in wanted.items():
            role_obj = current.get(key)
            if role_obj is None:
                role_obj = ActivityRole(activity=activity, organisation=org, role=key[1], text=text)
            elif role_obj.text == text:
                continue
            else:
                role_obj.text = text
            role_obj.full_clean()
            role_obj.save()


__all__ = [
    "COLUMNS",
    "ImportFailed",
    "apply_import",
    "check_import",
    "export_csv",
    "export_xlsx",
]
