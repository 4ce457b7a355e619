"""Forms of the accounts app. Choices are scoped to the municipality being managed."""

from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from agreements.choices import OrganisationKind, PoliceClassification, Role
from agreements.models import Area, Organisation
from core.forms import AccessibleFormMixin, VersionedModelForm

from . import services

MAX_LINES = 60


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.parent_id and obj.kind not in (
            OrganisationKind.MUNICIPALITY,
            OrganisationKind.POLICE_AREA,
        ):
            return f"{obj.name} ({obj.parent.name})"
        return obj.name


class InvitationForm(AccessibleFormMixin, forms.Form):
    """Invite a person by e-mail to a role in one of the municipality's organisations."""

    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    organisation = OrganisationChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        help_text=_("A förvaltning, a company or the local police area."),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(r.value, r.label) for r in Role],
        help_text=_(
            "Coordinators edit everything of the municipality; the police role is for the "
            "local police area; a unit's reporters write the follow-up of the unit's "
            "activities; council members and readers read."
        ),
    )

    def __init__(self, *args, municipality: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = services.invitable_organisations(municipality)
        self.fields["organisation"].initial = municipality.pk


class AcceptInvitationForm(AccessibleFormMixin, forms.Form):
    """A new account's name and password (Django's password rules apply)."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        # Built per request, so the rules are said in the user's language.
        self.fields["password1"].help_text = " ".join(
            password_validation.password_validators_help_texts()
        )
        self.fields["first_name"].initial = invitation.first_name
        self.fields["last_name"].initial = invitation.last_name

    def clean(self):
        cleaned = super().clean()
        one, two = cleaned.get("password1"), cleaned.get("password2")
        if one and two and one != two:
            self.add_error("password2", _("The two passwords differ."))
        elif one:
            probe = get_user_model()(
                username=self.invitation.email,
                email=self.invitation.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(one, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class RoleForm(AccessibleFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = services.roles_for(membership.organisation)
        self.fields["role"].choices = [(r, Role(r).label) for r in allowed]
        self.fields["role"].initial = membership.role


class UnitForm(VersionedModelForm):
    """A förvaltning, avdelning, company or other unit in the municipality's tree."""

    class Meta:
        model = Organisation
        fields = ["name", "short_name", "kind", "parent", "is_active"]
        field_classes = {"parent": OrganisationChoiceField}

    def __init__(self, *args, municipality: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (k.value, k.label) for k in OrganisationKind if k.value in services.UNIT_KINDS
        ]
        self.fields["kind"].initial = OrganisationKind.DEPARTMENT
        parents = services.units_of(municipality).filter(is_active=True).select_related("parent")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents.order_by("kind", "name")
        self.fields["parent"].required = True
        self.fields["parent"].initial = municipality.pk
        self.fields["parent"].help_text = _("The municipality, or the förvaltning it belongs to.")
        self.fields["is_active"].help_text = _(
            "An inactive unit keeps its history but is no longer offered in lists."
        )
        if not self.instance.pk:
            del self.fields["is_active"]


class AreaForm(VersionedModelForm):
    class Meta:
        model = Area
        fields = ["name", "police_classification", "socioeconomic_challenges", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, municipality: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class OnboardingForm(AccessibleFormMixin, forms.Form):
    """Everything a new customer needs before its coordinator can start, on one page."""

    municipality_name = forms.CharField(
        label=_("Municipality"), max_length=200, help_text=_("For example “Ydre kommun”.")
    )
    municipality_code = forms.RegexField(
        label=_("Municipality code"),
        regex=r"^\d{4}$",
        required=False,
        help_text=_("SCB's four-digit code, for municipalities."),
        error_messages={"invalid": _("Enter the four-digit municipality code.")},
    )
    police_area = forms.ModelChoiceField(
        label=_("Existing local police area"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Choose it if it is already in Samverkan, or enter a new one below."),
    )
    police_area_name = forms.CharField(
        label=_("New local police area"),
        max_length=200,
        required=False,
        help_text=_("For example “Lokalpolisområde Ydre”."),
    )
    police_area_short_name = forms.CharField(
        label=_("Short name of the police area"), max_length=40, required=False
    )
    police_region = forms.ModelChoiceField(
        label=_("Police region"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("The region of a new local police area."),
    )
    police_region_name = forms.CharField(
        label=_("New police region"),
        max_length=200,
        required=False,
        help_text=_("Only if the region is not in the list."),
    )
    departments = forms.CharField(
        label=_("Administrations and departments"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, e.g. “Socialförvaltningen”. You can add more later."),
    )
    companies = forms.CharField(
        label=_("Municipal companies and housing companies"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line."),
    )
    coordinator_email = forms.EmailField(
        label=_("The first coordinator's e-mail address"),
        help_text=_("They get an e-mail with a link to set a password."),
    )
    coordinator_first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    coordinator_last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["police_area"].queryset = Organisation.objects.police_areas().filter(
            is_active=True
        )
        self.fields["police_region"].queryset = Organisation.objects.filter(
            kind=OrganisationKind.POLICE_REGION, is_active=True
        )

    def clean_municipality_name(self):
        name = self.cleaned_data["municipality_name"].strip()
        if Organisation.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(_("An organisation with this name already exists."))
        return name

    def clean_municipality_code(self):
        code = self.cleaned_data.get("municipality_code", "")
        if code and Organisation.objects.filter(code=code).exists():
            raise forms.ValidationError(_("A municipality with this code already exists."))
        return code

    def _unit_lines(self, name):
        lines = _lines(self.cleaned_data.get(name, ""))
        if len(lines) > MAX_LINES:
            raise forms.ValidationError(
                ngettext(
                    "At most %(count)d line; add the rest later.",
                    "At most %(count)d lines; add the rest later.",
                    MAX_LINES,
                )
                % {"count": MAX_LINES}
            )
        for line in lines:
            if len(line) > 200:
                raise forms.ValidationError(_("A name can be at most 200 characters."))
        if len({line.casefold() for line in lines}) != len(lines):
            raise forms.ValidationError(_("A name appears twice."))
        return lines

    def clean_departments(self):
        return self._unit_lines("departments")

    def clean_companies(self):
        return self._unit_lines("companies")

    def clean(self):
        cleaned = super().clean()
        existing, new_name = cleaned.get("police_area"), (cleaned.get("police_area_name") or "")
        new_name = new_name.strip()
        if existing and new_name:
            self.add_error(
                "police_area_name",
                _("Choose an existing police area or enter a new one, not both."),
            )
        elif not existing and not new_name:
            self.add_error("police_area", _("Choose the local police area or enter a new one."))
        elif new_name and Organisation.objects.filter(name__iexact=new_name).exists():
            self.add_error("police_area_name", _("An organisation with this name already exists."))
        elif new_name and not (cleaned.get("police_region") or cleaned.get("police_region_name")):
            self.add_error("police_region", _("Choose the police region of the new police area."))
        region_name = (cleaned.get("police_region_name") or "").strip()
        if region_name and cleaned.get("police_region"):
            self.add_error(
                "police_region_name", _("Choose an existing region or enter a new one, not both.")
            )
        elif region_name and Organisation.objects.filter(name__iexact=region_name).exists():
            self.add_error(
                "police_region_name", _("An organisation with this name already exists.")
            )
        return cleaned


class OnboardingAreaForm(AccessibleFormMixin, forms.Form):
    """One row of the onboarding page's area table; empty rows are ignored."""

    name = forms.CharField(label=_("Area"), max_length=200, required=False)
    police_classification = forms.ChoiceField(
        label=_("Police classification"),
        choices=PoliceClassification.choices,
        initial=PoliceClassification.NONE,
        required=False,
    )
    socioeconomic_challenges = forms.BooleanField(
        label=_("Socio-economic challenges (Boverket)"), required=False
    )


class BaseAreaFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        names = [
            (f.cleaned_data.get("name") or "").strip().casefold()
            for f in self.forms
            if f.cleaned_data.get("name")
        ]
        if len(set(names)) != len(names):
            raise forms.ValidationError(_("Two areas have the same name."))


OnboardingAreaFormSet = forms.formset_factory(
    OnboardingAreaForm, formset=BaseAreaFormSet, extra=3, max_num=30, validate_max=True
)


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, but also for active accounts that have no password yet.

    Restored users (``import_agreement``) and accounts created without a password get an
    unusable one; Django's own form would silently send them nothing, so they could
    never get in. Deactivated accounts still get nothing.
    """

    def get_users(self, email):
        User = get_user_model()
        field = User.get_email_field_name()
        users = User._default_manager.filter(**{f"{field}__iexact": email, "is_active": True})
        return (
            user for user in users if auth_forms._unicode_ci_compare(email, getattr(user, field))
        )
