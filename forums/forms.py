"""Forms of the forums app. Dropdowns are scoped to what the user may see or edit."""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agreements import access
from agreements.models import Organisation
from core.forms import (
    NO_PERSONAL_DATA,
    AccessibleFormMixin,
    DateInput,
    VersionedModelForm,
)

from .choices import Frequency
from .models import Forum, ForumSeat, Meeting, MeetingDecision
from .selectors import visible_agreements_for_forms


class DateTimeInput(forms.DateTimeInput):
    """A native date-and-time picker (local Swedish time)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class ForumForm(VersionedModelForm):
    """Create or edit a forum; only the user's own municipalities and their forums are offered."""

    class Meta:
        model = Forum
        fields = [
            "municipality",
            "name",
            "abbreviation",
            "kind",
            "kind_label",
            "frequency",
            "parent",
            "convener",
            "chair",
            "purpose",
            "agreements",
            "is_active",
        ]
        widgets = {"agreements": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Organisation.objects.edited_by(user)
        parents = Forum.objects.editable_by(user).select_related("municipality")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        # The convener: one of the user's municipalities, their units or partners.
        municipalities = list(Organisation.objects.edited_by(user).values_list("pk", flat=True))
        partners = Organisation.objects.filter(is_active=True).partners_of_municipalities(
            municipalities
        )
        self.fields["convener"].queryset = Organisation.objects.filter(
            Q(pk__in=partners.values("pk")) | Q(pk=self.instance.convener_id or 0)
        ).order_by("name")
        self.fields["agreements"].queryset = visible_agreements_for_forms(user=user).filter(
            access.edits(user).q("municipality_id")
        )
        self.fields["purpose"].help_text = NO_PERSONAL_DATA

    def clean(self):
        cleaned = super().clean()
        municipality = cleaned.get("municipality")
        parent = cleaned.get("parent")
        if municipality and parent and parent.municipality_id != municipality.pk:
            self.add_error("parent", _("The forum it reports to must be in the same municipality."))
        for agreement in cleaned.get("agreements") or []:
            if municipality and agreement.municipality_id != municipality.pk:
                self.add_error("agreements", _("Choose agreements of the forum's municipality."))
                break
        if "agreements" in cleaned:
            before = set(self.instance.agreements.all()) if self.instance.pk else set()
            changed = before ^ set(cleaned["agreements"])
            if any(agreement.is_locked for agreement in changed):
                self.add_error(
                    "agreements",
                    _(
                        "A signed agreement's forums are part of what was signed: link or "
                        "unlink them in a revision of the agreement."
                    ),
                )
        return cleaned


class ForumSeatForm(VersionedModelForm):
    """A seat: which organisation sends whom (by function), required or not."""

    class Meta:
        model = ForumSeat
        fields = ["organisation", "function", "required", "position", "active_from", "active_until"]
        widgets = {"active_from": DateInput, "active_until": DateInput}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The forum's municipality, its units and partners: never another municipality's.
        partners = Organisation.objects.filter(is_active=True).partners_of_municipalities(
            [self.instance.forum.municipality_id]
        )
        self.fields["organisation"].queryset = (
            Organisation.objects.filter(
                Q(pk__in=partners.values("pk")) | Q(pk=self.instance.organisation_id or 0)
            )
            .select_related("parent")
            .order_by("name")
        )
        self.fields["function"].help_text = _(
            "The function, e.g. deputy head of the local police area — not a person's name."
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("active_from"), cleaned.get("active_until")
        if start and end and end < start:
            self.add_error("active_until", _("The seat cannot end before it starts."))
        return cleaned


class MeetingForm(VersionedModelForm):
    """One meeting: time, place, agenda, minutes."""

    class Meta:
        model = Meeting
        fields = ["starts_at", "ends_at", "place", "agenda", "minutes", "cancelled"]
        widgets = {"starts_at": DateTimeInput, "ends_at": DateTimeInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        self.fields["agenda"].help_text = NO_PERSONAL_DATA

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_at"), cleaned.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        return cleaned


class MeetingSeriesForm(AccessibleFormMixin, forms.Form):
    """Plan a series of meetings at the forum's cadence."""

    frequency = forms.ChoiceField(
        label=_("Cadence"),
        choices=[c for c in Frequency.choices if c[0] != Frequency.AS_NEEDED],
    )
    starts_on = forms.DateField(label=_("First meeting"), widget=DateInput)
    ends_on = forms.DateField(label=_("Last possible date"), widget=DateInput)
    start_time = forms.TimeField(label=_("Start time"), widget=TimeInput, initial="09:00")
    duration_minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=15, max_value=600, initial=90
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)

    def __init__(self, *args, forum: Forum, **kwargs):
        super().__init__(*args, **kwargs)
        if forum.frequency != Frequency.AS_NEEDED:
            self.fields["frequency"].initial = forum.frequency
        self.fields["start_time"].help_text = _("Swedish local time.")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end:
            if end < start:
                self.add_error("ends_on", _("The period must end after it starts."))
            elif end - start > datetime.timedelta(days=3 * 366):
                self.add_error("ends_on", _("Plan at most three years at a time."))
        return cleaned


PRESENCE_CHOICES = [("1", _("Present")), ("0", _("Absent"))]


class AttendanceForm(AccessibleFormMixin, forms.Form):
    """One yes/no question per seat expected at the meeting."""

    def __init__(self, *args, seats, current: dict[int, bool], **kwargs):
        super().__init__(*args, **kwargs)
        self.seats = list(seats)
        for seat in self.seats:
            initial = current.get(seat.pk)
            self.fields[f"seat_{seat.pk}"] = forms.ChoiceField(
                label=f"{seat.function} – {seat.organisation}",
                choices=PRESENCE_CHOICES,
                widget=forms.RadioSelect,
                initial=None if initial is None else ("1" if initial else "0"),
                error_messages={"required": _("State whether the seat was present.")},
            )

    def clean(self):
        cleaned = super().clean()
        if not self.seats:
            raise forms.ValidationError(
                _("The forum had no seats on the day of the meeting; add the seats first.")
            )
        known = set(self.fields)
        sent = {key for key in self.data if key.startswith("seat_")}
        if sent - known:
            raise forms.ValidationError(
                _("Attendance can only be recorded for the seats of this forum on the meeting day.")
            )
        return cleaned

    def presence(self) -> dict[int, bool]:
        return {seat.pk: self.cleaned_data[f"seat_{seat.pk}"] == "1" for seat in self.seats}

    def rows(self):
        return [(seat, self[f"seat_{seat.pk}"]) for seat in self.seats]


class DecisionForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = MeetingDecision
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class PeriodForm(AccessibleFormMixin, forms.Form):
    """The period representation is measured over (GET)."""

    start = forms.DateField(label=_("From"), widget=DateInput, required=False)
    end = forms.DateField(label=_("To"), widget=DateInput, required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The period must end after it starts."))
        return cleaned
