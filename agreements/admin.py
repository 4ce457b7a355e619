"""Admin for the municipal coordinator: organisations, memberships, agreements and their trees."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import RefuseLockedDeletionMixin

from .models import (
    Agreement,
    AgreementParty,
    Area,
    Cause,
    CitizenPromise,
    Commitment,
    FocusArea,
    Membership,
    Organisation,
    Signatory,
    SubGoal,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "parent", "code", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "code"]
    autocomplete_fields = ["parent"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role", "organisation__kind"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]


# ---------------------------------------------------------------------------
# Agreements and everything under them. Signed agreements are read-only here too:
# the model layer refuses the save and the admin shows why.
# ---------------------------------------------------------------------------


class LockedInlineMixin:
    """Inlines of a signed agreement are read-only."""

    def _locked(self, obj) -> bool:
        agreement = getattr(obj, "agreement", None) if obj is not None else None
        return bool(agreement is not None and agreement.is_locked)

    def has_add_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_delete_permission(request, obj)


class AgreementPartyInline(LockedInlineMixin, admin.TabularInline):
    model = AgreementParty
    extra = 0
    autocomplete_fields = ["organisation"]

    def _locked(self, obj):
        return obj is not None and obj.is_locked


class FocusAreaInline(LockedInlineMixin, admin.StackedInline):
    model = FocusArea
    extra = 0
    fields = ["position", "title", "kind", "description"]
    show_change_link = True


class CommitmentInline(LockedInlineMixin, admin.StackedInline):
    model = Commitment
    extra = 0
    fields = ["position", "party", "focus_area", "text"]
    autocomplete_fields = ["party"]


class SignatoryInline(LockedInlineMixin, admin.TabularInline):
    model = Signatory
    extra = 0
    fields = ["position", "name", "title", "organisation", "place", "signed_on"]
    autocomplete_fields = ["organisation"]


@admin.register(Agreement)
class AgreementAdmin(RefuseLockedDeletionMixin, SimpleHistoryAdmin):
    list_display = [
        "title",
        "municipality",
        "police_area",
        "valid_from",
        "valid_to",
        "status",
        "is_public",
    ]
    list_filter = ["status", "is_public", "municipality", "police_area", "valid_from"]
    search_fields = ["title", "reference", "municipality__name", "police_area__name", "purpose"]
    date_hierarchy = "valid_from"
    autocomplete_fields = ["municipality", "police_area", "revision_of"]
    list_select_related = ["municipality", "police_area"]
    readonly_fields = ["status", "signed_at", "signed_pdf_sha256", "signed_scan_sha256", "version"]
    inlines = [AgreementPartyInline, FocusAreaInline, CommitmentInline, SignatoryInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "reference",
                    ("municipality", "municipality_position", "municipality_short_name"),
                    ("police_area", "police_area_position", "police_area_short_name"),
                ]
            },
        ),
        (_("Period and status"), {"fields": ["valid_from", "valid_to", "status", "is_public"]}),
        (
            _("Content"),
            {
                "fields": [
                    "background",
                    "situation_sources",
                    "purpose",
                    "overall_goal",
                    "organisation_text",
                    "followup_text",
                    "budget_text",
                    "communication_text",
                ]
            },
        ),
        (
            _("Decision"),
            {
                "fields": [
                    "decision_body",
                    "decision_date",
                    "decision_condition",
                    "numeric_signing_dates",
                ]
            },
        ),
        (
            _("Signing and revision"),
            {
                "fields": [
                    "revision_of",
                    "revision_number",
                    "signed_at",
                    "signed_pdf_sha256",
                    "signed_scan_sha256",
                    "version",
                ]
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_locked:
            # Only the lifecycle may still change (through the services), so show everything.
            return [f.name for f in obj._meta.concrete_fields]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_locked:
            return False
        return super().has_delete_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        # A signed agreement opens as a view-only page: no Save that could write.
        if obj is not None and obj.is_locked:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            return  # "Save" on an unchanged form writes no new version and no history row
        super().save_model(request, obj, form, change)


class SubGoalInline(LockedInlineMixin, admin.TabularInline):
    model = SubGoal
    extra = 0
    fields = ["position", "text", "measured_by"]

    def _locked(self, obj):
        return obj is not None and obj.agreement.is_locked


class CauseInline(SubGoalInline):
    model = Cause
    fields = ["position", "text"]


@admin.register(FocusArea)
class FocusAreaAdmin(SimpleHistoryAdmin):
    list_display = ["title", "agreement", "position", "kind"]
    list_filter = ["kind", "agreement__status", "agreement__municipality"]
    search_fields = ["title", "description", "agreement__title"]
    list_select_related = ["agreement"]
    autocomplete_fields = ["agreement"]
    inlines = [SubGoalInline, CauseInline]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.agreement.is_locked:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.agreement.is_locked:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Area)
class AreaAdmin(SimpleHistoryAdmin):
    list_display = ["name", "municipality", "police_classification", "socioeconomic_challenges"]
    list_filter = ["police_classification", "socioeconomic_challenges", "municipality"]
    search_fields = ["name", "municipality__name"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality"]


@admin.register(CitizenPromise)
class CitizenPromiseAdmin(SimpleHistoryAdmin):
    list_display = ["title", "agreement", "year", "status"]
    list_filter = ["status", "year", "agreement__municipality"]
    search_fields = ["title", "text", "agreement__title"]
    list_select_related = ["agreement"]
    autocomplete_fields = ["agreement", "areas", "parties"]
