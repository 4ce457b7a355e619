"""Form building blocks shared by every app: accessible errors and optimistic concurrency."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import MAX_TEXT, check_version, validate_reasonable_date

#: What an empty choice in a dropdown says, instead of Django's "---------".
EMPTY_CHOICE = _("– none chosen –")
_DJANGO_BLANK = "---------"


def _name_empty_choice(field) -> None:
    """Give a dropdown's empty choice a word a reader understands."""
    if isinstance(field, forms.ModelChoiceField) and not isinstance(
        field, forms.ModelMultipleChoiceField
    ):
        if field.empty_label == _DJANGO_BLANK:
            field.empty_label = EMPTY_CHOICE
    elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField):
        choices = list(field.choices)
        if any(value == "" and label == _DJANGO_BLANK for value, label in choices):
            field.choices = [
                (value, EMPTY_CHOICE if value == "" and label == _DJANGO_BLANK else label)
                for value, label in choices
            ]


class AccessibleFormMixin:
    """Mark invalid fields with ``aria-invalid`` and tie their error text to them; apply
    the input policy (:mod:`core.models`) to every date and free-text field; name the
    empty choice of every dropdown (:data:`EMPTY_CHOICE`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            _name_empty_choice(field)
            if isinstance(field, forms.DateField | forms.DateTimeField):
                if validate_reasonable_date not in field.validators:
                    field.validators.append(validate_reasonable_date)
            elif isinstance(field, forms.CharField) and field.max_length is None:
                field.max_length = MAX_TEXT
                field.validators.append(MaxLengthValidator(MAX_TEXT))
                field.widget.attrs.setdefault("maxlength", str(MAX_TEXT))

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            bound = self[name]
            widget = self.fields[name].widget
            described = [f"{bound.auto_id}_error"]
            if self.fields[name].help_text:
                described.append(f"{bound.auto_id}_helptext")
            widget.attrs["aria-invalid"] = "true"
            widget.attrs["aria-describedby"] = " ".join(described)


class VersionedModelForm(AccessibleFormMixin, forms.ModelForm):
    """A model form that refuses to save over a newer version of the object.

    The version the user started from travels in a hidden field; ``save()``
    locks the row, compares and raises :class:`~core.models.StaleVersionError`
    when someone else saved in between.
    """

    version_token = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["version_token"].initial = self.instance.version

    def save(self, commit: bool = True):
        if not commit:
            return super().save(commit=False)
        with transaction.atomic():
            check_version(self.instance, self.cleaned_data.get("version_token"))
            return super().save(commit=True)


class DateInput(forms.DateInput):
    """A native date picker; ISO values, shown in the browser's (Swedish) format."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


NO_PERSONAL_DATA = _("Do not write personal data about individuals here.")
