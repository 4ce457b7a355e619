"""Forms of the followup app."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.forms import (
    NO_PERSONAL_DATA,
    AccessibleFormMixin,
    DateInput,
    VersionedModelForm,
)
from forums.models import Forum

from .models import ActivityUpdate, FollowUpReport, FollowUpRhythm, Indicator, IndicatorValue

PROGRESS_ERRORS = {
    "min_value": _("Progress cannot be below 0."),
    "max_value": _("Progress cannot exceed 100."),
    "invalid": _("Write the progress as a whole number between 0 and 100."),
}


class ActivityUpdateForm(VersionedModelForm):
    """One row of the fill-in screen: an activity's update in a report."""

    class Meta:
        model = ActivityUpdate
        fields = [
            "status",
            "progress",
            "done",
            "collaborated_with",
            "effects",
            "deviation",
            "remedy",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("done", "collaborated_with", "effects", "deviation", "remedy")
        }
        error_messages = {"progress": PROGRESS_ERRORS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["progress"].widget.attrs.update({"min": 0, "max": 100, "inputmode": "numeric"})
        self.fields["done"].help_text = NO_PERSONAL_DATA
        self.fields["deviation"].help_text = _(
            "Required when the activity is at risk or delayed: what deviates from the plan?"
        )
        self.fields["remedy"].help_text = _("What is done about the deviation, by whom and when?")

    def clean(self):
        data = super().clean()
        status = data.get("status")
        if status in ("at_risk", "delayed") and not (data.get("deviation") or "").strip():
            self.add_error(
                "deviation", _("Describe the deviation when the activity is at risk or delayed.")
            )
        return data


class ReviewForm(AccessibleFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("return", _("Return for changes"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when you return the update."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say what should be changed."))
        return data


def _scoped_forums(field, agreement):
    field.queryset = Forum.objects.filter(municipality_id=agreement.municipality_id, is_active=True)


class ReportForm(VersionedModelForm):
    class Meta:
        model = FollowUpReport
        fields = [
            "title",
            "period_start",
            "period_end",
            "due_date",
            "presented_to",
            "summary",
            "conclusions",
        ]
        widgets = {
            "period_start": DateInput(),
            "period_end": DateInput(),
            "due_date": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 6}),
            "conclusions": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.agreement = agreement
        _scoped_forums(self.fields["presented_to"], agreement)
        self.fields["summary"].help_text = NO_PERSONAL_DATA


class RhythmForm(VersionedModelForm):
    class Meta:
        model = FollowUpRhythm
        fields = ["rhythm", "custom_months", "due_days", "forum", "annual_forum"]

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.agreement = agreement
        _scoped_forums(self.fields["forum"], agreement)
        _scoped_forums(self.fields["annual_forum"], agreement)


class GenerateReportsForm(AccessibleFormMixin, forms.Form):
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        error_messages={"invalid": _("Write a year, for example 2025.")},
    )


class IndicatorForm(VersionedModelForm):
    class Meta:
        model = Indicator
        fields = [
            "municipality",
            "name",
            "source",
            "unit",
            "higher_is_better",
            "baseline",
            "baseline_year",
            "target",
            "target_year",
            "sub_goals",
            "source_limits",
            "description",
        ]
        localized_fields = ["baseline", "target"]

    def __init__(self, *args, municipalities, sub_goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["sub_goals"].queryset = sub_goals
        for name in ("baseline", "target"):
            self.fields[name].error_messages["invalid"] = _("Enter a number, e.g. 12,5.")


class IndicatorValueForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = IndicatorValue
        fields = ["period_start", "period_end", "area", "value", "note"]
        widgets = {"period_start": DateInput(), "period_end": DateInput()}
        localized_fields = ["value"]

    def __init__(self, *args, indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.indicator = indicator
        self.fields["area"].queryset = indicator.municipality.areas.all()
        self.fields["value"].error_messages["invalid"] = _("Enter a number, e.g. 12,5.")

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period must end after it starts."))
        return data


class CsvImportForm(AccessibleFormMixin, forms.Form):
    file = forms.FileField(
        label=_("File (Excel or CSV)"),
        help_text=_(
            "Columns: år (or från and till as YYYY-MM-DD), värde, and optionally område and "
            "kommentar. An Excel file (.xlsx), or CSV separated by semicolons or commas; "
            "decimal comma allowed."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,.csv,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.SAMVERKAN_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is too large (at most %(size)s kB).") % {"size": limit // 1024}
            )
        return upload
