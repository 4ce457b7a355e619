from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import RefuseLockedDeletionMixin

from .models import ActionPlan, Activity, ActivityRole, Review


class ActivityInline(admin.TabularInline):
    model = Activity
    fields = ["position", "code", "title", "focus_area", "responsible", "status", "review_state"]
    raw_id_fields = ["focus_area", "responsible"]
    extra = 0
    show_change_link = True


class ActivityRoleInline(admin.TabularInline):
    model = ActivityRole
    fields = ["organisation", "role", "text"]
    raw_id_fields = ["organisation"]
    extra = 0


class ReviewInline(admin.TabularInline):
    model = Review
    fields = ["reviewer", "decision", "comment", "created_at"]
    readonly_fields = ["created_at"]
    raw_id_fields = ["reviewer"]
    extra = 0


@admin.register(ActionPlan)
class ActionPlanAdmin(RefuseLockedDeletionMixin, SimpleHistoryAdmin):
    list_display = ["title", "agreement", "valid_from", "valid_to", "status"]
    list_filter = ["status"]
    search_fields = ["title", "agreement__title"]
    list_select_related = ["agreement"]
    raw_id_fields = ["agreement"]
    inlines = [ActivityInline]


@admin.register(Activity)
class ActivityAdmin(RefuseLockedDeletionMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "plan", "responsible", "status", "review_state"]
    list_filter = ["status", "review_state", "kind", "horizon"]
    search_fields = ["code", "title", "description"]
    list_select_related = ["plan", "responsible"]
    raw_id_fields = ["plan", "focus_area", "responsible", "forum"]
    filter_horizontal = ["sub_goals", "causes", "areas"]
    inlines = [ActivityRoleInline, ReviewInline]


@admin.register(Review)
class ReviewAdmin(SimpleHistoryAdmin):
    list_display = ["activity", "reviewer", "decision", "created_at"]
    list_filter = ["decision"]
    search_fields = ["activity__title", "comment"]
    list_select_related = ["activity", "reviewer"]
    raw_id_fields = ["activity", "reviewer"]
