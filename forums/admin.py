"""Admin for forums and meetings, with history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Attendance, CalendarToken, Forum, ForumSeat, Meeting, MeetingDecision


class ForumSeatInline(admin.TabularInline):
    model = ForumSeat
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["position", "organisation", "function", "required", "active_from", "active_until"]


@admin.register(Forum)
class ForumAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "abbreviation",
        "municipality",
        "kind",
        "frequency",
        "parent",
        "is_active",
    ]
    list_filter = ["kind", "frequency", "is_active", "municipality"]
    search_fields = ["name", "abbreviation", "purpose", "chair"]
    autocomplete_fields = ["municipality", "parent", "convener"]
    filter_horizontal = ["agreements"]
    list_select_related = ["municipality", "parent"]
    inlines = [ForumSeatInline]


class MeetingDecisionInline(admin.TabularInline):
    model = MeetingDecision
    extra = 0
    fields = ["position", "text"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["seat", "organisation", "person", "present"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "seat":
            kwargs["queryset"] = ForumSeat.objects.select_related("organisation", "forum")
            meeting_id = (
                request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            )
            if meeting_id:
                kwargs["queryset"] = kwargs["queryset"].filter(forum__meetings__pk=meeting_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["forum", "starts_at", "place", "cancelled"]
    list_filter = ["cancelled", "forum__municipality", "forum"]
    search_fields = ["forum__name", "forum__abbreviation", "place", "agenda"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["forum"]
    list_select_related = ["forum"]
    inlines = [MeetingDecisionInline, AttendanceInline]


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    """Revoke a user's calendar address by deleting it; the secret itself is never stored."""

    list_display = ["user", "created_at", "last_used_at"]
    readonly_fields = ["user", "token_hash", "created_at", "last_used_at"]
    search_fields = ["user__username"]

    def has_add_permission(self, request):
        return False
