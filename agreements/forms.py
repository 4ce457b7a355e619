"""Forms of the agreements app. Every edit form is versioned (optimistic concurrency)."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import NO_PERSONAL_DATA, AccessibleFormMixin, DateInput, VersionedModelForm
from core.models import MAX_TEXT, validate_reasonable_date

from .choices import OrganisationKind
from .models import (
    Agreement,
    Area,
    Cause,
    CitizenPromise,
    Commitment,
    FocusArea,
    Organisation,
    Signatory,
    SubGoal,
)


class DomainFormMixin:
    """Limits on free text and dates, native date pickers, and the personal-data reminder."""

    personal_data_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.Textarea):
                field.max_length = MAX_TEXT
                field.validators.append(MaxLengthValidator(MAX_TEXT))
                field.widget.attrs.setdefault("rows", 5)
            if isinstance(field, forms.DateField):
                field.widget = DateInput()
                field.widget.is_required = field.required
                field.validators.append(validate_reasonable_date)
            if name in self.personal_data_fields:
                help_text = str(field.help_text or "")
                if str(NO_PERSONAL_DATA) not in help_text:
                    field.help_text = f"{help_text} {NO_PERSONAL_DATA}".strip()


class AreasFieldMixin:
    """An "areas" field of the municipality's areas, saved one link row at a time (each
    link in the history, each write through the signed-agreement lock), never by ``set()``."""

    def add_areas_field(self, municipality_id) -> None:
        self.fields["areas"] = forms.ModelMultipleChoiceField(
            label=_("Areas"),
            required=False,
            queryset=Area.objects.filter(municipality_id=municipality_id).order_by("name"),
            widget=forms.CheckboxSelectMultiple,
            help_text=_(
                "Areas of the municipality, with the police's classification. The municipality "
                "manages its areas on its organisation page."
            ),
        )
        if self.instance.pk:
            self.fields["areas"].initial = list(self.instance.areas.values_list("pk", flat=True))
        if getattr(self, "_areas_disabled", False):
            self.fields["areas"].disabled = True

    def _save_m2m(self):
        super()._save_m2m()
        if "areas" in self.cleaned_data and not self.fields["areas"].disabled:
            links = type(self.instance).areas.through.objects
            links.set_for(self.instance, self.cleaned_data["areas"])


class AgreementForm(AreasFieldMixin, DomainFormMixin, VersionedModelForm):
    personal_data_fields = ("background",)

    class Meta:
        model = Agreement
        fields = [
            "title",
            "reference",
            "municipality",
            "municipality_position",
            "municipality_short_name",
            "police_area",
            "police_area_position",
            "police_area_short_name",
            "other_parties",
            "valid_from",
            "valid_to",
            "background",
            "situation_sources",
            "purpose",
            "overall_goal",
            "organisation_text",
            "followup_text",
            "budget_text",
            "communication_text",
            "decision_body",
            "decision_date",
            "decision_condition",
            "numeric_signing_dates",
            "is_public",
        ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Organisation.objects.edited_by(user)
        self.fields["police_area"].queryset = Organisation.objects.filter(
            is_active=True,
            kind__in=[OrganisationKind.POLICE_AREA, OrganisationKind.POLICE_REGION],
        )
        # The municipality's own units and partners only, never another municipality's.
        partners = Organisation.objects.partners_of(user)
        if self.instance.pk:
            partners = Organisation.objects.filter(
                Q(pk__in=partners.values("pk")) | Q(pk__in=self.instance.other_parties.values("pk"))
            )
        self.fields["other_parties"].queryset = partners.exclude(
            kind__in=[
                OrganisationKind.POLICE_AREA,
                OrganisationKind.POLICE_REGION,
                OrganisationKind.MUNICIPALITY,
            ]
        ).order_by("name")
        for name in ("municipality_position", "police_area_position"):
            # Optional: left empty, the party keeps its usual place (municipality, police).
            self.fields[name].required = False
            self.fields[name].widget.attrs.update(min=0, max=99)
        self.fields["other_parties"].help_text = _(
            "Further parties, for example a housing company or the rescue service."
        )
        if self.instance.pk and not self.instance.is_editable_status:
            self._areas_disabled = True
            for field in self.fields.values():
                field.disabled = True
        municipality_id = self.instance.municipality_id or self.initial.get("municipality")
        if municipality_id is None and self.fields["municipality"].queryset.count() == 1:
            municipality_id = self.fields["municipality"].queryset.get().pk
        if municipality_id is None and self.data.get(self.add_prefix("municipality")):
            municipality_id = self.data.get(self.add_prefix("municipality"))
        self.add_areas_field(municipality_id if str(municipality_id or "").isdigit() else None)

    def _clean_position(self, name: str) -> int:
        value = self.cleaned_data.get(name)
        return Agreement._meta.get_field(name).default if value is None else value

    def clean_municipality_position(self) -> int:
        return self._clean_position("municipality_position")

    def clean_police_area_position(self) -> int:
        return self._clean_position("police_area_position")

    def clean(self):
        cleaned = super().clean()
        municipality = cleaned.get("municipality")
        parties = cleaned.get("other_parties")
        if municipality and parties and municipality in parties:
            self.add_error(
                "other_parties", _("The municipality is already a party; do not add it again.")
            )
        return cleaned


class FocusAreaForm(AreasFieldMixin, DomainFormMixin, VersionedModelForm):
    personal_data_fields = ("description",)

    class Meta:
        model = FocusArea
        fields = ["title", "kind", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_areas_field(self.instance.agreement.municipality_id)


class SubGoalForm(DomainFormMixin, VersionedModelForm):
    class Meta:
        model = SubGoal
        fields = ["text", "measured_by"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class CauseForm(DomainFormMixin, VersionedModelForm):
    personal_data_fields = ("text",)

    class Meta:
        model = Cause
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


def _party_queryset(agreement: Agreement) -> models.QuerySet:
    ids = [agreement.municipality_id, agreement.police_area_id]
    if agreement.pk:
        ids += list(agreement.other_parties.values_list("pk", flat=True))
    return Organisation.objects.filter(pk__in=ids)


class CommitmentForm(DomainFormMixin, VersionedModelForm):
    class Meta:
        model = Commitment
        fields = ["party", "focus_area", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        agreement = self.instance.agreement
        self.fields["party"].queryset = _party_queryset(agreement)
        self.fields["party"].empty_label = _("Joint – “We undertake…”")
        self.fields["focus_area"].queryset = FocusArea.objects.filter(agreement=agreement)
        self.fields["focus_area"].empty_label = _("The whole agreement")


class SignatoryForm(DomainFormMixin, VersionedModelForm):
    class Meta:
        model = Signatory
        fields = ["name", "title", "organisation", "place", "signed_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _party_queryset(self.instance.agreement)
        self.fields["signed_on"].help_text = _("Filled in when the agreement is signed.")

    def clean_signed_on(self):
        value = self.cleaned_data.get("signed_on")
        if value and value > timezone.localdate():
            raise ValidationError(_("The signing date cannot be in the future."))
        return value


class CitizenPromiseForm(DomainFormMixin, VersionedModelForm):
    personal_data_fields = ("text",)

    class Meta:
        model = CitizenPromise
        fields = ["year", "title", "text", "areas", "parties", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        agreement = self.instance.agreement
        self.fields["areas"].queryset = Area.objects.filter(municipality=agreement.municipality_id)
        self.fields["parties"].queryset = _party_queryset(agreement)
        self.fields["parties"].help_text = _(
            "The agreement's parties that give the promise; empty means all of them."
        )
        # Partners: any organisation the municipality works with, or one that belongs to no
        # municipality (a region, a rescue service); never another municipality's units.
        local = Organisation.objects.partners_of_municipalities([agreement.municipality_id])
        self.fields["partners"] = forms.ModelMultipleChoiceField(
            label=_("Partners in the promise"),
            required=False,
            queryset=Organisation.objects.filter(is_active=True)
            .filter(
                Q(pk__in=local.values("pk"))
                | Q(parent__isnull=True)
                & ~Q(
                    kind__in=[
                        OrganisationKind.MUNICIPALITY,
                        OrganisationKind.DEPARTMENT,
                        OrganisationKind.POLICE_AREA,
                        OrganisationKind.POLICE_REGION,
                    ]
                )
            )
            .exclude(pk__in=_party_queryset(agreement).values("pk"))
            .order_by("name"),
            help_text=_(
                "Organisations that give the promise together with the parties, e.g. a housing "
                "company. They sign the promise but do not become parties to the agreement."
            ),
        )
        if self.instance.pk:
            self.fields["partners"].initial = [
                row.organisation_id for row in self.instance.partner_rows.all()
            ]
        self.fields["year"].widget.attrs.update(
            min=agreement.valid_from.year, max=agreement.valid_to.year
        )
        if not self.instance.pk:
            self.fields["year"].initial = max(
                agreement.valid_from.year, min(timezone.localdate().year, agreement.valid_to.year)
            )


class SignForm(AccessibleFormMixin, forms.Form):
    """One date per signatory: when each of them signed."""

    def __init__(self, *args, signatories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.signatories = list(signatories)
        for signatory in self.signatories:
            self.fields[f"signed_on_{signatory.pk}"] = forms.DateField(
                label=_("%(name)s, %(title)s, signed on")
                % {"name": signatory.name, "title": signatory.title},
                initial=signatory.signed_on or timezone.localdate(),
                widget=DateInput(),
                validators=[validate_reasonable_date],
            )

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        for signatory in self.signatories:
            name = f"signed_on_{signatory.pk}"
            day = cleaned.get(name)
            if day and day > today:
                # Said on the first step already, not only when the signing is confirmed.
                self.add_error(name, _("The signing date cannot be in the future."))
        return cleaned

    def signed_on(self) -> dict[int, datetime.date]:
        return {s.pk: self.cleaned_data[f"signed_on_{s.pk}"] for s in self.signatories}


# ---------------------------------------------------------------------------
# The remiss
# ---------------------------------------------------------------------------


class RemissCommentForm(AccessibleFormMixin, forms.Form):
    """A comment on one item of the draft (the item is named by a hidden key)."""

    item = forms.CharField(widget=forms.HiddenInput, max_length=40)
    text = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=NO_PERSONAL_DATA,
    )


class RemissResolveForm(AccessibleFormMixin, forms.Form):
    """The coordinator's answer to a comment, and whether it is handled."""

    answer = forms.CharField(
        label=_("Answer"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    resolved = forms.BooleanField(label=_("Handled"), required=False, initial=True)


class RemissApproveForm(AccessibleFormMixin, forms.Form):
    """The police area's approval of the draft, with an optional note."""

    note = forms.CharField(
        label=_("Note (optional)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


# ---------------------------------------------------------------------------
# Attachments
# ---------------------------------------------------------------------------

_ZIP_MAGIC = b"PK\x03\x04"
_MAGIC = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
)
#: The part each Office Open XML kind must contain (read from the zip's directory only).
_OOXML_PARTS = (("word/document.xml", "docx"), ("xl/workbook.xml", "xlsx"))


def attachment_kind(upload) -> str | None:
    """The kind of ``upload`` judged by its content (never by its name), or ``None``."""
    import zipfile

    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if not head.startswith(_ZIP_MAGIC):
        return None
    try:
        with zipfile.ZipFile(upload) as archive:  # the directory only: nothing is unpacked
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    for part, kind in _OOXML_PARTS:
        if part in names:
            return kind
    return None


class AttachmentForm(AccessibleFormMixin, forms.Form):
    """A title and a file (PDF, DOCX, XLSX, PNG or JPEG), checked by size and content."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("For example “Bilaga 1 Lägesbild”."),
    )
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".pdf,.docx,.xlsx,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"
            }
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.conf import settings
        from django.template.defaultfilters import filesizeformat

        self.limit = settings.SAMVERKAN_MAX_ATTACHMENT_BYTES
        self.fields["file"].help_text = _(
            "PDF, Word (DOCX), Excel (XLSX), PNG or JPEG, at most %(limit)s."
        ) % {"limit": filesizeformat(self.limit)}

    def clean_file(self):
        from django.template.defaultfilters import filesizeformat

        from .signing import hash_file

        upload = self.cleaned_data["file"]
        if upload.size > self.limit:
            raise ValidationError(
                _("The file is too large. The largest allowed size is %(limit)s."),
                code="too_large",
                params={"limit": filesizeformat(self.limit)},
            )
        kind = attachment_kind(upload)
        if kind is None:
            raise ValidationError(
                _(
                    "The file is not a PDF, Word (DOCX), Excel (XLSX), PNG or JPEG file. "
                    "Save it in one of those formats and try again."
                ),
                code="file_type",
            )
        self.kind = kind
        self.sha256 = hash_file(upload)
        return upload
