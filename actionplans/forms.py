"""Forms of the actionplans app: choices always scoped to the activity's agreement."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db.models import Q
from django.forms import inlineformset_factory
from django.template.defaultfilters import filesizeformat
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, Area, Cause, FocusArea, Organisation, SubGoal
from core.choices import ReviewDecision
from core.forms import (
    NO_PERSONAL_DATA,
    AccessibleFormMixin,
    DateInput,
    VersionedModelForm,
)
from core.widgets import GroupedCheckboxes
from forums.models import Forum

from .choices import PartyRole
from .models import ActionPlan, Activity, ActivityRole


def organisations_for(agreement: Agreement):
    """The agreement's parties and their units (two levels down)."""
    party_ids = list(agreement.party_ids())
    return (
        Organisation.objects.filter(is_active=True)
        .filter(
            Q(pk__in=party_ids) | Q(parent_id__in=party_ids) | Q(parent__parent_id__in=party_ids)
        )
        .order_by("name")
    )


def forums_for(agreement: Agreement):
    named = Forum.objects.filter(agreements=agreement).values("pk")
    return Forum.objects.filter(Q(municipality_id=agreement.municipality_id) | Q(pk__in=named))


class ActionPlanForm(VersionedModelForm):
    class Meta:
        model = ActionPlan
        fields = ["title", "valid_from", "valid_to", "status", "adopted_on"]
        widgets = {
            "valid_from": DateInput(),
            "valid_to": DateInput(),
            "adopted_on": DateInput(),
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_to")
        if start and end and end <= start:
            self.add_error("valid_to", _("The period must end after it starts."))
        return cleaned


class _CodeMixin:
    def clean_code(self):
        code = (self.cleaned_data.get("code") or "").strip()
        plan_id = self.instance.plan_id
        if code and plan_id:
            clash = Activity.objects.filter(plan_id=plan_id, code=code)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                raise forms.ValidationError(_("Another activity in the plan has this code."))
        return code


def _full_text(item) -> str:
    return item.text


def sub_goal_field(field, agreement, *, collapsed: bool = False) -> None:
    """The sub-goals field: only the agreement's own, as checkboxes grouped under their
    focus area with their whole texts (``collapsed``: behind a summary, for the quick-add)."""
    field.queryset = (
        SubGoal.objects.filter(focus_area__agreement=agreement)
        .select_related("focus_area")
        .order_by("focus_area__position", "focus_area_id", "position", "pk")
    )
    field.label_from_instance = _full_text
    field.widget = GroupedCheckboxes(
        _focus_area_title,
        empty_text=_("The agreement has no sub-goals yet."),
        summary=_("Choose sub-goals") if collapsed else "",
    )
    field.widget.choices = field.choices


def _focus_area_title(item) -> str:
    return item.focus_area.title


class ActivityForm(_CodeMixin, VersionedModelForm):
    """The whole activity, on its own edit page."""

    class Meta:
        model = Activity
        fields = [
            "code",
            "title",
            "description",
            "focus_area",
            "sub_goals",
            "causes",
            "effect_goal",
            "responsible",
            "starts_on",
            "ends_on",
            "schedule",
            "followup_method",
            "communication",
            "areas",
            "forum",
            "kind",
            "horizon",
            "status",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "effect_goal": forms.Textarea(attrs={"rows": 3}),
            "followup_method": forms.Textarea(attrs={"rows": 3}),
            "communication": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"description": NO_PERSONAL_DATA}

    def __init__(self, *args, plan: ActionPlan, **kwargs):
        super().__init__(*args, **kwargs)
        agreement = plan.agreement
        self.fields["focus_area"].queryset = FocusArea.objects.filter(agreement=agreement)
        # Sub-goals and causes: only the agreement's own, as checkboxes under their focus
        # area, each with its whole text (their ``__str__`` is cut at 80 characters).
        sub_goal_field(self.fields["sub_goals"], agreement)
        causes = self.fields["causes"]
        causes.queryset = (
            Cause.objects.filter(focus_area__agreement=agreement)
            .select_related("focus_area")
            .order_by("focus_area__position", "focus_area_id", "position", "pk")
        )
        causes.label_from_instance = _full_text
        causes.widget = GroupedCheckboxes(
            _focus_area_title, empty_text=_("The agreement names no causes yet.")
        )
        causes.widget.choices = causes.choices
        self.fields["areas"].queryset = Area.objects.filter(
            municipality=agreement.municipality_id
        ).order_by("name")
        self.fields["areas"].widget = forms.CheckboxSelectMultiple(
            choices=self.fields["areas"].choices
        )
        self.fields["forum"].queryset = forums_for(agreement)
        self.fields["responsible"].queryset = organisations_for(agreement)


class ActivityRoleForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = ActivityRole
        fields = ["organisation", "role", "text"]
        widgets = {"text": forms.TextInput()}

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations


ActivityRoleFormSet = inlineformset_factory(
    Activity,
    ActivityRole,
    form=ActivityRoleForm,
    extra=2,
    can_delete=True,
)


class ActivityRowForm(_CodeMixin, VersionedModelForm):
    """One row of the plan table, edited in place: the table's columns and the sub-goals."""

    class Meta:
        model = Activity
        fields = [
            "code",
            "title",
            "focus_area",
            "responsible",
            "communication",
            "effect_goal",
            "starts_on",
            "ends_on",
            "schedule",
            "status",
            "sub_goals",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "communication": forms.Textarea(attrs={"rows": 2}),
            "effect_goal": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, plan: ActionPlan, columns, focus_areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = columns
        agreement = plan.agreement
        self.fields["focus_area"].queryset = (
            FocusArea.objects.filter(pk__in=[f.pk for f in focus_areas])
            if focus_areas is not None
            else FocusArea.objects.filter(agreement=agreement)
        )
        self.fields["responsible"].queryset = organisations_for(agreement)
        # Sub-goals are not a column of the table, but a row is linked to them when it is
        # added: behind a summary, so the quick-add stays short.
        sub_goal_field(self.fields["sub_goals"], agreement, collapsed=True)
        role_choices = [("", _("– no role –")), *PartyRole.choices]
        current = {}
        if self.instance.pk:
            for role in self.instance.roles.all():
                org = role.organisation
                for _level in range(3):
                    if org is None:
                        break
                    current.setdefault(org.pk, role)
                    org = org.parent
        self.party_fields = []
        for column in columns:
            party = column.organisation
            role_name, text_name = f"party_{party.pk}_role", f"party_{party.pk}_text"
            existing = current.get(party.pk)
            self.fields[role_name] = forms.ChoiceField(
                label=_("%(party)s: role") % {"party": column.label},
                choices=role_choices,
                required=False,
                initial=existing.role if existing else "",
            )
            self.fields[text_name] = forms.CharField(
                label=_("%(party)s: what the party does") % {"party": column.label},
                required=False,
                max_length=500,
                initial=existing.text if existing else "",
            )
            self.party_fields.append((column, role_name, text_name))
        self.fields["sub_goals"] = self.fields.pop("sub_goals")  # after the parties' columns

    def party_roles(self) -> dict:
        return {
            column.organisation: (
                self.cleaned_data.get(role_name) or "",
                self.cleaned_data.get(text_name) or "",
            )
            for column, role_name, text_name in self.party_fields
        }


class ReviewForm(AccessibleFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ReviewDecision.APPROVED, _("Approve")),
            (ReviewDecision.RETURNED, _("Return for changes")),
            (ReviewDecision.COMMENT, _("Comment only")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=format_lazy(
            "{} {}", _("Required when you return it for changes."), NO_PERSONAL_DATA
        ),
        max_length=5000,
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("decision") == ReviewDecision.RETURNED
            and not (cleaned.get("comment") or "").strip()
        ):
            self.add_error("comment", _("Say what should be changed."))
        return cleaned


class ImportForm(AccessibleFormMixin, forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "An Excel file (XLSX) or a CSV file in the same format as the export of the activity list."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.SAMVERKAN_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is too large (%(size)s). The limit is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        return upload
